import { Body, Controller, Get, Param, Post } from '@nestjs/common';
import { ApiParam, ApiTags } from '@nestjs/swagger';
import type { TenantContext } from '../../../common/auth/roles.js';
import { Ctx, Origin, type RequestOrigin, TenantRoute } from '../../../common/auth/route-access.js';
import { OrderPaymentsService } from './order-payments.service.js';
import { RecordPaymentDto } from './record-payment.dto.js';

@ApiTags('payments')
@Controller('v1/tenants/:tenantId/orders/:orderId/payments')
export class OrderPaymentsController {
  constructor(private readonly payments: OrderPaymentsService) {}

  @TenantRoute()
  @ApiParam({ name: 'orderId', format: 'uuid' })
  @Get()
  list(@Ctx() ctx: TenantContext, @Param('orderId') orderId: string) {
    return this.payments.list(ctx, orderId);
  }

  /** Any member may record a transfer they see arrive; it is audited with their name. */
  @TenantRoute('owner', 'admin', 'staff')
  @ApiParam({ name: 'orderId', format: 'uuid' })
  @Post()
  record(
    @Ctx() ctx: TenantContext,
    @Param('orderId') orderId: string,
    @Body() dto: RecordPaymentDto,
    @Origin() origin: RequestOrigin,
  ) {
    return this.payments.record(ctx, orderId, dto, origin);
  }
}
