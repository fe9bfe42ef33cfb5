import { Injectable } from '@nestjs/common';
import type { ProviderFailure } from '../providers/graph-errors.js';
import { InstagramClient } from '../providers/instagram.client.js';
import { WhatsAppClient } from '../providers/whatsapp.client.js';
import { ChannelErrors } from './channels.errors.js';
import type { MetaChannelType } from './entities/channel.entity.js';

/** What Meta tells of the account a working token reaches. */
export interface AccountDetails {
  /** WhatsApp: the verified business name; Instagram: the account's display name. */
  name?: string;
  displayPhoneNumber?: string;
  username?: string;
}

export type TokenCheck = { ok: true; details: AccountDetails } | { ok: false; failure: ProviderFailure };

/** Asks Meta whether a token reaches an account. Never call it inside a transaction. */
@Injectable()
export class MetaTokensService {
  constructor(
    private readonly whatsapp: WhatsAppClient,
    private readonly instagram: InstagramClient,
  ) {}

  async check(type: MetaChannelType, externalId: string, accessToken: string): Promise<TokenCheck> {
    switch (type) {
      case 'whatsapp': {
        const result = await this.whatsapp.checkToken({ accessToken, phoneNumberId: externalId });
        if (!result.ok) return result;
        return { ok: true, details: defined({ name: result.name, displayPhoneNumber: result.displayPhoneNumber }) };
      }
      case 'instagram': {
        const result = await this.instagram.checkToken({ accessToken, accountId: externalId });
        if (!result.ok) return result;
        return { ok: true, details: defined({ name: result.name, username: result.username }) };
      }
    }
  }

  /**
   * Proof that the caller controls the account before it is connected: without it, anyone who
   * knew a phone number id could claim it, receive its customers' messages and lock its owner
   * out. Throws when Meta refuses the token or cannot be reached.
   */
  async verify(type: MetaChannelType, externalId: string, accessToken: string): Promise<AccountDetails> {
    const result = await this.check(type, externalId, accessToken);
    if (result.ok) return result.details;
    throw result.failure.retry === 'transient'
      ? ChannelErrors.providerUnavailable(result.failure)
      : ChannelErrors.tokenRejected(result.failure);
  }
}

function defined(details: AccountDetails): AccountDetails {
  return Object.fromEntries(Object.entries(details).filter(([, value]) => value !== undefined && value !== ''));
}
