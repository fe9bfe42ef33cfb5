import { isUuid } from '../../../common/uuid.js';

/**
 * The deterministic command parser: one customer message in, one Command out. No NLP and
 * no guessing — a message that is not plainly a command comes back as `unknown`, and the
 * AI (or the help reply) deals with it. The parser only checks shape; the executor checks
 * every item, quantity and order number against the tenant's data.
 */

/** Raw, unchecked: the executor validates and normalises each field. */
export interface DeliveryDetailsInput {
  name?: string;
  phone?: string;
  address?: string;
  pickup?: boolean;
}

export type ItemRef =
  { kind: 'index'; index: number } | { kind: 'name'; name: string } | { kind: 'product'; productId: string };

export type Command =
  | { type: 'greet' }
  | { type: 'show_catalog' }
  | { type: 'add_to_cart'; item: ItemRef; quantity: number }
  | { type: 'remove_from_cart'; item: ItemRef }
  | { type: 'view_cart' }
  | { type: 'clear_cart' }
  | { type: 'cancel' }
  | { type: 'escalate' }
  | { type: 'checkout' }
  /** Delivery details for the checkout: an answer typed in chat, or the AI's tool call. */
  | { type: 'set_delivery_details'; details: DeliveryDetailsInput }
  | { type: 'change_details' }
  | { type: 'confirm' }
  | { type: 'pay' }
  | { type: 'order_status'; orderNumber: string }
  | { type: 'order_history' }
  | { type: 'cancel_order'; orderNumber: string }
  | { type: 'new_order' }
  | { type: 'opt_out' }
  | { type: 'opt_in' }
  | { type: 'invalid'; reason: 'quantity_out_of_range' | 'missing_item'; hint: string }
  | { type: 'unknown'; text: string };

/** The commands that carry nothing but their type. */
export type ArgLessCommand = Command extends infer C
  ? C extends Command
    ? [Exclude<keyof C, 'type'>] extends [never]
      ? C
      : never
    : never
  : never;

export const MIN_QUANTITY = 1;
export const MAX_QUANTITY = 99;
/** Longer names are sentences, not product names; they go to the AI. */
export const MAX_ITEM_NAME_LENGTH = 80;
/** No command is anywhere near this long; this also bounds the parser's work. */
const MAX_COMMAND_LENGTH = 300;

const HINTS = {
  addMissingItem: 'Tell me which item to add, e.g. *add 2* for item 2 on the menu, or *add 2 3* for three of them.',
  removeMissingItem: 'Tell me which item to remove, e.g. *remove 2*. Send *cart* to see the numbers.',
  quantity: `You can add ${MIN_QUANTITY} to ${MAX_QUANTITY} of an item at a time, e.g. *add 2 3* for three of item 2.`,
} as const;

// ---------------------------------------------------------------------------------------
// Fixed phrases
// ---------------------------------------------------------------------------------------

const CATALOG_NOUNS = ['menu', 'catalog', 'catalogue', 'products', 'list'];
const ESCALATION_NOUNS = ['human', 'agent', 'person', 'someone', 'somebody', 'staff'];

/** "menu", "show me the menu", "view catalogue", … */
function catalogPhrases(): string[] {
  const verbs = ['', 'show ', 'show me ', 'see ', 'view ', 'send ', 'send me '];
  const determiners = ['', 'the ', 'your '];
  return verbs.flatMap((verb) =>
    determiners.flatMap((determiner) =>
      verb === '' && determiner !== '' ? [] : CATALOG_NOUNS.map((noun) => `${verb}${determiner}${noun}`),
    ),
  );
}

/** "human", "talk to a human", "speak with someone", … */
function escalationPhrases(): string[] {
  const requests = ['talk to', 'talk with', 'speak to', 'speak with', 'chat with', 'chat to'];
  const determiners = ['', 'a ', 'an ', 'the ', 'a real ', 'real '];
  const alone = ['human', 'agent', 'person', 'a human', 'real person', 'a real person', 'human agent'];
  const asked = requests.flatMap((request) =>
    determiners.flatMap((determiner) => ESCALATION_NOUNS.map((noun) => `${request} ${determiner}${noun}`)),
  );
  return [...alone, ...asked];
}

