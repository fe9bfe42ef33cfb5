import type OpenAI from 'openai';
import type { CatalogItem } from '../../commerce/catalog-match.js';
import {
  MAX_QUANTITY,
  MIN_QUANTITY,
  type Command,
  type DeliveryDetailsInput,
} from '../../conversations/engine/command-parser.js';

/**
 * The actions the model may take, and the gate its tool calls pass before they reach the
 * command executor. The model's arguments are untrusted input: they can be malformed JSON,
 * carry invented parameters or name a product of another tenant. Only a call that is
 * exactly one of these shapes, naming a product in this tenant's catalog, becomes a
 * Command; everything else is refused with a reason the model can act on.
 */

export const MAX_ESCALATION_REASON_LENGTH = 200;

const ORDER_NUMBER = {
  type: 'integer',
  minimum: 1,
  description: "The order's number as the customer wrote it, e.g. 1042.",
} as const;

/** Long enough for any name, number or address; anything longer is not one. */
const MAX_DETAIL_LENGTH = 300;

const PRODUCT_ID = {
  type: 'string',
  description: 'The product_id of a product in the menu, exactly as listed.',
} as const;

/** What the model is offered. Every schema is closed, like the validation below. */
export const AI_TOOLS = [
  tool('show_catalog', 'Show the customer the menu with its current prices.', {}),
  tool('add_to_cart', "Add a product to the customer's cart. The cart with its new total is shown to the customer.", {
    properties: {
      product_id: PRODUCT_ID,
      quantity: { type: 'integer', minimum: MIN_QUANTITY, maximum: MAX_QUANTITY, description: 'How many to add.' },
    },
    required: ['product_id', 'quantity'],
  }),
  tool('remove_from_cart', "Remove a product from the customer's cart.", {
    properties: { product_id: PRODUCT_ID },
    required: ['product_id'],
  }),
  tool('view_cart', "Show the customer's cart with its total.", {}),
  tool(
    'checkout',
    'Start checking out the cart: the customer is asked for any missing delivery detail, or shown the order summary to confirm.',
    {},
  ),
  tool(
    'set_delivery_details',
    'Record delivery details the customer has stated in this conversation. Never guess or invent one; leave out what they did not say.',
    {
      properties: {
        name: { type: 'string', maxLength: MAX_DETAIL_LENGTH, description: 'The name for the order.' },
        phone: { type: 'string', maxLength: MAX_DETAIL_LENGTH, description: 'A phone number for the delivery.' },
        address: { type: 'string', maxLength: MAX_DETAIL_LENGTH, description: 'The full delivery address.' },
        pickup: { type: 'boolean', description: 'True when the customer will collect the order themselves.' },
      },
    },
  ),
  tool(
    'confirm_order',
    'Place the order. Only after the customer was shown the summary and clearly said yes to it.',
    {},
  ),
  tool('resend_payment', "Send the payment link or instructions again for the customer's unpaid order.", {}),
  tool('order_status', "Show the status of one of the customer's orders.", {
    properties: { order_number: ORDER_NUMBER },
    required: ['order_number'],
  }),
  tool('order_history', "Show the customer's recent orders.", {}),
  tool('cancel_order', "Cancel one of the customer's orders that the business has not confirmed yet.", {
    properties: { order_number: ORDER_NUMBER },
    required: ['order_number'],
  }),
  tool('escalate', 'Hand the conversation to a person at the business.', {
    properties: {
      reason: {
        type: 'string',
        maxLength: MAX_ESCALATION_REASON_LENGTH,
        description: 'A short note for the staff member on why the customer needs a person.',
      },
    },
  }),
] as const satisfies readonly OpenAI.ChatCompletionFunctionTool[];

export type AiToolName = (typeof AI_TOOLS)[number]['function']['name'];

export type ToolCallResult =
  | {
      ok: true;
      command: Command;
      /** The model's note for staff, for `escalate` (the Command itself carries none). */
      escalationReason?: string;
    }
  | { ok: false; reason: string };

