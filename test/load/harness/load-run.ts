import { performance } from 'node:perf_hooks';
import { Customer, ReplyLedger, shoppingSession, type LedgerCounts, type ReplyEvent, type Session } from './dialog.js';
import type { Business } from './fleet.js';
import type { HawkerSystem } from './hawker-system.js';
import type { WebhookClient } from './webhook-client.js';

let numbering = Math.floor(Math.random() * 1e6) * 1e3;

/**
 * One stretch of simulated traffic: the customers it creates, every delivery they post and
 * every reply the fake Graph API receives for them, checked by a ledger of its own.
 */
export class LoadRun {
  readonly ledger: ReplyLedger;
  readonly ackLatencies: number[] = [];
  readonly replyLatencies: number[] = [];
  acknowledged = 0;
  refused = 0;
  /** When a delivery was last acknowledged (performance.now()). */
  lastAcknowledgedAt = 0;
  /** Every non-200 answer to a delivery, by status (0: the connection failed). */
  readonly refusals = new Map<number, number>();
  /** Customer messages whose every reply has arrived. */
  answered = 0;
  private customerCount = 0;
  private readonly unsubscribe: () => void;
  private readonly answerListeners = new Set<(event: ReplyEvent) => void>();

  constructor(
    private readonly system: HawkerSystem,
    private readonly businesses: Business[],
    private readonly client: WebhookClient,
    private readonly observe: { ack?: (at: number, ms: number) => void; reply?: (at: number, ms: number) => void } = {},
    private readonly session: Session = shoppingSession,
  ) {
    this.ledger = new ReplyLedger((event) => this.onReply(event));
    this.unsubscribe = system.graph.onMessage((message) => this.ledger.record(message));
  }

  /** A new customer of one of the businesses, with a cart of its own. */
  newCustomer(): Customer {
    const n = this.customerCount++;
    const businessIndex = n % this.businesses.length;
    const item = 1 + (Math.floor(n / this.businesses.length) % 3);
    const quantity = 1 + (Math.floor(n / (3 * this.businesses.length)) % 4);
    const number = `234${String(numbering++).padStart(10, '0')}`;
    const customer = new Customer(
      number,
      this.businesses[businessIndex],
      { item, quantity },
      this.session(businessIndex, item, quantity),
    );
    this.ledger.add(customer);
    return customer;
  }

  /** Posts the customer's next message once, as a load generator: a refusal is counted, not retried. */
  async sendNext(customer: Customer): Promise<void> {
    const step = customer.nextStep++;
    customer.postedAt[step] = performance.now();
    const ack = await this.client.deliver(customer.business.phoneNumberId, customer.number, customer.steps[step].text);
    if (ack.status !== 200) return this.refuse(ack.status);
    this.acknowledged++;
    this.ackLatencies.push(ack.latencyMs);
    this.observe.ack?.(performance.now(), ack.latencyMs);
  }

  /**
   * Takes the customer's next step the way the real world does: a message is posted as Meta
   * posts it, retried until Hawker takes it; a staff step is handed to `staffAction`.
   */
  async takeNextStep(customer: Customer, staffAction: (customer: Customer) => Promise<void>): Promise<void> {
    const step = customer.nextStep++;
    customer.postedAt[step] = performance.now();
    if (customer.steps[step].actor === 'staff') return staffAction(customer);
    const { phoneNumberId } = customer.business;
    await this.client.deliverUntilAccepted(phoneNumberId, customer.number, customer.steps[step].text, (status) =>
      this.refuse(status),
    );
    this.acknowledged++;
    this.lastAcknowledgedAt = performance.now();
  }

  onAnswer(listener: (event: ReplyEvent) => void): void {
    this.answerListeners.add(listener);
  }

  /**
   * Waits until every reply owed has arrived, or until none has arrived for `stallMs`;
   * returns the seconds it took. What is still owed then is lost.
   */
  async drain(stallMs = 30_000): Promise<number> {
    const started = performance.now();
    let owed = this.ledger.owed();
    let progressAt = started;
    while (owed > 0 && performance.now() - progressAt < stallMs) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      const now = this.ledger.owed();
      if (now < owed) progressAt = performance.now();
      owed = now;
    }
    return (performance.now() - started) / 1000;
  }

  integrity(): LedgerCounts & { lost: number } {
    return { ...this.ledger.counts, lost: this.ledger.owed() };
  }

  close(): void {
    this.unsubscribe();
  }

  private refuse(status: number): void {
    this.refused++;
    this.refusals.set(status, (this.refusals.get(status) ?? 0) + 1);
  }

  private onReply(event: ReplyEvent): void {
    if (!event.customer.answered(event.step)) return;
    this.answered++;
    this.replyLatencies.push(event.latencyMs);
    this.observe.reply?.(event.at, event.latencyMs);
    for (const listener of this.answerListeners) listener(event);
  }
}
