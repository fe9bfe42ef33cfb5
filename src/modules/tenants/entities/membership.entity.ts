import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { Role } from '../../../common/auth/roles.js';

@Entity('memberships')
export class Membership {
  @PrimaryColumn('uuid') tenantId!: string;
  @PrimaryColumn('uuid') userId!: string;
  @Column('text') role!: Role;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt!: Date;
}
