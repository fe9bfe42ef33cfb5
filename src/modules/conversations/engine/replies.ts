import { formatMoney } from '../../../common/money.js';
import type { CartView } from '../../commerce/cart-view.js';
import type { CatalogItem } from '../../commerce/catalog-match.js';
import type { ListRow, OutboundPayload } from '../../channels/outbox/outbound-payload.js';
import { helpText, interactiveId } from './command-parser.js';

/** What the renderer needs to know of the business and the channel. */
export interface ReplyContext {
  businessName: string;
  locale: string;
  channel: 'whatsapp' | 'instagram' | 'webchat';
}

// WhatsApp lists hold at most 10 rows; longer menus go out as numbered text.
const LIST_MAX_ROWS = 10;

const text = (body: string, buttons?: { id: string; title: string }[]): OutboundPayload =>
  buttons?.length ? { kind: 'text', text: body, buttons } : { kind: 'text', text: body };

export function greeting(ctx: ReplyContext): OutboundPayload {
  return text(helpText(ctx.businessName), [
    { id: interactiveId({ type: 'show_catalog' }), title: 'Menu' },
    { id: interactiveId({ type: 'view_cart' }), title: 'My cart' },
  ]);
}

export function help(ctx: ReplyContext, offerHuman: boolean): OutboundPayload {
  const lead = offerHuman
    ? "Sorry, I'm still not following. Would you like to talk to a person? Reply *human*, or try one of these:"
    : "Sorry, I didn't catch that. Try one of these:";
  const body = `${lead}\n\n*menu* – see what we sell\n*add 2* – add item 2 to your cart\n*cart* – see your cart\n*human* – talk to a person`;
  return offerHuman
    ? text(body, [
        { id: interactiveId({ type: 'escalate' }), title: 'Talk to a person' },
        { id: interactiveId({ type: 'show_catalog' }), title: 'Menu' },
      ])
    : text(body);
}

export function catalog(ctx: ReplyContext, items: CatalogItem[]): OutboundPayload {
  if (items.length === 0)
    return text('Our menu is empty right now. Please check back soon, or reply *human* to ask us.');
  const price = (item: CatalogItem) => formatMoney(item.priceMinor, item.currency, ctx.locale);
  if (ctx.channel === 'whatsapp' && items.length <= LIST_MAX_ROWS) {
    const rows: ListRow[] = items.map((item) => ({
      id: interactiveId({ type: 'add_to_cart', item: { kind: 'product', productId: item.id }, quantity: 1 }),
      title: `${item.index}. ${item.name}`,
      description: item.description ? `${price(item)} · ${item.description}` : price(item),
    }));
    return {
      kind: 'list',
      header: ctx.businessName.slice(0, 60),
      text: 'Here is our menu. Tap an item to add it, or reply *add 2 3* for three of item 2.',
      button: 'View menu',
      rows,
    };
  }
  const lines = items.map((item) => `${item.index}. ${item.name} — ${price(item)}`);
  return text(`Here is our menu:\n\n${lines.join('\n')}\n\nReply *add 2* to add item 2, or *add 2 3* for three.`);
}

export function cart(ctx: ReplyContext, view: CartView, lead?: string): OutboundPayload {
  if (view.lines.length === 0 || !view.currency) {
    return text(`${lead ? `${lead}\n\n` : ''}Your cart is empty. Reply *menu* to see what we sell.`);
  }
  const currency = view.currency;
  const lines = view.lines.map(
    (line) => `${line.quantity} × ${line.name} — ${formatMoney(line.lineTotalMinor, currency, ctx.locale)}`,
  );
  const body = [
    lead,
    '🛒 Your cart:',
    ...lines,
    '',
    `*Total: ${formatMoney(view.totalMinor, currency, ctx.locale)}*`,
    '',
    'Reply *add 2* for more, *remove 2* to take one out, or *clear* to start over.',
  ]
    .filter((line) => line !== undefined)
    .join('\n');
  return text(body, [
    { id: interactiveId({ type: 'checkout' }), title: 'Checkout' },
    { id: interactiveId({ type: 'show_catalog' }), title: 'Menu' },
  ]);
}

export function whichOne(candidates: CatalogItem[]): OutboundPayload {
  const lines = candidates.map((item) => `${item.index}. ${item.name}`);
  return text(
    `Which one did you mean?\n\n${lines.join('\n')}\n\nReply *add* with its number, for example *add ${candidates[0]?.index ?? 1}*.`,
  );
}

export const notOnMenu = (what: string): OutboundPayload =>
  text(`I couldn't find ${what} on the menu. Reply *menu* to see it.`);
export const notInCart = (): OutboundPayload => text("That item isn't in your cart. Reply *cart* to see what is.");
export const outOfStock = (name: string): OutboundPayload =>
  text(`Sorry, ${name} is sold out right now. Reply *menu* to pick something else.`);
export const cartCleared = (): OutboundPayload => text('Your cart is empty now. Reply *menu* to start again.');
export const cancelled = (): OutboundPayload => text('Okay, cancelled. Reply *menu* whenever you are ready.');
export const escalated = (): OutboundPayload => text('Thanks — a person from our team will answer you here shortly.');
export const textOnly = (): OutboundPayload =>
  text('Thanks! I can only read text messages for now. Please type your message, or reply *menu* to see what we sell.');
export const invalidInput = (hint: string): OutboundPayload => text(hint);
/** The confirmation of a STOP; `changed` is false when they had already stopped. */
export function optedOut(ctx: ReplyContext, changed: boolean): OutboundPayload {
  const lead = changed
    ? `Done: ${ctx.businessName} won't send you offers or promotions any more.`
    : `You're already unsubscribed: ${ctx.businessName} doesn't send you offers or promotions.`;
  return text(`${lead} We'll still answer whenever you message us. Reply *start* to get offers again.`);
}

/** The confirmation of a START; `changed` is false when they had not stopped. */
export function optedIn(ctx: ReplyContext, changed: boolean): OutboundPayload {
  const lead = changed
    ? `Welcome back: ${ctx.businessName} may send you offers and news again.`
    : `You're subscribed: ${ctx.businessName} may send you offers and news.`;
  return text(`${lead} Reply *stop* at any time to stop them.`);
}

export function unmatchedCatalogItems(count: number): string {
  return count === 1
    ? "One item from your order isn't on our menu any more, so I left it out."
    : `${count} items from your order aren't on our menu any more, so I left them out.`;
}