const PHRASES: ReadonlyArray<readonly [ArgLessCommand['type'], readonly string[]]> = [
  ['greet', ['help', 'hello there', 'hi there', 'hey there', 'good morning', 'good afternoon', 'good evening']],
  ['show_catalog', catalogPhrases()],
  ['view_cart', ['cart', 'view cart', 'my cart', 'show cart', 'show my cart', 'view my cart', 'basket', 'my basket']],
  [
    'clear_cart',
    [
      'clear',
      'clear cart',
      'clear my cart',
      'empty cart',
      'empty my cart',
      'clear basket',
      'empty basket',
      'remove all',
      'delete all',
      'remove all items',
      'delete all items',
      'remove everything',
      'delete everything',
    ],
  ],
  ['cancel', ['cancel']],
  ['escalate', escalationPhrases()],
  ['checkout', ['checkout', 'check out', 'check-out', 'done']],
  ['change_details', ['change', 'change details', 'change my details', 'edit details', 'change address']],
  ['confirm', ['confirm', 'yes confirm', 'confirm order', 'place order']],
  ['pay', ['pay', 'payment', 'pay now', 'make payment']],
  // A bare "status" has no order number; the order list shows every order's status.
  ['order_history', ['orders', 'my orders', 'order history', 'status', 'order status']],
  ['new_order', ['new order']],
  ['opt_out', ['stop', 'unsubscribe']],
  ['opt_in', ['start', 'subscribe']],
];

const PHRASE_TO_TYPE: ReadonlyMap<string, ArgLessCommand['type']> = new Map(
  PHRASES.flatMap(([type, phrases]) => phrases.map((phrase) => [phrase, type] as const)),
);

/** "hi", "hiii", "heyyy", "hellooo". */
const GREETING = /^(?:hi+|he+y+|hel+o+)$/u;

// ---------------------------------------------------------------------------------------
// Normalisation
// ---------------------------------------------------------------------------------------

const POLITE_WORDS = new Set(['please', 'pls', 'plz', 'kindly']);
const EDGE_PUNCTUATION = /^[\p{P}\s]+|[\p{P}\s]+$/gu;
/**
 * Zero-width and bidi characters (pasted in, or used to make an echoed item name read
 * backwards) and lone surrogates are dropped; other control characters split words.
 */
const INVISIBLE = /[\p{Cf}\p{Cs}]/gu;
const CONTROL = /\p{Cc}/gu;
const TOKEN_TRAILING_SEPARATOR = /[,;:]+$/u;

/** Lower-case words with punctuation around the message and politeness removed. */
function tokenize(text: string): string[] {
  const normalized = text.normalize('NFKC');
  // NFKC can expand a character many times over ("ﷺ" becomes 18 letters).
  if (normalized.length > MAX_COMMAND_LENGTH) return [];
  const cleaned = normalized.replace(INVISIBLE, '').replace(CONTROL, ' ').toLowerCase().replace(EDGE_PUNCTUATION, '');
  const tokens = cleaned
    .split(/\s+/u)
    .map((token) => token.replace(TOKEN_TRAILING_SEPARATOR, ''))
    .filter((token) => token !== '');
  return dropPoliteWords(tokens);
}

/** "menu please", "pls checkout", "menu, please!" read as the bare command. */
function dropPoliteWords(tokens: string[]): string[] {
  let start = 0;
  let end = tokens.length;
  while (start < end && POLITE_WORDS.has(tokens[start])) start++;
  while (end > start && POLITE_WORDS.has(tokens[end - 1])) end--;
  return tokens.slice(start, end);
}

// ---------------------------------------------------------------------------------------
// Parsing
// ---------------------------------------------------------------------------------------

export function parseCommand(text: string): Command {
  const unknown: Command = { type: 'unknown', text: text.trim() };
  if (text.length > MAX_COMMAND_LENGTH) return unknown;
  const tokens = tokenize(text);
  if (tokens.length === 0) return unknown;

  const phraseType = PHRASE_TO_TYPE.get(tokens.join(' '));
  if (phraseType !== undefined) return argLess(phraseType);
  if (tokens.length === 1 && GREETING.test(tokens[0])) return { type: 'greet' };

  const [verb, ...args] = tokens;
  switch (verb) {
    case 'add':
      return parseAdd(args) ?? unknown;
    case 'remove':
    case 'delete':
      return parseRemove(args) ?? unknown;
    case 'status':
      return parseOrderStatus(args) ?? unknown;
    case 'order':
      return args[0] === 'status' ? (parseOrderStatus(args.slice(1)) ?? unknown) : unknown;
    case 'cancel':
      return parseCancelOrder(args) ?? unknown;
    default:
      return unknown;
  }
}

