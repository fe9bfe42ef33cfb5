import { Body, Controller, Get, Put } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { TenantContext } from '../../../common/auth/roles.js';
import { Ctx, Origin, type RequestOrigin, TenantRoute } from '../../../common/auth/route-access.js';
import { PutPaymentSettingsDto } from './payment-settings.dto.js';
import { PaymentSettingsService } from './payment-settings.service.js';

@ApiTags('payments')
@Controller('v1/tenants/:tenantId/payment-settings')
export class PaymentSettingsController {
  constructor(private readonly settings: PaymentSettingsService) {}

  /**
   * Any member: staff record bank transfers and answer customers' questions about paying,
   * and nothing secret is shown (the key only as its last 4 characters).
   */
  @TenantRoute()
  @Get()
  get(@Ctx() ctx: TenantContext) {
    return this.settings.get(ctx);
  }

  /** Where the business's money goes: owners and admins only. */
  @TenantRoute('owner', 'admin')
  @Put()
  put(@Ctx() ctx: TenantContext, @Body() dto: PutPaymentSettingsDto, @Origin() origin: RequestOrigin) {
    return this.settings.put(ctx, dto, origin);
  }
}
