import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { DeliveryTarget } from '../connections/channels.service.js';
import type { OutboundPayload } from '../outbox/outbound-payload.js';
import { plainText } from '../outbox/outbound-payload.js';
import { localFailure, ProviderError } from '../providers/graph-errors.js';
import { InstagramClient } from '../providers/instagram.client.js';
import { WhatsAppClient } from '../providers/whatsapp.client.js';

// Instagram shows at most 13 quick replies.
const IG_QUICK_REPLIES = 13;

export interface Recipient {
  /** wa_id, IGSID or web chat session: the contact's external reference. */
  externalRef: string;
}

/**
 * Renders a channel-neutral payload with what each channel supports and sends it.
 * Returns the provider's message id; throws ProviderError with a classified failure.
 */
@Injectable()
export class ChannelSender {
  constructor(
    private readonly whatsapp: WhatsAppClient,
    private readonly instagram: InstagramClient,
  ) {}

  async send(
    target: DeliveryTarget,
    recipient: Recipient,
    payload: OutboundPayload,
    options: { humanAgent?: boolean } = {},
  ): Promise<string> {
    switch (target.type) {
      case 'whatsapp':
        return this.sendWhatsApp(
          { accessToken: target.accessToken ?? '', phoneNumberId: target.externalId },
          recipient.externalRef,
          payload,
        );
      case 'instagram':
        return this.sendInstagram(
          { accessToken: target.accessToken ?? '', accountId: target.externalId },
          recipient.externalRef,
          payload,
          options.humanAgent ?? false,
        );
      case 'webchat':
        // The web chat reads replies straight from the transcript: nothing to carry.
        return `webchat.${randomUUID()}`;
    }
  }

  private async sendWhatsApp(
    creds: { accessToken: string; phoneNumberId: string },
    to: string,
    payload: OutboundPayload,
  ): Promise<string> {
    switch (payload.kind) {
      case 'text':
        return payload.buttons?.length
          ? (await this.whatsapp.sendButtons(creds, to, payload.text, payload.buttons)).providerMessageId
          : (await this.whatsapp.sendText(creds, to, payload.text)).providerMessageId;
      case 'list':
        return (
          await this.whatsapp.sendList(creds, to, {
            header: payload.header,
            body: payload.text,
            footer: payload.footer,
            button: payload.button,
            sections: [{ title: 'Menu', rows: payload.rows }],
          })
        ).providerMessageId;
      case 'document':
        return (await this.whatsapp.sendDocument(creds, to, payload)).providerMessageId;
      case 'template':
        return (await this.whatsapp.sendTemplate(creds, to, payload)).providerMessageId;
    }
  }

  private async sendInstagram(
    creds: { accessToken: string; accountId: string },
    to: string,
    payload: OutboundPayload,
    humanAgentTag: boolean,
  ): Promise<string> {
    if (payload.kind === 'template')
      throw new ProviderError(localFailure('unsupported_payload', 'Instagram has no message templates'));
    const choices = payload.kind === 'text' ? (payload.buttons ?? []) : payload.kind === 'list' ? payload.rows : [];
    const quickReplies = choices
      .slice(0, IG_QUICK_REPLIES)
      .map((choice) => ({ title: choice.title, payload: choice.id }));
    const result = await this.instagram.sendText(creds, to, plainText(payload), { quickReplies, humanAgentTag });
    return result.providerMessageId;
  }
}
