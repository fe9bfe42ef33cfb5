import { Injectable } from '@nestjs/common';
import type { TenantContext } from '../../../common/auth/roles.js';
import type { RequestOrigin } from '../../../common/auth/route-access.js';
import { decodeKeyset, Page, pageSize, positionOf, toKeysetPage } from '../../../common/http/pagination.js';
import { TenantDb } from '../../../database/tenant-db.js';
import { ListOrdersQuery } from './dto/list-orders.query.js';
import { TransitionOrderDto } from './dto/transition-order.dto.js';
import { ORDER_COLUMNS, OrderDetailView, OrderRow, OrderView, toOrderView } from './order.views.js';
import { OrdersService } from './orders.service.js';

/** Orders as the business's staff see and move them: one tenant transaction per request. */
@Injectable()
export class StaffOrdersService {
  constructor(
    private readonly tenantDb: TenantDb,
    private readonly orders: OrdersService,
  ) {}

  /** Newest first. */
  list(ctx: TenantContext, query: ListOrdersQuery): Promise<Page<OrderView>> {
    const after = decodeKeyset(query.cursor);
    const limit = pageSize(query);
    const params: unknown[] = [ctx.tenantId, limit + 1];
    const where = ['o.tenant_id = $1'];
    if (query.status) where.push(`o.status = $${params.push(query.status)}`);
    if (after) {
      where.push(`(o.created_at, o.id) < ($${params.push(after.at)}::timestamptz, $${params.push(after.id)}::uuid)`);
    }
    return this.tenantDb.run(ctx, async (tx) => {
      const rows = await tx.query<(OrderRow & { position: string })[]>(
        `SELECT ${ORDER_COLUMNS}, ${positionOf('o.created_at')} AS position
           FROM orders o WHERE ${where.join(' AND ')}
          ORDER BY o.created_at DESC, o.id DESC LIMIT $2`,
        params,
      );
      return toKeysetPage(rows, limit, toOrderView);
    });
  }

  get(ctx: TenantContext, orderId: string): Promise<OrderDetailView> {
    return this.tenantDb.run(ctx, (tx) => this.orders.detail(tx, ctx, orderId));
  }

  /** Any member may move an order; the lifecycle decides what is legal. */
  transition(
    ctx: TenantContext,
    orderId: string,
    dto: TransitionOrderDto,
    origin?: RequestOrigin,
  ): Promise<OrderDetailView> {
    return this.tenantDb.run(ctx, (tx) =>
      this.orders.transition(
        tx,
        ctx,
        orderId,
        dto.to,
        { type: 'staff', userId: ctx.userId, origin },
        {
          note: dto.note,
        },
      ),
    );
  }
}
