import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

@Entity('users')
export class User {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('text') email!: string;
  @Column('text') name!: string;
  @Column('text') passwordHash!: string;
  /** Sealed with SecretBox; present from setup on, active once `totpEnabledAt` is set. */
  @Column('text', { nullable: true }) totpSecretSealed!: string | null;
  @Column('timestamptz', { nullable: true }) totpEnabledAt!: Date | null;
  /** The last accepted TOTP time step: a code is never accepted twice. */
  @Column('bigint', { nullable: true }) totpLastStep!: string | null;
  @Column('int') failedLoginCount!: number;
  @Column('timestamptz', { nullable: true }) lockedUntil!: Date | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt!: Date;
}
