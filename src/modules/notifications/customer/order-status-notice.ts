import type { OrderEvent } from '../../commerce/orders/order-events.js';
import type { CustomerNotificationKind } from './customer-notification.js';

/**
 * What the customer hears when their order moves. Not a confirmation: invoices records
 * `order_confirmed` with the invoice attached. Not what the customer did themselves, nor
 * the order's creation: the chat already answered them.
 */
export function noticeKindFor(event: OrderEvent): CustomerNotificationKind | null {
  if (event.type !== 'status_changed' || event.actor === 'customer' || event.from === null) return null;
  switch (event.to) {
    case 'processing':
      return 'order_processing';
    case 'out_for_delivery':
      return 'out_for_delivery';
    case 'delivered':
      return 'delivered';
    case 'cancelled':
      return event.reason === 'expired' ? 'checkout_expired' : 'order_cancelled';
    case 'pending_confirmation':
    case 'confirmed':
      return null;
  }
}