function argLess(type: ArgLessCommand['type']): ArgLessCommand {
  return { type };
}

const INTEGER = /^\d+$/u;
/** Anything a customer might mean as a quantity, including ones we must refuse: -3, 1.5, 1,000. */
const QUANTITY_LIKE = /^[-+]?\d+(?:[.,]\d+)*$/u;
const MULTIPLIER = /^[x×*]$/u;
const MULTIPLIED = /^[x×*]([-+]?\d+)$/u; // "x2"
const MULTIPLYING = /^([-+]?\d+)[x×*]$/u; // "2x"
const INDEX_TIMES_QUANTITY = /^#?(\d+)[x×*]([-+]?\d+)$/u; // "3x2"
const ITEM_WORDS = new Set(['item', 'number', 'no', 'num', 'product']);
/** Words that start a sentence about the customer, not a product: "delete my account". */
const NOT_AN_ITEM = new Set(['my', 'me', 'your', 'our', 'this', 'that', 'it', 'to', 'from']);

interface AddArgs {
  itemTokens: string[];
  quantityText: string | undefined;
}

/** add 2 | add 2 3 | add 3 x2 | add 3x2 | add jollof rice 2 | add 2 jollof rice | add 2 to cart */
function parseAdd(rawArgs: string[]): Command | undefined {
  const args = dropItemWord(dropCartSuffix(rawArgs, 'to'));
  const { itemTokens, quantityText } = splitQuantity(args);
  if (itemTokens.length === 0) return missingItem(HINTS.addMissingItem);
  const quantity = quantityText === undefined ? 1 : parseQuantity(quantityText);
  if (quantity === undefined) {
    return { type: 'invalid', reason: 'quantity_out_of_range', hint: HINTS.quantity };
  }
  const item = parseItemRef(itemTokens);
  if (item === 'missing') return missingItem(HINTS.addMissingItem);
  return item === undefined ? undefined : { type: 'add_to_cart', item, quantity };
}

/** Finds the quantity at the end ("add 2 3", "add 2 x3") or, failing that, at the start ("add 2 rice"). */
function splitQuantity(args: string[]): AddArgs {
  const last = args.at(-1) ?? '';
  if (args.length === 1) {
    const fused = INDEX_TIMES_QUANTITY.exec(last);
    if (fused) return { itemTokens: [fused[1]], quantityText: fused[2] };
    const quantityOnly = MULTIPLYING.exec(last); // "add 2x": how many of what?
    if (quantityOnly) return { itemTokens: [], quantityText: quantityOnly[1] };
  }
  const multiplied = MULTIPLIED.exec(last);
  if (multiplied) return { itemTokens: args.slice(0, -1), quantityText: multiplied[1] };
  if (args.length >= 2 && QUANTITY_LIKE.test(last)) {
    const hasMultiplier = MULTIPLIER.test(args.at(-2)!);
    return { itemTokens: args.slice(0, hasMultiplier ? -2 : -1), quantityText: last };
  }
  if (args.length >= 2) {
    const first = args[0];
    const multiplying = MULTIPLYING.exec(first);
    if (multiplying) return { itemTokens: args.slice(1), quantityText: multiplying[1] };
    if (QUANTITY_LIKE.test(first)) {
      const hasMultiplier = MULTIPLIER.test(args[1]);
      return { itemTokens: args.slice(hasMultiplier ? 2 : 1), quantityText: first };
    }
  }
  return { itemTokens: args, quantityText: undefined };
}

function parseQuantity(text: string): number | undefined {
  if (!INTEGER.test(text)) return undefined;
  const quantity = Number(text);
  return quantity >= MIN_QUANTITY && quantity <= MAX_QUANTITY ? quantity : undefined;
}

/** remove 2 | remove jollof rice | delete 2 from cart */
function parseRemove(rawArgs: string[]): Command | undefined {
  const args = dropItemWord(dropCartSuffix(rawArgs, 'from'));
  if (args.length === 0) return missingItem(HINTS.removeMissingItem);
  // "remove 2 3" or "remove rice 2" would need a quantity we do not carry: leave it to the AI.
  if (args.length > 1 && args.some((token) => QUANTITY_LIKE.test(token))) return undefined;
  const item = parseItemRef(args);
  if (item === 'missing') return missingItem(HINTS.removeMissingItem);
  return item === undefined ? undefined : { type: 'remove_from_cart', item };
}

