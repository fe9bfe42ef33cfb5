import { AppError } from '../../../common/errors/app-error.js';
import { canTransition, nextOrderStatus, ORDER_STATUSES, type OrderStatus } from './order-lifecycle.js';

const HAPPY_PATH: OrderStatus[] = ['pending_confirmation', 'confirmed', 'processing', 'out_for_delivery', 'delivered'];

describe('order lifecycle', () => {
  it('lets staff and the system walk the happy path one step at a time', () => {
    for (const actor of ['staff', 'system'] as const) {
      for (let i = 0; i + 1 < HAPPY_PATH.length; i++) {
        expect(nextOrderStatus(HAPPY_PATH[i], HAPPY_PATH[i + 1], actor)).toBe(HAPPY_PATH[i + 1]);
      }
    }
  });

  it('allows cancelling only before the order is out for delivery', () => {
    const cancellable = ORDER_STATUSES.filter((from) => canTransition(from, 'cancelled', 'staff'));
    expect(cancellable).toEqual(['pending_confirmation', 'confirmed', 'processing']);
  });

  it('lets a customer cancel only before confirmation, and do nothing else', () => {
    const moves = ORDER_STATUSES.flatMap((from) =>
      ORDER_STATUSES.filter((to) => canTransition(from, to, 'customer')).map((to) => `${from}->${to}`),
    );
    expect(moves).toEqual(['pending_confirmation->cancelled']);
  });

  it.each([
    ['pending_confirmation', 'processing'],
    ['confirmed', 'pending_confirmation'],
    ['out_for_delivery', 'cancelled'],
    ['delivered', 'cancelled'],
    ['cancelled', 'confirmed'],
    ['confirmed', 'confirmed'],
  ] as const)('refuses %s -> %s with illegal_transition', (from, to) => {
    expect(() => nextOrderStatus(from, to, 'staff')).toThrow(
      expect.objectContaining({ kind: 'conflict', code: 'illegal_transition', details: { from, to } }) as AppError,
    );
  });

  it('has no way out of a finished order', () => {
    for (const to of ORDER_STATUSES) {
      for (const actor of ['customer', 'staff', 'system'] as const) {
        expect(canTransition('delivered', to, actor)).toBe(false);
        expect(canTransition('cancelled', to, actor)).toBe(false);
      }
    }
  });
});