/** Parses and strictly validates one tool call against this tenant's catalog. */
export function parseToolCall(
  call: { name: string; arguments: string },
  catalog: readonly CatalogItem[],
): ToolCallResult {
  const spec = AI_TOOLS.find((candidate) => candidate.function.name === call.name);
  if (!spec) return refuse(`unknown tool ${quote(call.name)}`);
  const args = parseArguments(call.arguments);
  if (args === undefined) return refuse('the arguments are not a JSON object');
  const allowed: readonly string[] = Object.keys(spec.function.parameters.properties);
  const extra = Object.keys(args).find((key) => !allowed.includes(key));
  if (extra !== undefined) return refuse(`unexpected argument ${quote(extra)}`);
  const name = spec.function.name;
  switch (name) {
    case 'show_catalog':
      return accept({ type: 'show_catalog' });
    case 'view_cart':
      return accept({ type: 'view_cart' });
    case 'add_to_cart': {
      const productId = findProduct(args.product_id, catalog);
      if (typeof productId !== 'string') return productId;
      const quantity = args.quantity;
      if (typeof quantity !== 'number' || !Number.isInteger(quantity)) return refuse('quantity must be an integer');
      if (quantity < MIN_QUANTITY || quantity > MAX_QUANTITY) {
        return refuse(`quantity must be between ${MIN_QUANTITY} and ${MAX_QUANTITY}`);
      }
      return accept({ type: 'add_to_cart', item: { kind: 'product', productId }, quantity });
    }
    case 'remove_from_cart': {
      const productId = findProduct(args.product_id, catalog);
      if (typeof productId !== 'string') return productId;
      return accept({ type: 'remove_from_cart', item: { kind: 'product', productId } });
    }
    case 'checkout':
      return accept({ type: 'checkout' });
    case 'set_delivery_details':
      return deliveryDetails(args);
    case 'confirm_order':
      return accept({ type: 'confirm' });
    case 'resend_payment':
      return accept({ type: 'pay' });
    case 'order_history':
      return accept({ type: 'order_history' });
    case 'order_status':
    case 'cancel_order': {
      const number = args.order_number;
      if (typeof number !== 'number' || !Number.isSafeInteger(number) || number < 1) {
        return refuse('order_number must be a positive integer');
      }
      const orderNumber = String(number);
      return accept(
        name === 'order_status' ? { type: 'order_status', orderNumber } : { type: 'cancel_order', orderNumber },
      );
    }
    case 'escalate': {
      const reason = args.reason;
      if (reason === undefined) return accept({ type: 'escalate' });
      if (typeof reason !== 'string') return refuse('reason must be a string');
      if (reason.length > MAX_ESCALATION_REASON_LENGTH) {
        return refuse(`reason must be at most ${MAX_ESCALATION_REASON_LENGTH} characters`);
      }
      return { ok: true, command: { type: 'escalate' }, escalationReason: reason };
    }
  }
}

/** Strings within bounds and a boolean pickup; the executor checks what they say. */
function deliveryDetails(args: Record<string, unknown>): ToolCallResult {
  const details: DeliveryDetailsInput = {};
  for (const field of ['name', 'phone', 'address'] as const) {
    const value = args[field];
    if (value === undefined) continue;
    if (typeof value !== 'string' || value.length > MAX_DETAIL_LENGTH) {
      return refuse(`${field} must be a string of at most ${MAX_DETAIL_LENGTH} characters`);
    }
    details[field] = value;
  }
  if (args.pickup !== undefined) {
    if (typeof args.pickup !== 'boolean') return refuse('pickup must be true or false');
    details.pickup = args.pickup;
  }
  if (Object.keys(details).length === 0) return refuse('give at least one delivery detail');
  return accept({ type: 'set_delivery_details', details });
}

function tool<Name extends string, Properties extends Record<string, object> = Record<never, never>>(
  name: Name,
  description: string,
  schema: { properties?: Properties; required?: readonly (keyof Properties & string)[] },
) {
  return {
    type: 'function',
    function: {
      name,
      description,
      parameters: {
        type: 'object',
        properties: schema.properties ?? ({} as Properties),
        ...(schema.required ? { required: [...schema.required] } : {}),
        additionalProperties: false,
      },
    },
  } as const;
}

/**
 * `""` counts as `{}`: some compatible servers send it for a call without arguments.
 * Anything but a plain JSON object is refused.
 */
function parseArguments(text: string): Record<string, unknown> | undefined {
  if (typeof text !== 'string') return undefined;
  if (text.trim() === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/** The catalog's own id for `value`, so that the executor sees the canonical form. */
function findProduct(value: unknown, catalog: readonly CatalogItem[]): string | { ok: false; reason: string } {
  if (typeof value !== 'string' || value === '') return refuse('product_id must be a product_id from the menu');
  const wanted = value.toLowerCase();
  const item = catalog.find((candidate) => candidate.id.toLowerCase() === wanted);
  return item ? item.id : refuse(`product_id ${quote(value)} is not on the menu`);
}

function accept(command: Command): ToolCallResult {
  return { ok: true, command };
}

function refuse(reason: string): { ok: false; reason: string } {
  return { ok: false, reason };
}

/** Echoes model output into a reason, bounded: reasons are logged and sent back to the model. */
function quote(value: string): string {
  return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);
}
