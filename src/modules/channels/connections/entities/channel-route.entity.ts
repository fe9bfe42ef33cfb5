import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';
import type { ChannelType } from './channel.entity.js';

/**
 * The routing index: which tenant and channel a provider account (or a web chat channel id)
 * belongs to. A platform table without row-level security, because a webhook knows no tenant
 * yet. A row exists exactly while its channel is connected; the primary key is what keeps an
 * account connected to one tenant at a time.
 */
@Entity('channel_routes')
export class ChannelRoute {
  @PrimaryColumn('text') provider!: ChannelType;
  /** Phone number id, Instagram account id, or the channel id itself for web chat. */
  @PrimaryColumn('text') externalId!: string;
  @Column('uuid') tenantId!: string;
  @Column('uuid') channelId!: string;
  /** Web chat only: the origins allowed to embed the chat. */
  @Column('text', { array: true, nullable: true }) allowedOrigins!: string[] | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt!: Date;
}
