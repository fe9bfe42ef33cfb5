import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { RequestOrigin } from '../../../common/auth/route-access.js';
import { isUuid } from '../../../common/uuid.js';
import type { TenantScope } from '../../../database/tenant-db.js';
import { AuditService } from '../../audit/audit.service.js';
import { CartService } from '../cart.service.js';
import { CommerceErrors } from '../commerce.errors.js';
import { toOrderDelivery } from './order-delivery.js';
import { CheckoutHolds } from './checkout-holds.js';
import { OrderEvents, type OrderChangeReason } from './order-events.js';
import { nextOrderStatus, type OrderActorType, type OrderStatus, type PaymentStatus } from './order-lifecycle.js';
import { releaseStock, reserveStock } from './order-stock.js';
import {
  ORDER_COLUMNS,
  OrderDetailView,
  OrderItemView,
  OrderRow,
  OrderTransitionView,
  OrderView,
  safeNumber,
  toOrderView,
} from './order.views.js';
import { OrderErrors } from './orders.errors.js';

/** How long an unpaid checkout holds its stock before expiry may cancel it. */
export const DEFAULT_CHECKOUT_TTL_SECONDS = 24 * 60 * 60;

export type OrderActor =
  { type: 'customer' } | { type: 'system' } | { type: 'staff'; userId: string; origin?: RequestOrigin };

export interface CreateOrderInput {
  conversationId: string;
  contactId: string;
  /** Checked by `toOrderDelivery`: name, E.164 phone, and an address or `pickup: true`. */
  delivery: unknown;
  checkoutTtlSeconds?: number;
}

/**
 * Orders for the conversation engine, payments and the staff API. Every method runs
 * inside the caller's tenant transaction (`tx`) and never opens one of its own.
 */
@Injectable()
export class OrdersService {
  constructor(
    private readonly carts: CartService,
    private readonly audit: AuditService,
    private readonly events: OrderEvents,
    private readonly holds: CheckoutHolds,
  ) {}

