import { OrderErrors } from './orders.errors.js';

/** Where an order goes: an address, or collected by the customer. */
export type OrderDelivery =
  { name: string; phone: string; address: string } | { name: string; phone: string; pickup: true };

/** E.164, as `contacts.phone` stores it. The chat normalises local formats before this. */
const E164 = /^\+[1-9][0-9]{6,14}$/;

/**
 * Checks delivery details and keeps only the known fields, trimmed. Throws
 * `invalid_delivery` naming the field, so the chat can ask for that one again.
 */
export function toOrderDelivery(input: unknown): OrderDelivery {
  const fields = (typeof input === 'object' && input !== null ? input : {}) as Record<string, unknown>;
  const name = text(fields.name, 'name', 200);
  const phone = text(fields.phone, 'phone', 16);
  if (!E164.test(phone)) throw OrderErrors.invalidDelivery('phone', 'The phone number must be in E.164 form (+234…)');
  if (fields.pickup === true) return { name, phone, pickup: true };
  return { name, phone, address: text(fields.address, 'address', 500) };
}

function text(value: unknown, field: string, max: number): string {
  const trimmed = typeof value === 'string' ? value.trim() : '';
  if (trimmed.length === 0 || trimmed.length > max) {
    throw OrderErrors.invalidDelivery(field, `The ${field} must be 1 to ${max} characters`);
  }
  return trimmed;
}
