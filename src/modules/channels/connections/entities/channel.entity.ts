import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export const CHANNEL_TYPES = ['whatsapp', 'instagram', 'webchat'] as const;
export type ChannelType = (typeof CHANNEL_TYPES)[number];
/** The channels whose account lives at Meta: they have a provider id and an access token. */
export type MetaChannelType = Exclude<ChannelType, 'webchat'>;

export const CHANNEL_STATUSES = ['active', 'needs_reconnect', 'disconnected'] as const;
export type ChannelStatus = (typeof CHANNEL_STATUSES)[number];

export interface WhatsAppSettings {
  businessAccountId: string;
  displayPhoneNumber?: string;
  /** The business name Meta verified, read when the token was checked. */
  verifiedName?: string;
}

export interface InstagramSettings {
  /** The Facebook page linked to the professional account, when the business gave it. */
  pageId?: string;
  username?: string;
}

export interface WebchatSettings {
  allowedOrigins: string[];
}

export interface ChannelSettingsByType {
  whatsapp: WhatsAppSettings;
  instagram: InstagramSettings;
  webchat: WebchatSettings;
}

export type ChannelSettings = ChannelSettingsByType[ChannelType];

/**
 * A tenant's connection to WhatsApp, Instagram or its web chat. Tenant-owned (row-level
 * security). Disconnecting keeps the row for history: conversations point at it.
 */
@Entity('channels')
export class Channel {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid') tenantId!: string;
  @Column('text') type!: ChannelType;
  @Column('text') name!: string;
  /** WhatsApp phone number id or Instagram account id; null for web chat. */
  @Column('text', { nullable: true }) externalId!: string | null;
  /** SecretBox-sealed with the tenant id as associated data; null once disconnected. */
  @Column('text', { nullable: true }) accessTokenSealed!: string | null;
  /** What maskSecret shows of the token after its bullets, so the token is never opened to display it. */
  @Column('text', { nullable: true }) accessTokenLast4!: string | null;
  @Column('jsonb') settings!: ChannelSettings;
  @Column('text') status!: ChannelStatus;
  @Column('text', { nullable: true }) statusReason!: string | null;
  @Column('timestamptz', { nullable: true }) disconnectedAt!: Date | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt!: Date;
}

/** A WhatsApp or Instagram channel: the schema gives every one of them an external id. */
export function isMetaChannel(channel: Channel): channel is Channel & { type: MetaChannelType; externalId: string } {
  return channel.type !== 'webchat' && channel.externalId !== null;
}