  /**
   * Turns the conversation's cart into an order in `pending_confirmation`: prices and names
   * are snapshotted, stock is reserved, the cart is emptied. Confirming the same unchanged
   * cart again (a double tap, a replay, a concurrent request) returns the first order with
   * `created: false`. Throws `cart_empty`, `out_of_stock` (nothing reserved),
   * `invalid_delivery` and `not_found` for a conversation that is not the contact's.
   */
  async createFromCart(
    tx: EntityManager,
    scope: TenantScope,
    input: CreateOrderInput,
  ): Promise<{ order: OrderDetailView; created: boolean }> {
    const { conversationId, contactId } = input;
    const delivery = toOrderDelivery(input.delivery);
    if (!isUuid(conversationId) || !isUuid(contactId)) throw CommerceErrors.conversationNotFound();
    const [conversation] = await tx.query<{ contactId: string }[]>(
      `SELECT contact_id AS "contactId" FROM conversations WHERE tenant_id = $1 AND id = $2`,
      [scope.tenantId, conversationId],
    );
    if (conversation?.contactId !== contactId) throw CommerceErrors.conversationNotFound();

    // The cart's row lock serialises checkouts of one cart (and every CartService change,
    // which touches the row first); its version names the cart's exact contents.
    const [cart] = await tx.query<{ id: string; version: string }[]>(
      `SELECT id, version FROM carts WHERE tenant_id = $1 AND conversation_id = $2 FOR UPDATE`,
      [scope.tenantId, conversationId],
    );
    if (!cart) throw OrderErrors.cartEmpty();
    const checkoutKey = `${cart.id}:${cart.version}`;
    const [existing] = await tx.query<{ id: string }[]>(
      `SELECT id FROM orders WHERE tenant_id = $1 AND checkout_key = $2`,
      [scope.tenantId, checkoutKey],
    );
    if (existing) return { order: await this.detail(tx, scope, existing.id), created: false };

    const view = await this.carts.view(tx, scope, conversationId);
    if (view.lines.length === 0 || view.currency === null) throw OrderErrors.cartEmpty();
    const reserved = await reserveStock(tx, scope, view.lines);

    // Taken last, just before the insert: the counter's row lock serialises every checkout
    // of the tenant until commit, and a rollback gives the number back.
    const [{ number }] = await tx.query<{ number: string }[]>(
      `INSERT INTO order_counters (tenant_id, next_number) VALUES ($1, 1002)
       ON CONFLICT (tenant_id) DO UPDATE SET next_number = order_counters.next_number + 1
       RETURNING next_number - 1 AS number`,
      [scope.tenantId],
    );
    const ttl = input.checkoutTtlSeconds ?? DEFAULT_CHECKOUT_TTL_SECONDS;
    const [order] = await tx.query<{ id: string }[]>(
      `INSERT INTO orders (tenant_id, number, conversation_id, contact_id, cart_id, checkout_key, currency,
                           subtotal_minor, total_minor, delivery, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8, $9, now() + make_interval(secs => $10))
       RETURNING id`,
      [
        scope.tenantId,
        number,
        conversationId,
        contactId,
        cart.id,
        checkoutKey,
        view.currency,
        view.totalMinor,
        JSON.stringify(delivery),
        ttl,
      ],
    );
    await tx.query(
      `INSERT INTO order_items (tenant_id, order_id, position, product_id, name, unit_price_minor, quantity,
                                line_total_minor, reserved)
       SELECT $1, $2, line.position, line.product_id, line.name, line.unit_price, line.quantity, line.line_total,
              line.reserved
         FROM unnest($3::uuid[], $4::text[], $5::bigint[], $6::int[], $7::bigint[], $8::int[])
              WITH ORDINALITY AS line (product_id, name, unit_price, quantity, line_total, reserved, position)`,
      [
        scope.tenantId,
        order.id,
        view.lines.map((line) => line.productId),
        view.lines.map((line) => line.name),
        view.lines.map((line) => line.unitPriceMinor),
        view.lines.map((line) => line.quantity),
        view.lines.map((line) => line.lineTotalMinor),
        view.lines.map((line) => reserved.get(line.productId) ?? 0),
      ],
    );
    await this.recordTransition(tx, scope, order.id, null, 'pending_confirmation', { type: 'customer' });
    // Emptied without touching the cart row: its version stays, so a repeated confirm of
    // this cart still finds this order. The next change to the cart moves the version.
    await tx.query(`DELETE FROM cart_items WHERE tenant_id = $1 AND cart_id = $2`, [scope.tenantId, cart.id]);
    const created = await this.detail(tx, scope, order.id);
    await this.events.publish(tx, scope, {
      type: 'status_changed',
      ...refOf(created),
      from: null,
      to: 'pending_confirmation',
      actor: 'customer',
    });
    return { order: created, created: true };
  }

  /**
   * Moves an order along its lifecycle (`illegal_transition` otherwise), records who did it,
   * gives reserved stock back on cancellation, audits staff actions and tells the
   * order's subscribers (invoices, notifications) in the same transaction.
   */
  async transition(
    tx: EntityManager,
    scope: TenantScope,
    orderId: string,
    to: OrderStatus,
    actor: OrderActor,
    options: { note?: string; reason?: OrderChangeReason } = {},
  ): Promise<OrderDetailView> {
    const { note, reason } = options;
    if (!isUuid(orderId)) throw OrderErrors.orderNotFound();
    const [order] = await tx.query<{ status: OrderStatus; number: string }[]>(
      `SELECT status, number FROM orders WHERE tenant_id = $1 AND id = $2 FOR UPDATE`,
      [scope.tenantId, orderId],
    );
    if (!order) throw OrderErrors.orderNotFound();
    const from = order.status;
    nextOrderStatus(from, to, actor.type);
    // Only a checkout awaiting confirmation can lapse.
    await tx.query(
      `UPDATE orders SET status = $3, expires_at = CASE WHEN $3 = 'pending_confirmation' THEN expires_at END
        WHERE tenant_id = $1 AND id = $2`,
      [scope.tenantId, orderId, to],
    );
    if (to === 'cancelled') await releaseStock(tx, scope, orderId);
    await this.recordTransition(tx, scope, orderId, from, to, actor, note);
    if (actor.type === 'staff') {
      await this.audit.recordIn(tx, scope, {
        action: 'order.status_changed',
        actorUserId: actor.userId,
        target: { type: 'order', id: orderId },
        origin: actor.origin,
        details: { number: safeNumber(order.number), from, to },
      });
    }
    const moved = await this.detail(tx, scope, orderId);
    await this.events.publish(tx, scope, {
      type: 'status_changed',
      ...refOf(moved),
      from,
      to,
      actor: actor.type,
      ...(reason ? { reason } : {}),
    });
    return moved;
  }

