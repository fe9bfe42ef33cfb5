import { multiplyMinor, sumMinor } from '../../common/money.js';

/** The bounds of a line's quantity, as the `cart_items` check constraint has them. */
export const MIN_QUANTITY = 1;
export const MAX_QUANTITY = 99;

export interface CartLine {
  productId: string;
  name: string;
  unitPriceMinor: number;
  quantity: number;
  lineTotalMinor: number;
}

export interface CartView {
  /** In the order the products were first added. */
  lines: CartLine[];
  totalMinor: number;
  /** The currency of every line and of the total; null while the cart is empty. */
  currency: string | null;
  /** Units across all lines (2 rice + 1 drink = 3). */
  itemCount: number;
}

/** A cart line joined with its product's current price, as read from the database. */
export interface CartRow {
  productId: string;
  name: string;
  priceMinor: number;
  currency: string;
  quantity: number;
}

export const EMPTY_CART: CartView = { lines: [], totalMinor: 0, currency: null, itemCount: 0 };

/**
 * Prices the cart from the products' current prices. A total is only meaningful in one
 * currency: the first line's sets it, and a line whose product was later repriced in
 * another currency is left out rather than summed in. CartService refuses to add such a
 * product in the first place.
 */
export function toCartView(rows: readonly CartRow[]): CartView {
  const currency = rows[0]?.currency ?? null;
  const lines = rows
    .filter((row) => row.currency === currency)
    .map((row) => ({
      productId: row.productId,
      name: row.name,
      unitPriceMinor: row.priceMinor,
      quantity: row.quantity,
      lineTotalMinor: multiplyMinor(row.priceMinor, row.quantity),
    }));
  return {
    lines,
    totalMinor: sumMinor(lines.map((line) => line.lineTotalMinor)),
    currency,
    itemCount: sumMinor(lines.map((line) => line.quantity)),
  };
}
