import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

@Entity('contacts')
export class Contact {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid') tenantId!: string;
  @Column('uuid') channelId!: string;
  @Column('text') externalRef!: string;
  @Column('text', { nullable: true }) displayName!: string | null;
  @Column('text', { nullable: true }) phone!: string | null;
  @Column('timestamptz', { nullable: true }) lastInboundAt!: Date | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt!: Date;
}
