import { localFailure, ProviderError, type ProviderFailure } from './graph-errors.js';
import { GraphHttp, readString, type FetchFn, type GraphClientOptions, type SendResult } from './graph-http.js';
import { truncateChars, truncateUtf8Bytes } from './provider-text.js';

/** Each tenant connects its own professional account, so credentials come with every call. */
export interface InstagramCredentials {
  accessToken: string;
  /** The Instagram professional account id. */
  accountId: string;
}

export interface QuickReply {
  title: string;
  payload: string;
}

export interface InstagramTextOptions {
  quickReplies?: QuickReply[];
  /**
   * Sends with the HUMAN_AGENT tag, which allows a reply 24 hours to 7 days after the
   * customer's last message. Meta allows it only for a reply a person wrote: never set it
   * for an AI or automated reply.
   */
  humanAgentTag?: boolean;
}

export type InstagramTokenCheck =
  { ok: true; username?: string; name?: string } | { ok: false; failure: ProviderFailure };

/** Instagram counts the text limit in UTF-8 bytes, not characters. */
const LIMITS = {
  textBytes: 1000,
  quickReplies: 13,
  quickReplyTitle: 20,
} as const;

export class InstagramClient {
  private readonly http: GraphHttp;

  constructor(options: GraphClientOptions, fetchFn: FetchFn = globalThis.fetch) {
    this.http = new GraphHttp(options, fetchFn);
  }

  async sendText(
    creds: InstagramCredentials,
    recipientId: string,
    text: string,
    opts: InstagramTextOptions = {},
  ): Promise<SendResult> {
    const payload = await this.http.post(creds.accessToken, [creds.accountId, 'messages'], {
      recipient: { id: recipientId },
      ...messagingType(opts.humanAgentTag ?? false),
      message: {
        text: truncateUtf8Bytes(text, LIMITS.textBytes),
        ...(opts.quickReplies?.length
          ? { quick_replies: opts.quickReplies.slice(0, LIMITS.quickReplies).map(toQuickReply) }
          : {}),
      },
    });
    return { providerMessageId: readMessageId(payload) };
  }

  async checkToken(creds: InstagramCredentials): Promise<InstagramTokenCheck> {
    try {
      const profile = await this.http.get(creds.accessToken, [creds.accountId], { fields: 'username,name' });
      return { ok: true, username: readString(profile, 'username'), name: readString(profile, 'name') };
    } catch (error) {
      if (error instanceof ProviderError) return { ok: false, failure: error.failure };
      throw error;
    }
  }
}

function messagingType(humanAgentTag: boolean): Record<string, string> {
  return humanAgentTag ? { messaging_type: 'MESSAGE_TAG', tag: 'HUMAN_AGENT' } : { messaging_type: 'RESPONSE' };
}

/** A tapped quick reply comes back with the title as its text, so only the title is shortened. */
function toQuickReply(reply: QuickReply): Record<string, string> {
  return { content_type: 'text', title: truncateChars(reply.title, LIMITS.quickReplyTitle), payload: reply.payload };
}

/**
 * A 200 without a message id should not happen. It is permanent on purpose: Meta may have
 * accepted the message, and a retry could deliver it twice.
 */
function readMessageId(payload: unknown): string {
  const id = readString(payload, 'message_id');
  if (!id)
    throw new ProviderError(localFailure('invalid_response', 'Instagram accepted the send without a message id'));
  return id;
}
