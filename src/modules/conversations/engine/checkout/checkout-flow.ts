import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AppError } from '../../../../common/errors/app-error.js';
import { AppConfig } from '../../../../config/app-config.js';
import type { TenantScope } from '../../../../database/tenant-db.js';
import type { OutboundPayload } from '../../../channels/outbox/outbound-payload.js';
import { CartService } from '../../../commerce/cart.service.js';
import { OrdersService } from '../../../commerce/orders/orders.service.js';
import type { DeliveryDetailsInput } from '../command-parser.js';
import type { ReplyContext } from '../replies.js';
import * as say from './checkout-replies.js';
import { CheckoutStore, type CheckoutState } from './checkout-store.js';
import {
  type DeliveryDraft,
  type DeliveryField,
  nextMissing,
  regionOf,
  toOrderDeliveryInput,
  withDetail,
  withDetails,
} from './delivery-details.js';

/** One conversation's turn, as the checkout sees it. */
export interface CheckoutTurn {
  tx: EntityManager;
  scope: TenantScope;
  conversationId: string;
  ctx: ReplyContext;
}

/**
 * Checkout and orders in chat: collects delivery details one at a time, places the order
 * from the cart, and answers about the customer's own orders. Every figure is read from
 * the database; an order number of another contact is "not found".
 */
@Injectable()
export class CheckoutFlow {
  constructor(
    private readonly store: CheckoutStore,
    private readonly carts: CartService,
    private readonly orders: OrdersService,
    private readonly config: AppConfig,
  ) {}

  /** `checkout`: the first missing detail's question, or the summary when none is. */
  async start(turn: CheckoutTurn): Promise<OutboundPayload> {
    const cart = await this.carts.view(turn.tx, turn.scope, turn.conversationId);
    if (cart.lines.length === 0) return say.emptyCart();
    await this.store.moveTo(turn.tx, turn.scope, turn.conversationId, 'details');
    return this.nextQuestion(turn, await this.store.load(turn.tx, turn.scope, turn.conversationId));
  }

  /** A typed answer to the question asked last. */
  async answer(turn: CheckoutTurn, text: string): Promise<OutboundPayload> {
    const state = await this.store.load(turn.tx, turn.scope, turn.conversationId);
    const field = nextMissing(state.draft);
    if (!field) return this.nextQuestion(turn, state);
    const region = regionOf(turn.ctx.locale);
    return this.saveAndContinue(turn, state, withDetail(state.draft, field, text, region, state.contactPhone));
  }

  /** Several details at once (the AI's tool call). */
  async setDetails(turn: CheckoutTurn, details: DeliveryDetailsInput): Promise<OutboundPayload> {
    const cart = await this.carts.view(turn.tx, turn.scope, turn.conversationId);
    if (cart.lines.length === 0) return say.emptyCart();
    await this.store.moveTo(turn.tx, turn.scope, turn.conversationId, 'details');
    const state = await this.store.load(turn.tx, turn.scope, turn.conversationId);
    return this.saveAndContinue(turn, state, withDetails(state.draft, details, regionOf(turn.ctx.locale)));
  }

  /** `change`: forget the answers and ask again from the name. */
  async changeDetails(turn: CheckoutTurn): Promise<OutboundPayload> {
    await this.store.saveDraft(turn.tx, turn.scope, turn.conversationId, {});
    return this.start(turn);
  }

  /**
   * `confirm`: places the order. Only after the summary (step `details` or later): a
   * `confirm` typed while browsing shows the summary first. A repeated confirm of the same
   * cart returns the order already placed (the orders' guard is keyed on the cart).
   */
  async confirm(turn: CheckoutTurn): Promise<OutboundPayload> {
    const { tx, scope, conversationId } = turn;
    const state = await this.store.load(tx, scope, conversationId);
    if (state.step !== 'details' && state.step !== 'awaiting_payment') return this.start(turn);
    const delivery = toOrderDeliveryInput(state.draft);
    if (!delivery) return this.start(turn);
    try {
      const { order, created } = await this.orders.createFromCart(tx, scope, {
        conversationId,
        contactId: state.contactId,
        delivery,
        checkoutTtlSeconds: this.config.commerce.checkoutTtlSeconds,
      });
      if (order.status === 'cancelled') return say.orderCancelled(order);
      await this.store.moveTo(tx, scope, conversationId, 'awaiting_payment');
      return created ? say.placed(turn.ctx, order) : say.alreadyPlaced(order);
    } catch (error) {
      return this.confirmRefused(turn, error);
    }
  }

  /** `pay`: the payment link or instructions again, for the order waiting for its money. */
  async pay(turn: CheckoutTurn): Promise<OutboundPayload> {
    const order = await this.orders.awaitingPayment(turn.tx, turn.scope, turn.conversationId);
    if (!order) return say.nothingToPay();
    await this.orders.requestPayment(turn.tx, turn.scope, order);
    return say.paymentResent(order);
  }

  async status(turn: CheckoutTurn, orderNumber: string): Promise<OutboundPayload> {
    const order = await this.findOwnOrder(turn, orderNumber);
    return order ? say.orderStatus(turn.ctx, order) : say.orderNotFound(orderNumber);
  }

