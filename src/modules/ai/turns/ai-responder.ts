import { Injectable } from '@nestjs/common';
import type OpenAI from 'openai';
import { formatMoney } from '../../../common/money.js';
import type { OutboundPayload } from '../../channels/outbox/outbound-payload.js';
import { plainText } from '../../channels/outbox/outbound-payload.js';
import type { CartView } from '../../commerce/cart-view.js';
import type { CatalogItem } from '../../commerce/catalog-match.js';
import type { Command } from '../../conversations/engine/command-parser.js';
import { collectAllowed, guardReply } from '../guardrails/reply-guard.js';
import { TenantBreakers } from '../llm/breakers.js';
import { LlmClient } from '../llm/llm-client.js';
import type { AiSettings } from '../settings/ai-settings.service.js';
import { AI_TOOLS, parseToolCall } from '../tools/ai-tools.js';

/** Tool rounds per customer message: enough to look, act and confirm; bounded cost. */
export const MAX_TOOL_ROUNDS = 3;
const HISTORY_MESSAGES = 20;

/**
 * Actions that change what the order summary says. The customer must have seen the
 * summary before the order is placed, so `confirm_order` is refused in a turn that ran one
 * of these: the summary they rendered has not reached the customer yet.
 */
const CHANGES_SUMMARY: ReadonlySet<Command['type']> = new Set([
  'add_to_cart',
  'remove_from_cart',
  'clear_cart',
  'checkout',
  'set_delivery_details',
  'change_details',
]);
const UNSEEN_SUMMARY =
  'Refused: the customer has not seen the order summary yet. It is shown to them after your reply; ask them to confirm it.';

export interface ToolOutcome {
  replies: OutboundPayload[];
  escalate?: boolean;
}

export interface AiTurnInput {
  tenantId: string;
  settings: AiSettings;
  business: { name: string; description: string | null; locale: string; channel: string };
  catalog: CatalogItem[];
  cart: CartView;
  /** The delivery detail the checkout asked the customer for and still waits on, if any. */
  checkoutQuestion?: 'name' | 'phone' | 'address';
  /** Oldest first; the customer's message being answered comes last. */
  history: { role: 'user' | 'assistant'; content: string }[];
  /** Runs one validated action through the conversation engine's executor. */
  executeTool: (command: Command) => Promise<ToolOutcome>;
  signal: AbortSignal;
}

export interface AiTurnResult {
  /** The model's words, with every price, link or order number it invented removed. */
  text: string;
  /** What the executor rendered for the tool calls, shown after the text. */
  replies: OutboundPayload[];
  escalate: boolean;
  toolCalls: number;
}

/** A model answer we refuse to act on (malformed or invented tool arguments). */
export class AiToolError extends Error {}

/**
 * One AI turn: the model sees this business's catalog, this customer's cart and recent
 * messages, and acts only through tools whose arguments are validated against that
 * catalog. Every figure the customer sees comes from the executor's rendering.
 */
@Injectable()
export class AiResponder {
  constructor(
    private readonly llm: LlmClient,
    private readonly breakers: TenantBreakers,
  ) {}

  /** Whether this tenant's free text goes to the model now, or straight to the fallback. */
  available(tenantId: string, settings: AiSettings): boolean {
    return this.llm.configured && settings.enabled && !this.breakers.isOpen(tenantId);
  }

  respond(input: AiTurnInput): Promise<AiTurnResult> {
    return this.breakers.run(input.tenantId, () => this.converse(input));
  }

  private async converse(input: AiTurnInput): Promise<AiTurnResult> {
    const messages: OpenAI.ChatCompletionMessageParam[] = [
      { role: 'system', content: systemPrompt(input) },
      ...input.history.slice(-HISTORY_MESSAGES),
    ];
    const replies: OutboundPayload[] = [];
    let escalate = false;
    let toolCalls = 0;
    let summaryChanged = false;
    for (let round = 0; round <= MAX_TOOL_ROUNDS; round++) {
      const answer = await this.llm.complete(messages, round < MAX_TOOL_ROUNDS ? AI_TOOLS : [], {
        signal: input.signal,
      });
      if (answer.toolCalls.length === 0) {
        return { text: this.guard(answer.content ?? '', replies), replies, escalate, toolCalls };
      }
      messages.push({
        role: 'assistant',
        content: answer.content,
        tool_calls: answer.toolCalls.map((call) => ({
          id: call.id,
          type: 'function',
          function: { name: call.name, arguments: call.arguments },
        })),
      });
      for (const call of answer.toolCalls) {
        const parsed = parseToolCall(call, input.catalog);
        if (!parsed.ok) throw new AiToolError(`tool ${call.name}: ${parsed.reason}`);
        if (parsed.command.type === 'confirm' && summaryChanged) {
          messages.push({ role: 'tool', tool_call_id: call.id, content: UNSEEN_SUMMARY });
          continue;
        }
        summaryChanged ||= CHANGES_SUMMARY.has(parsed.command.type);
        const outcome = await input.executeTool(parsed.command);
        toolCalls++;
        replies.push(...outcome.replies);
        escalate ||= outcome.escalate ?? false;
        messages.push({
          role: 'tool',
          tool_call_id: call.id,
          content: outcome.replies.map(plainText).join('\n\n') || 'done',
        });
      }
    }
    // Still calling tools after the last round: what the executor rendered stands alone.
    return { text: '', replies, escalate, toolCalls };
  }

  private guard(text: string, replies: OutboundPayload[]): string {
    // Only what the executor rendered this turn may be repeated by the model.
    return guardReply(text, collectAllowed(replies.map(plainText).join('\n')));
  }
}

function systemPrompt(input: AiTurnInput): string {
  const { business, settings, catalog, cart, checkoutQuestion } = input;
  const menu = catalog
    .map(
      (item) =>
        `- ${item.id} | ${item.index}. ${item.name} | ${formatMoney(item.priceMinor, item.currency, business.locale)}`,
    )
    .join('\n');
  const cartLines = cart.lines.length
    ? cart.lines.map((line) => `- ${line.quantity} × ${line.name}`).join('\n')
    : '(empty)';
  return [
    `You are the shop assistant of "${business.name}", chatting with a customer on ${business.channel}.`,
    business.description ? `About the business: ${business.description}` : '',
    settings.instructions ? `The business's instructions:\n${settings.instructions}` : '',
    settings.tone ? `Tone: ${settings.tone}.` : '',
    'Rules:',
    '- Use the tools to show the menu, change the cart, show the cart, or hand the customer to a person.',
    '- To order: call checkout; record delivery details only as the customer states them (set_delivery_details); call confirm_order only after the customer said yes to the summary. Use order_status, order_history, cancel_order and resend_payment for their orders.',
    '- Never write prices, totals, order numbers or links yourself: what the tools render is shown to the customer right after your words. Refer to it instead ("here is your cart").',
    '- Use only product ids from the menu below. If unsure which product the customer means, ask.',
    '- Reply in at most 60 words, in the language the customer uses.',
    '- If the customer wants a person, is upset, or you cannot help, call escalate.',
    `Menu (product_id | number. name | price):\n${menu || '(no products)'}`,
    `Cart:\n${cartLines}`,
    checkoutQuestion
      ? `Checkout: the customer was just asked for their delivery ${checkoutQuestion === 'address' ? 'address (or pickup)' : checkoutQuestion}. If their message gives it, call set_delivery_details with exactly what they wrote; otherwise answer them and ask for it again.`
      : '',
  ]
    .filter(Boolean)
    .join('\n');
}
