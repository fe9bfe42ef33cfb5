import type OpenAI from 'openai';
import type { CatalogItem } from '../../commerce/catalog-match.js';
import { MAX_QUANTITY, MIN_QUANTITY, type Command } from '../../conversations/engine/command-parser.js';

/**
 * The actions the model may take, and the gate its tool calls pass before they reach the
 * command executor. The model's arguments are untrusted input: they can be malformed JSON,
 * carry invented parameters or name a product of another tenant. Only a call that is
 * exactly one of these shapes, naming a product in this tenant's catalog, becomes a
 * Command; everything else is refused with a reason the model can act on.
 */

export const MAX_ESCALATION_REASON_LENGTH = 200;

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
