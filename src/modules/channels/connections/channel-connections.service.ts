import { Injectable } from '@nestjs/common';
import type { TenantContext } from '../../../common/auth/roles.js';
import type { RequestOrigin } from '../../../common/auth/route-access.js';
import { SecretBox } from '../../../common/crypto/secret-box.js';
import { TenantDb } from '../../../database/tenant-db.js';
import { AuditService } from '../../audit/audit.service.js';
import type { ProviderFailure } from '../providers/graph-errors.js';
import { ChannelRouter } from './channel-router.service.js';
import { ChannelShutdown } from './channel-shutdown.service.js';
import { toChannelView, visibleTokenTail, type ChannelCheckView, type ChannelView } from './channel.views.js';
import { ChannelErrors, publicFailure } from './channels.errors.js';
import { ChannelsService, MAX_STATUS_REASON_LENGTH } from './channels.service.js';
import type { CreateChannelDto, CreateMetaChannelDto } from './dto/create-channel.dto.js';
import type { UpdateChannelDto, UpdateChannelField } from './dto/update-channel.dto.js';
import {
  Channel,
  isMetaChannel,
  type ChannelType,
  type InstagramSettings,
  type MetaChannelType,
  type WhatsAppSettings,
} from './entities/channel.entity.js';
import { MetaTokensService, type AccountDetails, type TokenCheck } from './meta-tokens.service.js';

type ChannelDraft = Pick<
  Channel,
  'type' | 'name' | 'externalId' | 'accessTokenSealed' | 'accessTokenLast4' | 'settings'
>;

interface VerifiedToken {
  sealed: string;
  tail: string;
  details: AccountDetails;
}

// A Record, so that a field added to the DTO cannot be forgotten here.
const UPDATE_FIELDS = Object.keys({
  name: true,
  accessToken: true,
  displayPhoneNumber: true,
  pageId: true,
  allowedOrigins: true,
} satisfies Record<UpdateChannelField, true>) as UpdateChannelField[];

const UPDATABLE: Record<ChannelType, readonly UpdateChannelField[]> = {
  whatsapp: ['name', 'accessToken', 'displayPhoneNumber'],
  instagram: ['name', 'accessToken', 'pageId'],
  webchat: ['name', 'allowedOrigins'],
};

const MAX_NAME_LENGTH = 200;

/**
 * Connecting, changing, disconnecting and checking channels. Meta is asked about a token
 * before the transaction that stores it, never inside one.
 */
@Injectable()
export class ChannelConnectionsService {
  constructor(
    private readonly tenantDb: TenantDb,
    private readonly secrets: SecretBox,
    private readonly channels: ChannelsService,
    private readonly router: ChannelRouter,
    private readonly tokens: MetaTokensService,
    private readonly audit: AuditService,
    private readonly shutdown: ChannelShutdown,
  ) {}

  async connect(ctx: TenantContext, dto: CreateChannelDto, origin: RequestOrigin): Promise<ChannelView> {
    const draft: ChannelDraft =
      dto.type === 'webchat'
        ? {
            type: 'webchat',
            name: dto.name,
            externalId: null,
            accessTokenSealed: null,
            accessTokenLast4: null,
            settings: { allowedOrigins: dto.allowedOrigins },
          }
        : await this.metaDraft(ctx, dto);
    const channel = await this.tenantDb.run(ctx, async (tx) => {
      const repository = tx.getRepository(Channel);
      const channel = await repository.save(repository.create({ ...draft, tenantId: ctx.tenantId, status: 'active' }));
      // In the same transaction: when the account is connected anywhere, nothing is stored.
      await this.router.claim(tx, {
        provider: channel.type,
        externalId: channel.externalId ?? channel.id,
        tenantId: ctx.tenantId,
        channelId: channel.id,
        allowedOrigins: dto.type === 'webchat' ? dto.allowedOrigins : null,
      });
      await this.audit.recordIn(tx, ctx, {
        action: 'channel.connected',
        actorUserId: ctx.userId,
        origin,
        target: { type: 'channel', id: channel.id },
        details: { type: channel.type },
      });
      return channel;
    });
    // A webhook may have cached this account as unknown moments ago.
    if (isMetaChannel(channel)) this.router.invalidate(channel.type, channel.externalId);
    return toChannelView(channel);
  }

