import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AppError } from '../../../common/errors/app-error.js';
import type { TenantScope } from '../../../database/tenant-db.js';
import type { OutboundPayload } from '../../channels/outbox/outbound-payload.js';
import { CartService } from '../../commerce/cart.service.js';
import { CatalogService } from '../../commerce/catalog.service.js';
import type { CatalogItem } from '../../commerce/catalog-match.js';
import { ConsentService } from '../../privacy/consent/consent.service.js';
import { CheckoutFlow, type CheckoutTurn } from './checkout/checkout-flow.js';
import { CheckoutStore } from './checkout/checkout-store.js';
import type { Command, ItemRef } from './command-parser.js';
import * as reply from './replies.js';

export interface Execution {
  replies: OutboundPayload[];
  /** False when the customer's words matched nothing we can do. */
  understood: boolean;
  escalate?: boolean;
}

/**
 * Turns one action into changes and replies. Shared by the command parser and
 * the AI's tool calls: every id, quantity and price is checked against this tenant's
 * data here, and every figure the customer sees is rendered from the database.
 */
@Injectable()
export class CommandExecutor {
  constructor(
    private readonly catalog: CatalogService,
    private readonly carts: CartService,
    private readonly checkout: CheckoutFlow,
    private readonly steps: CheckoutStore,
    private readonly consent: ConsentService,
  ) {}

  async execute(
    tx: EntityManager,
    scope: TenantScope,
    conversationId: string,
    ctx: reply.ReplyContext,
    command: Command,
  ): Promise<Execution> {
    const done = (...replies: OutboundPayload[]): Execution => ({ replies, understood: true });
    const turn: CheckoutTurn = { tx, scope, conversationId, ctx };
    switch (command.type) {
      case 'greet':
        return done(reply.greeting(ctx));
      case 'show_catalog':
        return done(reply.catalog(ctx, await this.catalog.listActive(tx, scope)));
      case 'add_to_cart':
        return this.addToCart(tx, scope, conversationId, ctx, command.item, command.quantity);
      case 'remove_from_cart':
        return this.removeFromCart(tx, scope, conversationId, ctx, command.item);
      case 'view_cart':
        return done(reply.cart(ctx, await this.carts.view(tx, scope, conversationId)));
      case 'clear_cart':
        await this.carts.clear(tx, scope, conversationId);
        await this.steps.moveTo(tx, scope, conversationId, 'browsing');
        return done(reply.cartCleared());
      case 'cancel':
        return done((await this.checkout.leave(turn)) ?? reply.cancelled());
      case 'escalate':
        return { replies: [reply.escalated()], understood: true, escalate: true };
      case 'invalid':
        return done(reply.invalidInput(command.hint));
      case 'checkout':
        return done(await this.checkout.start(turn));
      case 'set_delivery_details':
        return done(await this.checkout.setDetails(turn, command.details));
      case 'change_details':
        return done(await this.checkout.changeDetails(turn));
      case 'confirm':
        return done(await this.checkout.confirm(turn));
      case 'pay':
        return done(await this.checkout.pay(turn));
      case 'order_status':
        return done(await this.checkout.status(turn, command.orderNumber));
      case 'order_history':
        return done(await this.checkout.history(turn));
      case 'cancel_order':
        return done(await this.checkout.cancelOrder(turn, command.orderNumber));
      case 'new_order':
        return done(await this.checkout.newOrder(turn));
      case 'opt_out':
      case 'opt_in':
        return done(await this.changeMarketingConsent(tx, scope, conversationId, ctx, command.type === 'opt_in'));
      case 'unknown':
        return { replies: [], understood: false };
    }
  }

  /**
   * STOP and START speak for the customer themselves, so they change marketing consent at
   * once; service replies to the customer's own messages are not affected by either.
   */
  private async changeMarketingConsent(
    tx: EntityManager,
    scope: TenantScope,
    conversationId: string,
    ctx: reply.ReplyContext,
    granted: boolean,
  ): Promise<OutboundPayload> {
    const [conversation] = await tx.query<{ contact_id: string }[]>(
      `SELECT contact_id FROM conversations WHERE tenant_id = $1 AND id = $2`,
      [scope.tenantId, conversationId],
    );
    const changed = await this.consent.record(tx, scope, {
      contactId: conversation.contact_id,
      purpose: 'marketing',
      granted,
      source: 'chat',
    });
    return granted ? reply.optedIn(ctx, changed) : reply.optedOut(ctx, changed);
  }

  private async addToCart(
    tx: EntityManager,
    scope: TenantScope,
    conversationId: string,
    ctx: reply.ReplyContext,
    ref: ItemRef,
    quantity: number,
  ): Promise<Execution> {
    const item = await this.find(tx, scope, ref);
    if ('reply' in item) return { replies: [item.reply], understood: true };
    return this.cartChange(ctx, item.found, async () => {
      const cart = await this.carts.add(tx, scope, conversationId, item.found.id, quantity);
      await this.steps.moveTo(tx, scope, conversationId, 'cart');
      return reply.cart(ctx, cart, `Added ${quantity} × ${item.found.name}.`);
    });
  }

  private async removeFromCart(
    tx: EntityManager,
    scope: TenantScope,
    conversationId: string,
    ctx: reply.ReplyContext,
    ref: ItemRef,
  ): Promise<Execution> {
    const item = await this.find(tx, scope, ref);
    if ('reply' in item) return { replies: [item.reply], understood: true };
    return this.cartChange(ctx, item.found, async () =>
      reply.cart(ctx, await this.carts.remove(tx, scope, conversationId, item.found.id), `Removed ${item.found.name}.`),
    );
  }

  private async find(
    tx: EntityManager,
    scope: TenantScope,
    ref: ItemRef,
  ): Promise<{ found: CatalogItem } | { reply: OutboundPayload }> {
    const resolution = await this.catalog.resolve(tx, scope, ref);
    switch (resolution.status) {
      case 'found':
        return { found: resolution.item };
      case 'ambiguous':
        return { reply: reply.whichOne(resolution.candidates) };
      case 'not_found':
        return {
          reply: reply.notOnMenu(
            ref.kind === 'index' ? `item ${ref.index}` : ref.kind === 'name' ? `"${ref.name}"` : 'that item',
          ),
        };
    }
  }

  /** Cart rules the customer can break become friendly replies, not errors. */
  private async cartChange(
    ctx: reply.ReplyContext,
    item: CatalogItem,
    change: () => Promise<OutboundPayload>,
  ): Promise<Execution> {
    try {
      return { replies: [await change()], understood: true };
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      switch (error.code) {
        case 'out_of_stock':
          return { replies: [reply.outOfStock(item.name)], understood: true };
        case 'not_in_cart':
          return { replies: [reply.notInCart()], understood: true };
        case 'not_found':
          return { replies: [reply.notOnMenu(item.name)], understood: true };
        case 'currency_mismatch':
          return {
            replies: [
              reply.invalidInput(
                `${item.name} is priced in another currency than your cart. Reply *clear* to start a new cart.`,
              ),
            ],
            understood: true,
          };
        default:
          throw error;
      }
    }
  }
}
