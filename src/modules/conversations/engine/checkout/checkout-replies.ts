import { formatMoney } from '../../../../common/money.js';
import type { OutboundPayload } from '../../../channels/outbox/outbound-payload.js';
import type { CartView } from '../../../commerce/cart-view.js';
import type { OrderStatus, PaymentStatus } from '../../../commerce/orders/order-lifecycle.js';
import type { OrderDetailView, OrderView } from '../../../commerce/orders/order.views.js';
import { interactiveId } from '../command-parser.js';
import type { ReplyContext } from '../replies.js';
import type { DeliveryDraft, DeliveryField } from './delivery-details.js';

const text = (body: string, buttons?: { id: string; title: string }[]): OutboundPayload =>
  buttons?.length ? { kind: 'text', text: body, buttons } : { kind: 'text', text: body };

// Ids the parser does not know: a tap sends the button's title, read as the answer.
const ANSWER_BUTTON = { phone: 'answer:phone', pickup: 'answer:pickup' } as const;

const STATUS_LABELS: Record<OrderStatus, string> = {
  pending_confirmation: 'Awaiting confirmation',
  confirmed: 'Confirmed',
  processing: 'Being prepared',
  out_for_delivery: 'Out for delivery',
  delivered: 'Delivered',
  cancelled: 'Cancelled',
};

const PAYMENT_LABELS: Record<PaymentStatus, string> = {
  unpaid: 'Unpaid',
  pending: 'Payment pending',
  paid: 'Paid',
  failed: 'Payment failed',
  refunded: 'Refunded',
};

export const CANNOT_ANSWER = "I can't answer that here — reply *human* to ask a person. To finish your order:";

/** The question for one missing detail; `retry` when the last answer did not fit. */
export function askFor(
  field: DeliveryField,
  ctx: ReplyContext,
  knownPhone: string | null,
  retry = false,
  lead?: string,
): OutboundPayload {
  const question = questionFor(field, ctx, knownPhone, retry);
  return lead && question.kind === 'text' ? { ...question, text: `${lead}\n\n${question.text}` } : question;
}

function questionFor(field: DeliveryField, ctx: ReplyContext, knownPhone: string | null, retry: boolean) {
  switch (field) {
    case 'name':
      return text(
        retry
          ? 'Please send the name for the order (letters, up to 100 characters).'
          : "Let's get your order to you. What name should we put on it?",
      );
    case 'phone': {
      const lead = retry
        ? "That doesn't look like a phone number. Please send it with its area code, e.g. 0803 123 4567 or +234 803 123 4567."
        : 'What phone number can we call about the delivery?';
      // WhatsApp knows the customer's number: one tap instead of typing it.
      const offer = knownPhone && ctx.channel === 'whatsapp' ? [{ id: ANSWER_BUTTON.phone, title: knownPhone }] : [];
      return text(offer.length ? `${lead}\n\nTap your number below to use it.` : lead, offer);
    }
    case 'address':
      return text(
        retry
          ? 'Please send the full delivery address (street, area and city), or reply *pickup* to collect it yourself.'
          : 'Where should we deliver it? Send the full address, or reply *pickup* to collect it yourself.',
        [{ id: ANSWER_BUTTON.pickup, title: 'Pickup' }],
      );
  }
}

export function summary(ctx: ReplyContext, cart: CartView, draft: DeliveryDraft): OutboundPayload {
  const currency = cart.currency ?? '';
  const lines = cart.lines.map(
    (line) => `${line.quantity} × ${line.name} — ${formatMoney(line.lineTotalMinor, currency, ctx.locale)}`,
  );
  const where = draft.pickup ? 'Pickup (you collect it)' : `Deliver to: ${draft.address}`;
  return text(
    [
      'Please check your order:',
      '',
      ...lines,
      '',
      `*Total: ${formatMoney(cart.totalMinor, currency, ctx.locale)}*`,
      '',
      `${draft.name} · ${draft.phone}`,
      where,
      '',
      'Reply *confirm* to place it, *change* to edit your details, or *cancel*.',
    ].join('\n'),
    [
      { id: interactiveId({ type: 'confirm' }), title: 'Confirm' },
      { id: interactiveId({ type: 'change_details' }), title: 'Change details' },
    ],
  );
}

export function placed(ctx: ReplyContext, order: OrderDetailView): OutboundPayload {
  return text(
    `✅ Order #${order.number} is placed. Total: *${formatMoney(order.totalMinor, order.currency, ctx.locale)}*.\n\n` +
      `I'm sending you the payment details next. Reply *status ${order.number}* any time to check on it.`,
  );
}

export function alreadyPlaced(order: OrderView): OutboundPayload {
  return text(
    `Order #${order.number} is already placed. Reply *pay* to get the payment details again, or *status ${order.number}* to check on it.`,
  );
}

export function soldOut(name: string, available: number): OutboundPayload {
  const left = available > 0 ? ` — only ${available} left` : '';
  return text(`Sorry, ${name} just sold out${left}. Your cart is as you left it: reply *cart* to change it.`);
}

export const emptyCart = (): OutboundPayload =>
  text('Your cart is empty, so there is nothing to check out yet. Reply *menu* to see what we sell.');

export const noCheckout = (): OutboundPayload =>
  text('Add something to your cart and reply *checkout* first. Reply *menu* to see what we sell.');

export const paymentResent = (order: OrderView): OutboundPayload =>
  text(`Sending the payment details for order #${order.number} again.`);

export const nothingToPay = (): OutboundPayload =>
  text('You have no order waiting for payment. Reply *orders* to see your orders.');

export function orderStatus(ctx: ReplyContext, order: OrderDetailView): OutboundPayload {
  const items = order.items.map((item) => `${item.quantity} × ${item.name}`);
  return text(
    [
      `Order #${order.number}: *${STATUS_LABELS[order.status]}* · ${PAYMENT_LABELS[order.paymentStatus]}`,
      ...items,
      `Total: ${formatMoney(order.totalMinor, order.currency, ctx.locale)}`,
    ].join('\n'),
  );
}

export function orderHistory(ctx: ReplyContext, orders: OrderView[]): OutboundPayload {
  if (orders.length === 0) return text('You have no orders yet. Reply *menu* to start one.');
  const lines = orders.map(
    (order) =>
      `#${order.number} — ${STATUS_LABELS[order.status]} · ${PAYMENT_LABELS[order.paymentStatus]} · ` +
      formatMoney(order.totalMinor, order.currency, ctx.locale),
  );
  return text(`Your recent orders:\n\n${lines.join('\n')}\n\nReply *status 1042* with an order number for details.`);
}

export const orderNotFound = (orderNumber: string): OutboundPayload =>
  text(`I couldn't find order #${orderNumber}. Reply *orders* to see your orders.`);

export const orderCancelled = (order: OrderView): OutboundPayload =>
  text(`Order #${order.number} is cancelled. Reply *menu* whenever you'd like to order again.`);

export const cannotCancel = (order: OrderView): OutboundPayload =>
  text(
    `Order #${order.number} is ${STATUS_LABELS[order.status].toLowerCase()}, so it can't be cancelled here. Reply *human* to ask us.`,
  );

export function howToCancel(order: OrderView): OutboundPayload {
  return text(`Okay. Order #${order.number} is still open. To cancel it, reply *cancel order ${order.number}*.`, [
    { id: interactiveId({ type: 'cancel_order', orderNumber: String(order.number) }), title: 'Cancel the order' },
  ]);
}

export const newOrder = (): OutboundPayload => text('Starting a new order. Reply *menu* to see what we sell.');
