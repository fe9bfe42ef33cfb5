import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiParam, ApiTags } from '@nestjs/swagger';
import { Ctx, Origin, type RequestOrigin, TenantRoute } from '../../../common/auth/route-access.js';
import type { TenantContext } from '../../../common/auth/roles.js';
import { ListOrdersQuery } from './dto/list-orders.query.js';
import { TransitionOrderDto } from './dto/transition-order.dto.js';
import { StaffOrdersService } from './staff-orders.service.js';

@ApiTags('orders')
@Controller('v1/tenants/:tenantId/orders')
export class OrdersController {
  constructor(private readonly orders: StaffOrdersService) {}

  @TenantRoute()
  @Get()
  list(@Ctx() ctx: TenantContext, @Query() query: ListOrdersQuery) {
    return this.orders.list(ctx, query);
  }

  @TenantRoute()
  @ApiParam({ name: 'orderId', format: 'uuid' })
  @Get(':orderId')
  get(@Ctx() ctx: TenantContext, @Param('orderId') orderId: string) {
    return this.orders.get(ctx, orderId);
  }

  @TenantRoute()
  @ApiParam({ name: 'orderId', format: 'uuid' })
  @HttpCode(200)
  @Post(':orderId/transitions')
  transition(
    @Ctx() ctx: TenantContext,
    @Param('orderId') orderId: string,
    @Body() dto: TransitionOrderDto,
    @Origin() origin: RequestOrigin,
  ) {
    return this.orders.transition(ctx, orderId, dto, origin);
  }
}
