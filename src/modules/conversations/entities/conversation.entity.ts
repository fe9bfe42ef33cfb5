import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { CommerceStep, Mode } from '../conversation-state.js';

@Entity('conversations')
export class Conversation {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid') tenantId!: string;
  @Column('uuid') contactId!: string;
  @Column('uuid') channelId!: string;
  @Column('text') mode!: Mode;
  @Column('text') commerceStep!: CommerceStep;
  @Column('uuid', { nullable: true }) assigneeId!: string | null;
  @Column('int') misunderstandings!: number;
  @Column('timestamptz', { nullable: true }) lastInboundAt!: Date | null;
  @Column('timestamptz', { nullable: true }) lastMessageAt!: Date | null;
  @Column('timestamptz', { nullable: true }) escalatedAt!: Date | null;
  @Column('timestamptz', { nullable: true }) resolvedAt!: Date | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt!: Date;
}