  /**
   * Sets the order's payment status (payments owns when; the order row is locked first).
   * Returns the order as it was before, so the caller can tell a first payment from a replay.
   */
  async setPaymentStatus(
    tx: EntityManager,
    scope: TenantScope,
    orderId: string,
    status: PaymentStatus,
  ): Promise<OrderDetailView> {
    const before = await this.lock(tx, scope, orderId);
    await tx.query(`UPDATE orders SET payment_status = $3 WHERE tenant_id = $1 AND id = $2`, [
      scope.tenantId,
      orderId,
      status,
    ]);
    return before;
  }

  /** The order with its row locked until the caller's transaction ends. */
  async lock(tx: EntityManager, scope: TenantScope, orderId: string): Promise<OrderDetailView> {
    if (!isUuid(orderId)) throw OrderErrors.orderNotFound();
    const [row] = await tx.query<{ id: string }[]>(
      `SELECT id FROM orders WHERE tenant_id = $1 AND id = $2 FOR UPDATE`,
      [scope.tenantId, orderId],
    );
    if (!row) throw OrderErrors.orderNotFound();
    return this.detail(tx, scope, orderId);
  }

  /**
   * Cancels a checkout that is still unconfirmed and unpaid past its expiry, releasing its
   * stock; false when it was paid, confirmed or extended meanwhile (checked under the lock)
   * or something downstream holds it (a payment on its way).
   */
  async expireIfDue(tx: EntityManager, scope: TenantScope, orderId: string): Promise<boolean> {
    const [order] = await tx.query<{ due: boolean }[]>(
      `SELECT (status = 'pending_confirmation' AND payment_status <> 'paid' AND expires_at < now()) AS due
         FROM orders WHERE tenant_id = $1 AND id = $2 FOR UPDATE`,
      [scope.tenantId, orderId],
    );
    if (!order?.due || (await this.holds.reasonToKeep(tx, scope, orderId))) return false;
    await this.transition(
      tx,
      scope,
      orderId,
      'cancelled',
      { type: 'system' },
      {
        reason: 'expired',
        note: 'Checkout expired unpaid',
      },
    );
    return true;
  }

  /** The customer asked to pay (again): payments re-sends the link or instructions. */
  async requestPayment(tx: EntityManager, scope: TenantScope, order: OrderView): Promise<void> {
    await this.events.publish(tx, scope, { type: 'payment_requested', ...refOf(order) });
  }

  /**
   * The conversation's newest order still waiting for its money: not cancelled, not paid
   * (or refunded). What `pay` re-sends the link for.
   */
  async awaitingPayment(tx: EntityManager, scope: TenantScope, conversationId: string): Promise<OrderView | null> {
    if (!isUuid(conversationId)) return null;
    const [row] = await tx.query<OrderRow[]>(
      `SELECT ${ORDER_COLUMNS} FROM orders o
        WHERE o.tenant_id = $1 AND o.conversation_id = $2 AND o.status <> 'cancelled'
          AND o.payment_status IN ('unpaid', 'pending', 'failed')
          AND (o.expires_at IS NULL OR o.expires_at > now())
        ORDER BY o.created_at DESC, o.id DESC LIMIT 1`,
      [scope.tenantId, conversationId],
    );
    return row ? toOrderView(row) : null;
  }