/**
 * One number is an item's position on the menu or in the cart; words are a name.
 * Returns 'missing' when nothing usable names an item, undefined when the words look
 * like a sentence rather than a product.
 */
function parseItemRef(tokens: string[]): ItemRef | 'missing' | undefined {
  const [first] = tokens;
  if (tokens.length === 1 && /^#?\d+$/u.test(first)) {
    const index = Number(first.replace('#', ''));
    return Number.isSafeInteger(index) && index >= 1 ? { kind: 'index', index } : 'missing';
  }
  const name = tokens.join(' ');
  if (!/[\p{L}\p{N}]/u.test(name)) return 'missing';
  if (QUANTITY_LIKE.test(first) || NOT_AN_ITEM.has(first)) return undefined;
  if (name.length > MAX_ITEM_NAME_LENGTH) return undefined;
  return { kind: 'name', name };
}

function missingItem(hint: string): Command {
  return { type: 'invalid', reason: 'missing_item', hint };
}

/** "add 2 to cart", "add 2 to my basket", "remove 2 from cart". */
function dropCartSuffix(args: string[], preposition: 'to' | 'from'): string[] {
  const cartAt = args.length - 1;
  if (cartAt < 1 || !['cart', 'basket'].includes(args[cartAt])) return args;
  const hasMy = args[cartAt - 1] === 'my' || args[cartAt - 1] === 'the';
  const prepositionAt = hasMy ? cartAt - 2 : cartAt - 1;
  return args[prepositionAt] === preposition ? args.slice(0, prepositionAt) : args;
}

/** "add item 2", "remove no. 2": the word says nothing the number does not. */
function dropItemWord(args: string[]): string[] {
  const second = args[1];
  const isItemWord = ITEM_WORDS.has(args[0]?.replace(/\.$/u, '') ?? '');
  return isItemWord && second !== undefined && /^#?\d/u.test(second) ? args.slice(1) : args;
}

/** Order numbers as customers write them: 1042, #1042, HK-1042. */
const ORDER_NUMBER = /^[A-Z0-9][A-Z0-9-]{0,31}$/u;

