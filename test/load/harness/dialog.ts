import { performance } from 'node:perf_hooks';
import type { RecordedMessage } from '../../fakes/fake-graph-api.js';
import { BANK_TRANSFER_INSTRUCTIONS, BENCH_MENU, type Business } from './fleet.js';

/**
 * One message a customer sends and the replies, in order, that it must get — or, with
 * `actor: 'staff'`, something the business does (record a payment) that the customer hears of.
 */
export interface Step {
  text: string;
  replies: RegExp[];
  actor?: 'staff';
}

const money = (minor: number) => `₦${new Intl.NumberFormat('en-US', { minimumFractionDigits: 2 }).format(minor / 100)}`;
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * A whole shopping session, from greeting to placed order. The item and quantity vary by
 * customer, so every figure a reply carries (the business's name, the item, the total) is
 * checked against this customer's own cart.
 */
export function shoppingSession(businessIndex: number, item: number, quantity: number): Step[] {
  const product = BENCH_MENU[item - 1];
  const line = escape(`${quantity} × ${product.name} — ${money(product.priceMinor * quantity)}`);
  const total = escape(money(product.priceMinor * quantity));
  return [
    { text: 'hi', replies: [new RegExp(`^Hi! Welcome to \\*Bench Shop ${businessIndex}\\*`)] },
    { text: 'menu', replies: [/^Here is our menu/] },
    { text: `add ${item} ${quantity}`, replies: [new RegExp(`^Added ${escape(`${quantity} × ${product.name}`)}\\.`)] },
    { text: 'cart', replies: [new RegExp(`^🛒 Your cart:\\n${line}\\n\\n\\*Total: ${total}\\*`)] },
    { text: 'checkout', replies: [/What name should we put on it\?/] },
    { text: 'Ada Obi', replies: [/^What phone number can we call/] },
    { text: '0803 123 4567', replies: [/^Where should we deliver it\?/] },
    {
      text: '12 Marina Road, Lagos',
      replies: [new RegExp(`^Please check your order:\\n\\n${line}[\\s\\S]*Total: ${total}`)],
    },
    {
      text: 'confirm',
      replies: [
        new RegExp(`^✅ Order #\\d+ is placed\\. Total: \\*${total}\\*`),
        new RegExp(`please pay ${total}\\.\\nPay by bank transfer:\\n${escape(BANK_TRANSFER_INSTRUCTIONS)}`),
      ],
    },
  ];
}

/**
 * A shopping session that ends with the business recording the customer's bank transfer:
 * the customer then hears, once, that the payment arrived and the order is confirmed.
 */
export function paidSession(businessIndex: number, item: number, quantity: number): Step[] {
  const total = escape(money(BENCH_MENU[item - 1].priceMinor * quantity));
  return [
    ...shoppingSession(businessIndex, item, quantity),
    {
      text: '(staff record the bank transfer)',
      actor: 'staff',
      replies: [new RegExp(`received your payment of ${total} for order #\\d+\\. Your order is confirmed`)],
    },
  ];
}

export type Session = typeof shoppingSession;

/** A simulated customer: a WhatsApp number writing to one business, and what it has had back. */
export class Customer {
  /** When each step's webhook was posted (performance.now()), for end-to-end latency. */
  readonly postedAt: number[] = [];
  readonly expected: { step: number; pattern: RegExp; receivedAt?: number; text?: string }[];
  nextStep = 0;

  constructor(
    readonly number: string,
    readonly business: Business,
    /** What goes in the cart, and so what every figure the customer is shown must be. */
    readonly cart: { item: number; quantity: number },
    readonly steps: Step[],
  ) {
    this.expected = steps.flatMap((step, index) => step.replies.map((pattern) => ({ step: index, pattern })));
  }

  get finished(): boolean {
    return this.nextStep >= this.steps.length;
  }

  /** The step is answered once every reply it expects has arrived. */
  answered(step: number): boolean {
    return this.expected.every((reply) => reply.step !== step || reply.receivedAt !== undefined);
  }

  get totalMinor(): number {
    return BENCH_MENU[this.cart.item - 1].priceMinor * this.cart.quantity;
  }

  /** The order number the business gave when the order was placed, once it has. */
  get orderNumber(): number | undefined {
    for (const reply of this.expected) {
      const placed = reply.text && /Order #(\d+) is placed/.exec(reply.text);
      if (placed) return Number(placed[1]);
    }
    return undefined;
  }
}

export interface LedgerCounts {
  replies: number;
  duplicated: number;
  outOfOrder: number;
  /** A reply that matched nothing this customer was owed, or came from another business's number. */
  wrong: number;
}

export interface ReplyEvent {
  customer: Customer;
  step: number;
  latencyMs: number;
  at: number;
}

/**
 * Checks every message the fake Graph API accepts against what its customer was owed: the
 * first owed reply it matches counts once; matching one already received is a duplicate;
 * arriving before an earlier owed reply is out of order. What is still owed at the end is lost.
 */
export class ReplyLedger {
  readonly counts: LedgerCounts = { replies: 0, duplicated: 0, outOfOrder: 0, wrong: 0 };
  readonly wrongSamples: string[] = [];
  /** When each duplicate arrived (performance.now()) and what it said, to tell which fault caused it. */
  readonly duplicates: { at: number; firstAt?: number; customer: string; text: string }[] = [];
  private readonly customers = new Map<string, Customer>();

  constructor(private readonly onReply: (event: ReplyEvent) => void) {}

  add(customer: Customer): void {
    this.customers.set(customer.number, customer);
  }

  get all(): Customer[] {
    return [...this.customers.values()];
  }

  record(message: RecordedMessage): void {
    const at = performance.now();
    const customer = this.customers.get(message.to.replace('+', ''));
    if (!customer || message.accountId !== customer.business.phoneNumberId) return this.wrong(message);
    const text = message.text ?? '';
    const index = customer.expected.findIndex((reply) => reply.receivedAt === undefined && reply.pattern.test(text));
    if (index < 0) {
      const original = customer.expected.find((reply) => reply.pattern.test(text));
      if (original) {
        this.counts.duplicated++;
        this.duplicates.push({ at, firstAt: original.receivedAt, customer: customer.number, text: text.slice(0, 60) });
      } else this.wrong(message);
      return;
    }
    const reply = customer.expected[index];
    reply.receivedAt = at;
    reply.text = text;
    this.counts.replies++;
    if (customer.expected.slice(0, index).some((earlier) => earlier.receivedAt === undefined)) this.counts.outOfOrder++;
    this.onReply({ customer, step: reply.step, latencyMs: at - customer.postedAt[reply.step], at });
  }

  /** A few replies still owed, for the report: customer, step and what was expected. */
  owedSamples(limit = 5): string[] {
    const samples: string[] = [];
    for (const customer of this.customers.values())
      for (const reply of customer.expected)
        if (reply.step < customer.nextStep && !reply.receivedAt && samples.length < limit)
          samples.push(
            `${customer.number} step ${reply.step} (${customer.steps[reply.step].text}): ${reply.pattern.source}`,
          );
    return samples;
  }

  /** Replies owed for messages already sent: what is lost if the pipeline has drained. */
  owed(): number {
    let owed = 0;
    for (const customer of this.customers.values()) {
      for (const reply of customer.expected) if (reply.step < customer.nextStep && !reply.receivedAt) owed++;
    }
    return owed;
  }

  private wrong(message: RecordedMessage): void {
    this.counts.wrong++;
    if (this.wrongSamples.length < 5) this.wrongSamples.push(`to ${message.to}: ${message.text ?? '(no text)'}`);
  }
}
