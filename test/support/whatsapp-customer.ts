import { randomUUID } from 'node:crypto';
import type { FakeGraphApi, RecordedMessage } from '../fakes/fake-graph-api.js';
import { postWebhook, whatsappDelivery } from './meta-webhooks.js';
import { customerNumber, type Shop } from './shop.js';
import type { TestApp } from './test-app.js';

/** A customer writing to a shop's WhatsApp number, reading what the fake Graph API received for them. */
export interface WhatsAppCustomer {
  number: string;
  /** Sends a text and resolves with the next message the customer receives. */
  say(text: string): Promise<RecordedMessage>;
  /** Taps one of our reply buttons. */
  tap(id: string, title: string): Promise<RecordedMessage>;
  /** Sends a text without waiting for an answer. */
  send(text: string): Promise<void>;
  /** Resolves with the first message received whose text matches, waiting for it if needed. */
  receive(pattern: RegExp, timeoutMs?: number): Promise<RecordedMessage>;
  received(): RecordedMessage[];
}

export function whatsappCustomer(
  t: TestApp,
  graph: FakeGraphApi,
  shop: Shop,
  number = customerNumber(),
): WhatsAppCustomer {
  const phoneNumberId = shop.whatsapp!.phoneNumberId;
  const deliver = async (message: Parameters<typeof whatsappDelivery>[1][number]) => {
    await postWebhook(t, whatsappDelivery(phoneNumberId, [message])).expect(200);
  };
  const next = async (action: () => Promise<void>) => {
    const before = graph.sentTo(number).length;
    await action();
    const messages = await graph.waitForCount(before + 1, (m) => m.to.replace('+', '') === number, 10_000);
    return messages[before];
  };
  return {
    number,
    say: (text) => next(() => deliver({ from: number, text })),
    tap: (id, title) =>
      next(() =>
        deliver({
          from: number,
          id: `wamid.${randomUUID()}`,
          raw: { type: 'interactive', interactive: { type: 'button_reply', button_reply: { id, title } } },
        }),
      ),
    send: (text) => deliver({ from: number, text }),
    receive: async (pattern, timeoutMs = 10_000) => {
      const matches = (m: RecordedMessage) => m.to.replace('+', '') === number && pattern.test(m.text ?? '');
      const [message] = await graph.waitFor(matches, timeoutMs);
      return message;
    },
    received: () => graph.sentTo(number),
  };
}
