import { createHmac, randomUUID } from 'node:crypto';
import type { TestApp } from './test-app.js';

// Seconds, advancing one per message so the order of a batch is unambiguous.
let clock = Math.floor(Date.now() / 1000);

/** A WhatsApp Cloud API delivery, in Meta's own shape, for one or more messages. */
export function whatsappDelivery(
  phoneNumberId: string,
  messages: {
    from: string;
    text?: string;
    id?: string;
    name?: string;
    raw?: Record<string, unknown>;
    /** Unix seconds; by default a clock advancing one second per message. */
    sentAt?: number;
  }[],
) {
  return {
    object: 'whatsapp_business_account',
    entry: [
      {
        id: 'WABA-1',
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: '15550001111', phone_number_id: phoneNumberId },
              contacts: messages.map((m) => ({ profile: { name: m.name ?? 'Ada' }, wa_id: m.from })),
              messages: messages.map((m) => ({
                from: m.from,
                id: m.id ?? `wamid.${randomUUID()}`,
                timestamp: String(m.sentAt ?? clock++),
                ...(m.raw ?? { type: 'text', text: { body: m.text } }),
              })),
            },
          },
        ],
      },
    ],
  };
}

export function instagramDelivery(accountId: string, messages: { from: string; text: string; mid?: string }[]) {
  return {
    object: 'instagram',
    entry: [
      {
        id: accountId,
        time: Date.now(),
        messaging: messages.map((m) => ({
          sender: { id: m.from },
          recipient: { id: accountId },
          timestamp: clock++ * 1000,
          message: { mid: m.mid ?? `aWdf${randomUUID()}`, text: m.text },
        })),
      },
    ],
  };
}

export function sign(body: string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** Posts a delivery exactly as Meta does: the signature covers the bytes sent. */
export function postWebhook(t: TestApp, payload: unknown, options: { secret?: string } = {}) {
  const body = JSON.stringify(payload);
  return t
    .http()
    .post('/v1/webhooks/meta')
    .set('content-type', 'application/json')
    .set('x-hub-signature-256', sign(body, options.secret ?? t.config.meta.appSecret))
    .send(body);
}
