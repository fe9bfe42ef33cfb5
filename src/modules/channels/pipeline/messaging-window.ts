import type { OutboundPayload } from '../outbox/outbound-payload.js';

const HOUR = 3_600_000;
export const WHATSAPP_WINDOW_MS = 24 * HOUR;
export const INSTAGRAM_WINDOW_MS = 24 * HOUR;
export const INSTAGRAM_HUMAN_AGENT_WINDOW_MS = 7 * 24 * HOUR;

export type WindowDecision = { send: true; humanAgentTag: boolean } | { send: false; reason: string };

/**
 * The providers' customer-service windows, checked before sending: free-form messages
 * only within 24 h of the customer's last message; on WhatsApp templates beyond that;
 * on Instagram a human's reply up to 7 days, tagged HUMAN_AGENT — never an automated one.
 */
export function messagingWindow(
  channel: 'whatsapp' | 'instagram' | 'webchat',
  payload: OutboundPayload,
  lastInboundAt: Date | null,
  byHuman: boolean,
  now = Date.now(),
): WindowDecision {
  const age = lastInboundAt ? now - lastInboundAt.getTime() : Infinity;
  switch (channel) {
    case 'webchat':
      return { send: true, humanAgentTag: false };
    case 'whatsapp':
      if (payload.kind === 'template' || age <= WHATSAPP_WINDOW_MS) return { send: true, humanAgentTag: false };
      return { send: false, reason: 'More than 24 hours since the customer last wrote: only a template may be sent' };
    case 'instagram':
      if (age <= INSTAGRAM_WINDOW_MS) return { send: true, humanAgentTag: false };
      if (byHuman && age <= INSTAGRAM_HUMAN_AGENT_WINDOW_MS) return { send: true, humanAgentTag: true };
      return {
        send: false,
        reason: byHuman
          ? 'More than 7 days since the customer last wrote'
          : 'More than 24 hours since the customer last wrote',
      };
  }
}