  async history(turn: CheckoutTurn): Promise<OutboundPayload> {
    const { contactId } = await this.store.load(turn.tx, turn.scope, turn.conversationId);
    return say.orderHistory(turn.ctx, await this.orders.listForContact(turn.tx, turn.scope, contactId, 5));
  }

  /**
   * Customers may call off only what the business has not confirmed, and nothing already
   * paid for: money taken is for a person to sort out.
   */
  async cancelOrder(turn: CheckoutTurn, orderNumber: string): Promise<OutboundPayload> {
    const { tx, scope, conversationId } = turn;
    const order = await this.findOwnOrder(turn, orderNumber);
    if (!order) return say.orderNotFound(orderNumber);
    if (order.paymentStatus === 'paid') return say.cannotCancel(order);
    const awaited = await this.orders.awaitingPayment(tx, scope, conversationId);
    try {
      await this.orders.transition(tx, scope, order.id, 'cancelled', { type: 'customer' });
    } catch (error) {
      if (error instanceof AppError && error.code === 'illegal_transition') return say.cannotCancel(order);
      throw error;
    }
    if (awaited?.id === order.id) await this.store.moveTo(tx, scope, conversationId, 'browsing');
    return say.orderCancelled(order);
  }

  /**
   * A bare `cancel`: leaves the checkout. An order waiting for payment is not cancelled by
   * a word that also means "never mind"; the customer is shown how instead.
   */
  async leave(turn: CheckoutTurn): Promise<OutboundPayload | undefined> {
    const { tx, scope, conversationId } = turn;
    const awaited = await this.orders.awaitingPayment(tx, scope, conversationId);
    await this.store.moveTo(tx, scope, conversationId, 'browsing');
    return awaited ? say.howToCancel(awaited) : undefined;
  }

  /** `new order`: an empty cart; the delivery answers stay for next time. */
  async newOrder(turn: CheckoutTurn): Promise<OutboundPayload> {
    await this.carts.clear(turn.tx, turn.scope, turn.conversationId);
    await this.store.moveTo(turn.tx, turn.scope, turn.conversationId, 'browsing');
    return say.newOrder();
  }

  /** The detail the checkout asked for and is waiting on, if any. */
  async pendingQuestion(
    tx: EntityManager,
    scope: TenantScope,
    conversationId: string,
  ): Promise<DeliveryField | undefined> {
    const state = await this.store.load(tx, scope, conversationId);
    return state.step === 'details' ? nextMissing(state.draft) : undefined;
  }

  /** The pending question again, after a question of the customer's own the bot cannot answer. */
  async askAgain(turn: CheckoutTurn): Promise<OutboundPayload> {
    const state = await this.store.load(turn.tx, turn.scope, turn.conversationId);
    const field = nextMissing(state.draft);
    if (!field) return this.nextQuestion(turn, state);
    return say.askFor(field, turn.ctx, state.contactPhone, false, say.CANNOT_ANSWER);
  }

  private async saveAndContinue(
    turn: CheckoutTurn,
    state: CheckoutState,
    result: { ok: true; draft: DeliveryDraft } | { ok: false; field: DeliveryField },
  ): Promise<OutboundPayload> {
    if (!result.ok) return say.askFor(result.field, turn.ctx, state.contactPhone, true);
    await this.store.saveDraft(turn.tx, turn.scope, turn.conversationId, result.draft);
    return this.nextQuestion(turn, { ...state, draft: result.draft });
  }

  private async nextQuestion(turn: CheckoutTurn, state: CheckoutState): Promise<OutboundPayload> {
    const missing = nextMissing(state.draft);
    if (missing) return say.askFor(missing, turn.ctx, state.contactPhone);
    return say.summary(turn.ctx, await this.carts.view(turn.tx, turn.scope, turn.conversationId), state.draft);
  }

  private async confirmRefused(turn: CheckoutTurn, error: unknown): Promise<OutboundPayload> {
    if (!(error instanceof AppError)) throw error;
    switch (error.code) {
      case 'out_of_stock': {
        const { name, available } = error.details as { name: string; available: number };
        return say.soldOut(name, available);
      }
      case 'cart_empty': {
        const waiting = await this.orders.awaitingPayment(turn.tx, turn.scope, turn.conversationId);
        return waiting ? say.alreadyPlaced(waiting) : say.noCheckout();
      }
      case 'invalid_delivery': {
        const field = (error.details as { field: DeliveryField }).field;
        const state = await this.store.load(turn.tx, turn.scope, turn.conversationId);
        return say.askFor(field, turn.ctx, state.contactPhone, true);
      }
      default:
        throw error;
    }
  }

  private async findOwnOrder(turn: CheckoutTurn, orderNumber: string) {
    const number = Number(/(\d+)$/u.exec(orderNumber)?.[1]);
    if (!Number.isSafeInteger(number)) return null;
    const { contactId } = await this.store.load(turn.tx, turn.scope, turn.conversationId);
    return this.orders.findByNumber(turn.tx, turn.scope, contactId, number);
  }
}
