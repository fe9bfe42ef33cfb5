import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiParam, ApiTags } from '@nestjs/swagger';
import { Ctx, Origin, type RequestOrigin, TenantRoute } from '../../common/auth/route-access.js';
import type { TenantContext } from '../../common/auth/roles.js';
import { CreateProductDto } from './dto/create-product.dto.js';
import { ListProductsQuery } from './dto/list-products.query.js';
import { UpdateProductDto } from './dto/update-product.dto.js';
import { ProductsService } from './products.service.js';

@ApiTags('products')
@Controller('v1/tenants/:tenantId/products')
export class ProductsController {
  constructor(private readonly products: ProductsService) {}

  @TenantRoute('owner', 'admin')
  @Post()
  create(@Ctx() ctx: TenantContext, @Body() dto: CreateProductDto, @Origin() origin: RequestOrigin) {
    return this.products.create(ctx, dto, origin);
  }

  @TenantRoute()
  @Get()
  list(@Ctx() ctx: TenantContext, @Query() query: ListProductsQuery) {
    return this.products.list(ctx, query);
  }

  @TenantRoute()
  @ApiParam({ name: 'productId', format: 'uuid' })
  @Get(':productId')
  get(@Ctx() ctx: TenantContext, @Param('productId') productId: string) {
    return this.products.get(ctx, productId);
  }

  @TenantRoute('owner', 'admin')
  @ApiParam({ name: 'productId', format: 'uuid' })
  @Patch(':productId')
  update(
    @Ctx() ctx: TenantContext,
    @Param('productId') productId: string,
    @Body() dto: UpdateProductDto,
    @Origin() origin: RequestOrigin,
  ) {
    return this.products.update(ctx, productId, dto, origin);
  }

  @TenantRoute('owner', 'admin')
  @ApiParam({ name: 'productId', format: 'uuid' })
  @HttpCode(204)
  @Delete(':productId')
  async remove(
    @Ctx() ctx: TenantContext,
    @Param('productId') productId: string,
    @Origin() origin: RequestOrigin,
  ): Promise<void> {
    await this.products.remove(ctx, productId, origin);
  }
}
