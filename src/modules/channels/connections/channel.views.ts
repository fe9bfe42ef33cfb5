import { maskSecret } from '../../../common/crypto/secret-box.js';
import type {
  Channel,
  ChannelStatus,
  ChannelType,
  InstagramSettings,
  WebchatSettings,
  WhatsAppSettings,
} from './entities/channel.entity.js';

const MASK = maskSecret('');

/** What an API may keep of a token: the characters maskSecret would show after its bullets. */
export function visibleTokenTail(accessToken: string): string {
  return maskSecret(accessToken).slice(MASK.length);
}

/** A channel as the API shows it. The token appears only as `accessTokenLast4` ("••••abcd"). */
export interface ChannelView {
  id: string;
  type: ChannelType;
  name: string;
  status: ChannelStatus;
  statusReason: string | null;
  /** WhatsApp. */
  phoneNumberId?: string;
  businessAccountId?: string;
  displayPhoneNumber?: string | null;
  verifiedName?: string | null;
  /** Instagram. */
  instagramAccountId?: string;
  pageId?: string | null;
  username?: string | null;
  /** Web chat. */
  allowedOrigins?: string[];
  accessTokenLast4: string | null;
  disconnectedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export function toChannelView(channel: Channel): ChannelView {
  return {
    id: channel.id,
    type: channel.type,
    name: channel.name,
    status: channel.status,
    statusReason: channel.statusReason,
    ...typeFields(channel),
    accessTokenLast4: channel.accessTokenLast4 === null ? null : `${MASK}${channel.accessTokenLast4}`,
    disconnectedAt: channel.disconnectedAt?.toISOString() ?? null,
    createdAt: channel.createdAt.toISOString(),
    updatedAt: channel.updatedAt.toISOString(),
  };
}

/** The row's type says which shape its settings have (the schema ties external_id to it too). */
function typeFields(channel: Channel): Partial<ChannelView> {
  switch (channel.type) {
    case 'whatsapp': {
      const settings = channel.settings as WhatsAppSettings;
      return {
        phoneNumberId: channel.externalId ?? undefined,
        businessAccountId: settings.businessAccountId,
        displayPhoneNumber: settings.displayPhoneNumber ?? null,
        verifiedName: settings.verifiedName ?? null,
      };
    }
    case 'instagram': {
      const settings = channel.settings as InstagramSettings;
      return {
        instagramAccountId: channel.externalId ?? undefined,
        pageId: settings.pageId ?? null,
        username: settings.username ?? null,
      };
    }
    case 'webchat':
      return { allowedOrigins: (channel.settings as WebchatSettings).allowedOrigins };
  }
}

export interface ChannelCheckView {
  ok: boolean;
  /** What Meta reported of the account when the token works. */
  details?: Record<string, string>;
  failure?: { code: string; reason: string };
  /** The channel's status after the check. */
  status: ChannelStatus;
}
