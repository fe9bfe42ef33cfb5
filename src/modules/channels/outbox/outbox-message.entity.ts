import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { OutboundPayload } from './outbound-payload.js';

export type OutboxStatus = 'pending' | 'sent' | 'failed';

@Entity('outbox_messages')
export class OutboxMessage {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' }) id!: string;
  @Column('uuid') tenantId!: string;
  @Column('uuid') channelId!: string;
  @Column('uuid') conversationId!: string;
  @Column('uuid') messageId!: string;
  @Column('jsonb') payload!: OutboundPayload;
  @Column('text') status!: OutboxStatus;
  @Column('int') attempts!: number;
  @Column('timestamptz') nextAttemptAt!: Date;
  @Column('text', { nullable: true }) lastError!: string | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt!: Date;
  @Column('timestamptz', { nullable: true }) sentAt!: Date | null;
}
