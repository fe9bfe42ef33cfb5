import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

/** `pending_deletion`: its owner deleted it; restorable until `deletionDueAt`, then purged. */
export type TenantStatus = 'active' | 'suspended' | 'pending_deletion';

/** A business. A platform table: not behind row-level security, reached only through TenantsService. */
@Entity('tenants')
export class Tenant {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('text') name!: string;
  @Column('text', { nullable: true }) description!: string | null;
  @Column('char', { length: 3 }) currency!: string;
  @Column('text') timezone!: string;
  @Column('text') locale!: string;
  @Column('text') status!: TenantStatus;
  @Column('timestamptz', { nullable: true }) suspendedAt!: Date | null;
  @Column('timestamptz', { nullable: true }) deletionRequestedAt!: Date | null;
  @Column('uuid', { nullable: true }) deletionRequestedBy!: string | null;
  @Column('timestamptz', { nullable: true }) deletionDueAt!: Date | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt!: Date;
}
