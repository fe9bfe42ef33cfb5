import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/audit.module.js';
import { TenantsModule } from '../tenants/tenants.module.js';
import { CartService } from './cart.service.js';
import { CatalogService } from './catalog.service.js';
import { CartItem } from './entities/cart-item.entity.js';
import { Cart } from './entities/cart.entity.js';
import { Product } from './entities/product.entity.js';
import { OrdersController } from './orders/orders.controller.js';
import { OrdersService } from './orders/orders.service.js';
import { StaffOrdersService } from './orders/staff-orders.service.js';
import { ProductsController } from './products.controller.js';
import { ProductsService } from './products.service.js';

/**
 * Catalog and carts. The conversation engine uses CatalogService and CartService inside
 * its own tenant transaction; the products API is for the business.
 */
@Module({
  imports: [TypeOrmModule.forFeature([Product, Cart, CartItem]), TenantsModule, AuditModule],
  controllers: [ProductsController, OrdersController],
  providers: [ProductsService, CatalogService, CartService, OrdersService, StaffOrdersService],
  exports: [CatalogService, CartService, ProductsService, OrdersService],
})
export class CommerceModule {}
