import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type MessageDirection = 'in' | 'out';
/** Who produced a message: the customer, or for replies the path that did. */
export type MessageSource = 'customer' | 'ai' | 'fallback' | 'staff' | 'system';
export type DeliveryStatus = 'pending' | 'sent' | 'delivered' | 'read' | 'failed' | 'undeliverable';

@Entity('messages')
export class Message {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid') tenantId!: string;
  @Column('uuid') conversationId!: string;
  @Column('text') direction!: MessageDirection;
  @Column('text') source!: MessageSource;
  @Column('text') body!: string;
  @Column('jsonb') content!: Record<string, unknown>;
  @Column('bigint', { nullable: true }) inboxId!: string | null;
  @Column('uuid', { nullable: true }) inReplyToId!: string | null;
  @Column('uuid', { nullable: true }) authorUserId!: string | null;
  @Column('text', { nullable: true }) deliveryStatus!: DeliveryStatus | null;
  @Column('text', { nullable: true }) providerMessageId!: string | null;
  @Column('text', { nullable: true }) errorCode!: string | null;
  @Column('text', { nullable: true }) errorReason!: string | null;
  @Column('timestamptz') createdAt!: Date;
  @Column('timestamptz', { nullable: true }) statusAt!: Date | null;
}
