import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/audit.module.js';
import { TenantsModule } from '../tenants/tenants.module.js';
import { CartService } from './cart.service.js';
import { CatalogService } from './catalog.service.js';
import { CartItem } from './entities/cart-item.entity.js';
import { Cart } from './entities/cart.entity.js';
import { Product } from './entities/product.entity.js';
import { CheckoutHolds } from './orders/checkout-holds.js';
import { OrderEvents } from './orders/order-events.js';
import { OrdersController } from './orders/orders.controller.js';
import { OrdersService } from './orders/orders.service.js';
import { StaffOrdersService } from './orders/staff-orders.service.js';
import { ProductsController } from './products.controller.js';
import { ProductsService } from './products.service.js';

/**
 * Catalog, carts and orders. The conversation engine uses these services inside its own
 * tenant transaction; the products and orders APIs are for the business. Downstream
 * modules (payments, invoices, notifications) hear of order changes through OrderEvents.
 */
@Module({
  imports: [TypeOrmModule.forFeature([Product, Cart, CartItem]), TenantsModule, AuditModule],
  controllers: [ProductsController, OrdersController],
  providers: [
    ProductsService,
    CatalogService,
    CartService,
    OrdersService,
    StaffOrdersService,
    OrderEvents,
    CheckoutHolds,
  ],
  exports: [CatalogService, CartService, ProductsService, OrdersService, OrderEvents, CheckoutHolds],
})
export class CommerceModule {}
