import type { OrderEvent } from '../../commerce/orders/order-events.js';
import { noticeKindFor } from './order-status-notice.js';

const ref = { orderId: 'o', number: 1001, conversationId: 'c', contactId: 'k' };
const moved = (
  from: Extract<OrderEvent, { type: 'status_changed' }>['from'],
  to: Extract<OrderEvent, { type: 'status_changed' }>['to'],
  actor: 'customer' | 'staff' | 'system' = 'staff',
  reason?: 'payment' | 'expired',
): OrderEvent => ({ type: 'status_changed', ...ref, from, to, actor, ...(reason ? { reason } : {}) });

describe('noticeKindFor', () => {
  it('tells the customer of each step staff or the platform take', () => {
    expect(noticeKindFor(moved('confirmed', 'processing'))).toBe('order_processing');
    expect(noticeKindFor(moved('processing', 'out_for_delivery'))).toBe('out_for_delivery');
    expect(noticeKindFor(moved('out_for_delivery', 'delivered', 'system'))).toBe('delivered');
    expect(noticeKindFor(moved('confirmed', 'cancelled'))).toBe('order_cancelled');
    expect(noticeKindFor(moved('pending_confirmation', 'cancelled', 'system', 'expired'))).toBe('checkout_expired');
  });

  it('leaves confirmations to invoices, and says nothing of what the customer did or of a new order', () => {
    expect(noticeKindFor(moved('pending_confirmation', 'confirmed', 'system', 'payment'))).toBeNull();
    expect(noticeKindFor(moved('pending_confirmation', 'cancelled', 'customer'))).toBeNull();
    expect(noticeKindFor(moved(null, 'pending_confirmation', 'customer'))).toBeNull();
    expect(noticeKindFor({ type: 'payment_requested', ...ref })).toBeNull();
  });
});