  /** The contact's order with that number; null for another contact's, so numbers cannot be probed. */
  async findByNumber(
    tx: EntityManager,
    scope: TenantScope,
    contactId: string,
    number: number,
  ): Promise<OrderDetailView | null> {
    if (!isUuid(contactId) || !Number.isSafeInteger(number)) return null;
    const [row] = await tx.query<{ id: string }[]>(
      `SELECT id FROM orders WHERE tenant_id = $1 AND contact_id = $2 AND number = $3`,
      [scope.tenantId, contactId, number],
    );
    return row ? this.detail(tx, scope, row.id) : null;
  }

  /** The contact's most recent orders, newest first. */
  async listForContact(tx: EntityManager, scope: TenantScope, contactId: string, limit = 10): Promise<OrderView[]> {
    if (!isUuid(contactId)) return [];
    const rows = await tx.query<OrderRow[]>(
      `SELECT ${ORDER_COLUMNS} FROM orders o WHERE o.tenant_id = $1 AND o.contact_id = $2
        ORDER BY o.created_at DESC, o.id DESC LIMIT $3`,
      [scope.tenantId, contactId, Math.min(100, Math.max(1, Math.trunc(limit)))],
    );
    return rows.map(toOrderView);
  }

  /** An order with its lines and history; `not_found` when the tenant has no such order. */
  async detail(tx: EntityManager, scope: TenantScope, orderId: string): Promise<OrderDetailView> {
    if (!isUuid(orderId)) throw OrderErrors.orderNotFound();
    const [row] = await tx.query<OrderRow[]>(
      `SELECT ${ORDER_COLUMNS} FROM orders o WHERE o.tenant_id = $1 AND o.id = $2`,
      [scope.tenantId, orderId],
    );
    if (!row) throw OrderErrors.orderNotFound();
    const items = await tx.query<(Omit<OrderItemView, 'unitPriceMinor' | 'lineTotalMinor'> & Money)[]>(
      `SELECT product_id AS "productId", name, unit_price_minor AS "unitPriceMinor", quantity,
              line_total_minor AS "lineTotalMinor"
         FROM order_items WHERE tenant_id = $1 AND order_id = $2 ORDER BY position`,
      [scope.tenantId, orderId],
    );
    const transitions = await tx.query<(Omit<OrderTransitionView, 'at'> & { at: Date })[]>(
      `SELECT from_status AS "from", to_status AS "to", actor_type AS "actorType", actor_user_id AS "actorUserId",
              note, created_at AS "at"
         FROM order_transitions WHERE tenant_id = $1 AND order_id = $2 ORDER BY created_at, id`,
      [scope.tenantId, orderId],
    );
    return {
      ...toOrderView(row),
      items: items.map((item) => ({
        ...item,
        unitPriceMinor: safeNumber(item.unitPriceMinor),
        lineTotalMinor: safeNumber(item.lineTotalMinor),
      })),
      transitions: transitions.map((transition) => ({ ...transition, at: transition.at.toISOString() })),
    };
  }

  private async recordTransition(
    tx: EntityManager,
    scope: TenantScope,
    orderId: string,
    from: OrderStatus | null,
    to: OrderStatus,
    actor: OrderActor,
    note?: string,
  ): Promise<void> {
    const actorType: OrderActorType = actor.type;
    await tx.query(
      `INSERT INTO order_transitions (tenant_id, order_id, from_status, to_status, actor_type, actor_user_id, note)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [scope.tenantId, orderId, from, to, actorType, actor.type === 'staff' ? actor.userId : null, note ?? null],
    );
  }
}

function refOf(order: OrderView) {
  return {
    orderId: order.id,
    number: order.number,
    conversationId: order.conversationId,
    contactId: order.contactId,
  };
}

interface Money {
  unitPriceMinor: string;
  lineTotalMinor: string;
}
