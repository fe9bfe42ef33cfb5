import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AppError } from '../../../common/errors/app-error.js';
import type { TenantScope } from '../../../database/tenant-db.js';
import type { OutboundPayload } from '../../channels/outbox/outbound-payload.js';
import { CartService } from '../../commerce/cart.service.js';
import { CatalogService } from '../../commerce/catalog.service.js';
import type { CatalogItem } from '../../commerce/catalog-match.js';
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
  ) {}

  async execute(
    tx: EntityManager,
    scope: TenantScope,
    conversationId: string,
    ctx: reply.ReplyContext,
    command: Command,
  ): Promise<Execution> {
    const done = (...replies: OutboundPayload[]): Execution => ({ replies, understood: true });
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
        return done(reply.cartCleared());
      case 'cancel':
        return done(reply.cancelled());
      case 'escalate':
        return { replies: [reply.escalated()], understood: true, escalate: true };
      case 'invalid':
        return done(reply.invalidInput(command.hint));
      case 'checkout':
      case 'confirm':
      case 'pay':
      case 'order_status':
      case 'order_history':
      case 'cancel_order':
      case 'new_order':
      case 'opt_out':
      case 'opt_in':
        return done(reply.notYetInChat());
      case 'unknown':
        return { replies: [], understood: false };
    }
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
    return this.cartChange(ctx, item.found, async () =>
      reply.cart(
        ctx,
        await this.carts.add(tx, scope, conversationId, item.found.id, quantity),
        `Added ${quantity} × ${item.found.name}.`,
      ),
    );
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
