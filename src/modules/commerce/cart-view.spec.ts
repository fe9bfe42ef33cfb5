import { CartRow, toCartView } from './cart-view.js';

const row = (productId: string, priceMinor: number, quantity: number, currency = 'NGN'): CartRow => ({
  productId,
  name: `Product ${productId}`,
  priceMinor,
  currency,
  quantity,
});

describe('toCartView', () => {
  it('prices each line and totals the cart in integer minor units', () => {
    const view = toCartView([row('a', 250_050, 3), row('b', 99, 1)]);
    expect(view.lines.map((line) => line.lineTotalMinor)).toEqual([750_150, 99]);
    expect(view).toMatchObject({ totalMinor: 750_249, currency: 'NGN', itemCount: 4 });
  });

  it('describes an empty cart with no currency', () => {
    expect(toCartView([])).toEqual({ lines: [], totalMinor: 0, currency: null, itemCount: 0 });
  });

  it('leaves out a line priced in another currency than the first line rather than adding it in', () => {
    const view = toCartView([row('a', 1000, 1, 'NGN'), row('b', 500, 2, 'USD'), row('c', 200, 1, 'NGN')]);
    expect(view.lines.map((line) => line.productId)).toEqual(['a', 'c']);
    expect(view).toMatchObject({ totalMinor: 1200, currency: 'NGN', itemCount: 2 });
  });

  it('refuses a total that would not be exact', () => {
    expect(() => toCartView([row('a', Number.MAX_SAFE_INTEGER, 2)])).toThrow(RangeError);
  });
});
