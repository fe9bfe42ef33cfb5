import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A line of a cart: a product and how many (1 to 99). Prices are read live, never stored here. */
@Entity('cart_items')
export class CartItem {
  @PrimaryColumn('uuid') tenantId!: string;
  @PrimaryColumn('uuid') cartId!: string;
  @PrimaryColumn('uuid') productId!: string;
  @Column('integer') quantity!: number;
  @Column('timestamptz') addedAt!: Date;
}