  async update(
    ctx: TenantContext,
    channelId: string,
    dto: UpdateChannelDto,
    origin: RequestOrigin,
  ): Promise<ChannelView> {
    const fields = UPDATE_FIELDS.filter((field) => dto[field] !== undefined);
    if (fields.length === 0) return this.channels.view(ctx, channelId);
    const token =
      dto.accessToken === undefined ? undefined : await this.verifyNewToken(ctx, channelId, fields, dto.accessToken);
    const channel = await this.tenantDb.run(ctx, async (tx) => {
      const current = await this.channels.findIn(tx, ctx, channelId, { lock: true });
      assertUpdatable(current, fields);
      await tx
        .getRepository(Channel)
        .update({ id: current.id, tenantId: ctx.tenantId }, changesFor(current, dto, token));
      if (current.type === 'webchat' && dto.allowedOrigins) {
        await this.router.setAllowedOrigins(tx, current.id, dto.allowedOrigins);
      }
      await this.audit.recordIn(tx, ctx, {
        action: 'channel.updated',
        actorUserId: ctx.userId,
        origin,
        target: { type: 'channel', id: current.id },
        details: { fields },
      });
      return this.channels.findIn(tx, ctx, channelId);
    });
    return toChannelView(channel);
  }

  /**
   * Stops the channel for good: its token is erased and its route removed, so nothing more is
   * accepted or sent for it and the account can be connected again, here or elsewhere. The
   * row stays for the conversations that refer to it. Disconnecting twice is a no-op.
   */
  async disconnect(ctx: TenantContext, channelId: string, origin: RequestOrigin): Promise<void> {
    const released = await this.tenantDb.run(ctx, async (tx) => {
      const channel = await this.channels.findIn(tx, ctx, channelId, { lock: true });
      const actor = { reason: 'staff' as const, userId: ctx.userId, origin };
      return this.shutdown.disconnect(tx, ctx, actor, [channel.id]);
    });
    this.shutdown.forgetRoutes(released);
  }

  /** Asks Meta whether the stored token still works, and flags or clears the channel accordingly. */
  async check(ctx: TenantContext, channelId: string, origin: RequestOrigin): Promise<ChannelCheckView> {
    const channel = await this.tenantDb.run(ctx, (tx) => this.channels.findIn(tx, ctx, channelId));
    if (channel.status === 'disconnected') throw ChannelErrors.disconnected();
    if (!isMetaChannel(channel) || channel.accessTokenSealed === null) throw ChannelErrors.noTokenToCheck();
    const checkedSeal = channel.accessTokenSealed;
    const result = await this.tokens.check(channel.type, channel.externalId, this.channels.openToken(ctx, checkedSeal));
    const status = await this.tenantDb.run(ctx, async (tx) => {
      const current = await this.channels.findIn(tx, ctx, channelId, { lock: true });
      // A token replaced (or erased) while Meta was asked is not the one this result is about.
      const next = current.accessTokenSealed === checkedSeal ? statusAfter(result) : undefined;
      if (next && (next.status !== current.status || next.statusReason !== current.statusReason)) {
        await tx.getRepository(Channel).update({ id: current.id, tenantId: ctx.tenantId }, next);
      }
      await this.audit.recordIn(tx, ctx, {
        action: 'channel.checked',
        actorUserId: ctx.userId,
        origin,
        target: { type: 'channel', id: current.id },
        details: result.ok ? { ok: true } : { ok: false, failureCode: result.failure.code },
      });
      return next?.status ?? current.status;
    });
    return result.ok
      ? { ok: true, details: { ...result.details }, status }
      : { ok: false, failure: publicFailure(result.failure), status };
  }