function parseOrderNumber(args: string[]): string | undefined {
  if (args.length !== 1) return undefined;
  const orderNumber = args[0].replace(/^#/u, '').toUpperCase();
  return ORDER_NUMBER.test(orderNumber) && /\d/u.test(orderNumber) ? orderNumber : undefined;
}

/** status 1042 | status #1042 | order status HK-1042 */
function parseOrderStatus(args: string[]): Command | undefined {
  const orderNumber = parseOrderNumber(args);
  return orderNumber === undefined ? undefined : { type: 'order_status', orderNumber };
}

/**
 * cancel order 1042 | cancel my order #1042. A bare "cancel 2" stays unknown: it could
 * mean order 2 or item 2 in the cart.
 */
function parseCancelOrder(args: string[]): Command | undefined {
  const rest = args[0] === 'my' ? args.slice(1) : args;
  if (rest[0] !== 'order') return undefined;
  const orderNumber = parseOrderNumber(rest.slice(1));
  return orderNumber === undefined ? undefined : { type: 'cancel_order', orderNumber };
}

// ---------------------------------------------------------------------------------------
// Interactive ids
// ---------------------------------------------------------------------------------------

/**
 * Ids carried by our own buttons and list rows. The scheme is stable: ids already sent
 * sit in customers' chats, so an id may be added but never renamed. Web chat lets a
 * customer send any id, so each one is parsed as strictly as text.
 *
 *   cmd:<name>                   an argument-less command, see COMMAND_IDS
 *   add:<productId>[:<qty>]      add a product (quantity 1 unless given)
 *   remove:<productId>           remove a product from the cart
 *   status:<orderNumber>         an order's status
 *   cancel-order:<orderNumber>   cancel an order
 */
export const COMMAND_IDS: Readonly<Record<ArgLessCommand['type'], string>> = {
  greet: 'cmd:help',
  show_catalog: 'cmd:menu',
  view_cart: 'cmd:cart',
  clear_cart: 'cmd:clear',
  cancel: 'cmd:cancel',
  escalate: 'cmd:human',
  checkout: 'cmd:checkout',
  change_details: 'cmd:change-details',
  confirm: 'cmd:confirm',
  pay: 'cmd:pay',
  order_history: 'cmd:orders',
  new_order: 'cmd:new-order',
  opt_out: 'cmd:stop',
  opt_in: 'cmd:start',
};

const ID_TO_TYPE: ReadonlyMap<string, ArgLessCommand['type']> = new Map(
  Object.entries(COMMAND_IDS).map(([type, id]) => [id, type as ArgLessCommand['type']]),
);

/** WhatsApp allows 256 characters for a button id; ours are far shorter. */
const MAX_INTERACTIVE_ID_LENGTH = 256;

type ProductRef = Extract<ItemRef, { kind: 'product' }>;

/** The commands a button or list row can carry. */
export type InteractiveCommand =
  | ArgLessCommand
  | { type: 'add_to_cart'; item: ProductRef; quantity: number }
  | { type: 'remove_from_cart'; item: ProductRef }
  | Extract<Command, { type: 'order_status' | 'cancel_order' }>;

/** The id for a button or list row that sends `command`. Throws on a malformed argument. */
export function interactiveId(command: InteractiveCommand): string {
  switch (command.type) {
    case 'add_to_cart': {
      const productId = assertProductId(command.item.productId);
      if (parseQuantity(String(command.quantity)) === undefined) {
        throw new RangeError(`Quantity out of range for a button: ${command.quantity}`);
      }
      return command.quantity === 1 ? `add:${productId}` : `add:${productId}:${command.quantity}`;
    }
    case 'remove_from_cart':
      return `remove:${assertProductId(command.item.productId)}`;
    case 'order_status':
      return `status:${assertOrderNumber(command.orderNumber)}`;
    case 'cancel_order':
      return `cancel-order:${assertOrderNumber(command.orderNumber)}`;
    default:
      return COMMAND_IDS[command.type];
  }
}

/** The command behind one of our interactive ids, or null for an id we did not make. */
export function parseInteractiveId(id: string): Command | null {
  if (id.length > MAX_INTERACTIVE_ID_LENGTH) return null;
  const simple = ID_TO_TYPE.get(id);
  if (simple !== undefined) return argLess(simple);
  const [prefix, value = '', extra, ...rest] = id.split(':');
  if (rest.length > 0) return null;
  switch (prefix) {
    case 'add': {
      const quantity = extra === undefined ? 1 : parseQuantity(extra);
      if (!isUuid(value) || quantity === undefined) return null;
      return { type: 'add_to_cart', item: { kind: 'product', productId: value.toLowerCase() }, quantity };
    }
    case 'remove':
      return extra === undefined && isUuid(value)
        ? { type: 'remove_from_cart', item: { kind: 'product', productId: value.toLowerCase() } }
        : null;
    case 'status':
    case 'cancel-order': {
      const orderNumber = extra === undefined ? parseOrderNumber([value]) : undefined;
      if (orderNumber === undefined || orderNumber !== value) return null;
      return prefix === 'status' ? { type: 'order_status', orderNumber } : { type: 'cancel_order', orderNumber };
    }
    default:
      return null;
  }
}

function assertProductId(productId: string): string {
  const normalized = productId.toLowerCase();
  if (!isUuid(normalized)) throw new RangeError(`Not a product id: ${JSON.stringify(productId)}`);
  return normalized;
}

function assertOrderNumber(orderNumber: string): string {
  const normalized = parseOrderNumber([orderNumber]);
  if (normalized === undefined) throw new RangeError(`Not an order number: ${JSON.stringify(orderNumber)}`);
  return normalized;
}

// ---------------------------------------------------------------------------------------
// Help
// ---------------------------------------------------------------------------------------

/** The reply to "hi" and "help": short, in WhatsApp's *bold*, one command a line. */
export function helpText(businessName: string): string {
  // A '*' in the name would end the bold early; line breaks would break the layout.
  const name = businessName.replace(/\*/gu, '').replace(/\s+/gu, ' ').trim();
  const welcome = name === '' ? 'Hi! Welcome.' : `Hi! Welcome to *${name}*.`;
  return [
    welcome,
    'Here is what you can send me:',
    '',
    '*menu* – see what we sell',
    '*add 2* – add item 2 to your cart (*add 2 3* for three)',
    '*remove 2* – take item 2 out of your cart',
    '*cart* – see your cart',
    '*checkout* – place your order',
    '*status 1042* – check on order 1042',
    '*orders* – see your orders',
    '*human* – talk to a person',
    '*stop* – stop messages from us',
  ].join('\n');
}