  private async metaDraft(ctx: TenantContext, dto: CreateMetaChannelDto): Promise<ChannelDraft> {
    const externalId = dto.type === 'whatsapp' ? dto.phoneNumberId : dto.instagramAccountId;
    const token = await this.verifiedToken(ctx, dto.type, externalId, dto.accessToken);
    const { details } = token;
    const stored = { externalId, accessTokenSealed: token.sealed, accessTokenLast4: token.tail };
    if (dto.type === 'whatsapp') {
      const displayPhoneNumber = dto.displayPhoneNumber ?? details.displayPhoneNumber;
      const settings: WhatsAppSettings = withoutUndefined({
        businessAccountId: dto.businessAccountId,
        displayPhoneNumber,
        verifiedName: details.name,
      });
      const name = firstName(dto.name, details.name, `WhatsApp ${displayPhoneNumber ?? externalId}`);
      return { type: 'whatsapp', name, settings, ...stored };
    }
    const settings: InstagramSettings = withoutUndefined({ pageId: dto.pageId, username: details.username });
    const name = firstName(dto.name, details.username && `@${details.username}`, `Instagram ${externalId}`);
    return { type: 'instagram', name, settings, ...stored };
  }

  /** Reads the channel, then asks Meta outside any transaction; the update re-checks it under lock. */
  private async verifyNewToken(
    ctx: TenantContext,
    channelId: string,
    fields: readonly UpdateChannelField[],
    accessToken: string,
  ): Promise<VerifiedToken> {
    const channel = await this.tenantDb.run(ctx, (tx) => this.channels.findIn(tx, ctx, channelId));
    // Every field is checked before Meta is asked, so a request refused anyway costs no call.
    assertUpdatable(channel, fields);
    if (!isMetaChannel(channel)) throw ChannelErrors.fieldNotApplicable('accessToken', channel.type);
    return this.verifiedToken(ctx, channel.type, channel.externalId, accessToken);
  }

  private async verifiedToken(
    ctx: TenantContext,
    type: MetaChannelType,
    externalId: string,
    accessToken: string,
  ): Promise<VerifiedToken> {
    const details = await this.tokens.verify(type, externalId, accessToken);
    return {
      // Sealed with the tenant id as associated data: copied into another tenant's row, it does not open.
      sealed: this.secrets.seal(accessToken, ctx.tenantId),
      tail: visibleTokenTail(accessToken),
      details,
    };
  }
}

function assertUpdatable(channel: Channel, fields: readonly UpdateChannelField[]): void {
  const misplaced = fields.find((field) => !UPDATABLE[channel.type].includes(field));
  if (misplaced) throw ChannelErrors.fieldNotApplicable(misplaced, channel.type);
  if (channel.status === 'disconnected') throw ChannelErrors.disconnected();
}

/** The columns an update writes; settings are rewritten whole from the locked row. */
function changesFor(channel: Channel, dto: UpdateChannelDto, token: VerifiedToken | undefined) {
  const settings: Record<string, unknown> = { ...channel.settings };
  const setOrClear = (key: string, value: string | null | undefined) => {
    if (value === null) delete settings[key];
    else if (value !== undefined) settings[key] = value;
  };
  setOrClear('displayPhoneNumber', dto.displayPhoneNumber);
  setOrClear('pageId', dto.pageId);
  if (dto.allowedOrigins) settings.allowedOrigins = dto.allowedOrigins;
  if (token?.details.name && channel.type === 'whatsapp') settings.verifiedName = token.details.name;
  if (token?.details.username && channel.type === 'instagram') settings.username = token.details.username;
  return {
    settings: settings as Channel['settings'],
    ...(dto.name === undefined ? {} : { name: dto.name }),
    // A token Meta has just accepted makes a flagged channel usable again.
    ...(token
      ? { accessTokenSealed: token.sealed, accessTokenLast4: token.tail, status: 'active' as const, statusReason: null }
      : {}),
  };
}

function statusAfter(result: TokenCheck): Pick<Channel, 'status' | 'statusReason'> | undefined {
  if (result.ok) return { status: 'active', statusReason: null };
  if (result.failure.reconnect) return { status: 'needs_reconnect', statusReason: reasonOf(result.failure) };
  // A timeout or an outage says nothing about the token.
  return undefined;
}

function reasonOf(failure: ProviderFailure): string {
  return `${failure.code}: ${failure.reason}`.slice(0, MAX_STATUS_REASON_LENGTH);
}

function firstName(...candidates: (string | undefined)[]): string {
  const name = candidates.map((candidate) => candidate?.trim()).find((candidate) => candidate);
  return (name ?? 'Channel').slice(0, MAX_NAME_LENGTH);
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined)) as T;
}
