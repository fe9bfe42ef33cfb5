import { seededRandom as prng } from '../../../../test/support/seeded-random.js';
import {
  COMMAND_IDS,
  MAX_QUANTITY,
  helpText,
  interactiveId,
  parseCommand,
  parseInteractiveId,
  type ArgLessCommand,
  type Command,
  type InteractiveCommand,
} from './command-parser.js';

const PRODUCT_ID = '3f2b8c1e-9a4d-4e2f-b6c7-0d1e2f3a4b5c';

function unknown(text: string): Command {
  return { type: 'unknown', text: text.trim() };
}

function typeOf(text: string): Command['type'] {
  return parseCommand(text).type;
}

describe('parseCommand: argument-less commands', () => {
  it.each<[string, ArgLessCommand['type']]>([
    ['hi', 'greet'],
    ['hello', 'greet'],
    ['hey', 'greet'],
    ['help', 'greet'],
    ['good morning', 'greet'],
    ['good afternoon', 'greet'],
    ['good evening', 'greet'],
    ['menu', 'show_catalog'],
    ['catalog', 'show_catalog'],
    ['catalogue', 'show_catalog'],
    ['products', 'show_catalog'],
    ['list', 'show_catalog'],
    ['cart', 'view_cart'],
    ['view cart', 'view_cart'],
    ['my cart', 'view_cart'],
    ['basket', 'view_cart'],
    ['clear', 'clear_cart'],
    ['clear cart', 'clear_cart'],
    ['empty cart', 'clear_cart'],
    ['cancel', 'cancel'],
    ['human', 'escalate'],
    ['agent', 'escalate'],
    ['person', 'escalate'],
    ['talk to a human', 'escalate'],
    ['talk to a person', 'escalate'],
    ['talk to an agent', 'escalate'],
    ['speak to someone', 'escalate'],
    ['checkout', 'checkout'],
    ['check out', 'checkout'],
    ['done', 'checkout'],
    ['confirm', 'confirm'],
    ['yes confirm', 'confirm'],
    ['pay', 'pay'],
    ['payment', 'pay'],
    ['pay now', 'pay'],
    ['orders', 'order_history'],
    ['my orders', 'order_history'],
    ['new order', 'new_order'],
    ['stop', 'opt_out'],
    ['unsubscribe', 'opt_out'],
    ['start', 'opt_in'],
    ['subscribe', 'opt_in'],
  ])('reads "%s" as %s', (text, type) => {
    expect(parseCommand(text)).toEqual({ type });
  });

  it('reads "start" as opting in, not as a greeting', () => {
    expect(parseCommand('start')).toEqual({ type: 'opt_in' });
  });

  it('reads drawn-out greetings like "hiii" and "heyyy" as a greeting', () => {
    expect(typeOf('hiii')).toBe('greet');
    expect(typeOf('heyyy')).toBe('greet');
    expect(typeOf('hellooo')).toBe('greet');
  });

  it('reads "show me the menu" as the catalog', () => {
    expect(typeOf('show me the menu')).toBe('show_catalog');
  });

  it('reads "a bare status" as the order list, which shows every status', () => {
    expect(typeOf('status')).toBe('order_history');
  });

  it.each(['remove all', 'delete all items', 'remove everything'])('reads "%s" as clearing the cart', (text) => {
    expect(typeOf(text)).toBe('clear_cart');
  });
});

describe('parseCommand: tolerance', () => {
  it.each(['MENU', 'Menu', 'mEnU'])('ignores case in "%s"', (text) => {
    expect(typeOf(text)).toBe('show_catalog');
  });

  it.each([
    ['  menu  ', 'show_catalog'],
    ['view    cart', 'view_cart'],
    ['\tcart\n', 'view_cart'],
    ['view\u00A0cart', 'view_cart'],
  ])('ignores extra whitespace in %j', (text, type) => {
    expect(typeOf(text)).toBe(type);
  });

  it.each(['menu!', 'menu.', 'menu?', 'menu!!!', 'menu?!', '...menu', '"menu"', '*menu*', '¿menu?'])(
    'ignores punctuation around "%s"',
    (text) => {
      expect(typeOf(text)).toBe('show_catalog');
    },
  );

  it.each([
    ['/menu', 'show_catalog'],
    ['/checkout', 'checkout'],
    ['/add 2', 'add_to_cart'],
  ])('accepts a leading slash in "%s"', (text, type) => {
    expect(typeOf(text)).toBe(type);
  });

  it.each([
    ['menu please', 'show_catalog'],
    ['menu pls', 'show_catalog'],
    ['menu, please!', 'show_catalog'],
    ['please checkout', 'checkout'],
    ['kindly checkout', 'checkout'],
    ['talk to a human please', 'escalate'],
    ['pls add 2', 'add_to_cart'],
    ['add 3 x2 pls', 'add_to_cart'],
  ])('tolerates politeness in "%s"', (text, type) => {
    expect(typeOf(text)).toBe(type);
  });

  it('reads full-width letters as ordinary ones', () => {
    expect(typeOf('ｍｅｎｕ')).toBe('show_catalog');
  });

  it('ignores zero-width characters pasted into a word', () => {
    expect(typeOf('me\u200Bnu')).toBe('show_catalog');
  });

  it('drops bidi and control characters from an item name', () => {
    expect(parseCommand('add \u202Eecir\u0000jollof')).toEqual({
      type: 'add_to_cart',
      item: { kind: 'name', name: 'ecir jollof' },
      quantity: 1,
    });
  });

  it('reads "yes, confirm" like "yes confirm"', () => {
    expect(typeOf('Yes, confirm!')).toBe('confirm');
  });

  it('leaves a greeting with an emoji to the AI, since only punctuation is trimmed', () => {
    expect(typeOf('hi 👋')).toBe('unknown');
  });
});

describe('parseCommand: add', () => {
  it('reads "add 3" as one of item 3', () => {
    expect(parseCommand('add 3')).toEqual({ type: 'add_to_cart', item: { kind: 'index', index: 3 }, quantity: 1 });
  });

  it('reads "add 2 3" as three of item 2', () => {
    expect(parseCommand('add 2 3')).toEqual({ type: 'add_to_cart', item: { kind: 'index', index: 2 }, quantity: 3 });
  });

  it.each(['add 3 x2', 'add 3 X2', 'add 3 x 2', 'add 3x2', 'add 3 ×2', 'add item 3 2', 'add #3 2', 'add no. 3 2'])(
    'reads "%s" as two of item 3',
    (text) => {
      expect(parseCommand(text)).toEqual({ type: 'add_to_cart', item: { kind: 'index', index: 3 }, quantity: 2 });
    },
  );

  it('reads "add jollof rice" as one jollof rice', () => {
    expect(parseCommand('add jollof rice')).toEqual({
      type: 'add_to_cart',
      item: { kind: 'name', name: 'jollof rice' },
      quantity: 1,
    });
  });

  it.each([
    'add jollof rice 2',
    'add Jollof Rice x2',
    'add 2 jollof rice',
    'add 2x jollof rice',
    'add 2 x jollof rice',
  ])('reads "%s" as two jollof rice', (text) => {
    expect(parseCommand(text)).toEqual({
      type: 'add_to_cart',
      item: { kind: 'name', name: 'jollof rice' },
      quantity: 2,
    });
  });

  it('keeps digits that are part of a name, as in "add 7up"', () => {
    expect(parseCommand('add 7up')).toEqual({ type: 'add_to_cart', item: { kind: 'name', name: '7up' }, quantity: 1 });
    expect(parseCommand('add coke 50cl 2')).toEqual({
      type: 'add_to_cart',
      item: { kind: 'name', name: 'coke 50cl' },
      quantity: 2,
    });
  });

  it.each(['add 2 to cart', 'add 2 to my cart', 'add 2 to basket'])('ignores "to cart" in "%s"', (text) => {
    expect(parseCommand(text)).toEqual({ type: 'add_to_cart', item: { kind: 'index', index: 2 }, quantity: 1 });
  });

  it('accepts the largest quantity', () => {
    expect(parseCommand(`add 2 ${MAX_QUANTITY}`)).toMatchObject({ quantity: MAX_QUANTITY });
  });

  it.each(['add 2 0', 'add 2 100', 'add 2 x100', 'add 2 -3', 'add 2 1.5', 'add 2 1,000', 'add 2 99999999999999999999'])(
    'refuses the quantity in "%s"',
    (text) => {
      expect(parseCommand(text)).toMatchObject({ type: 'invalid', reason: 'quantity_out_of_range' });
    },
  );

  it.each(['add', 'ADD!', 'add to cart', 'add x2', 'add 2x', 'add ???', 'add 0', 'add #0'])(
    'asks which item for "%s"',
    (text) => {
      expect(parseCommand(text)).toMatchObject({ type: 'invalid', reason: 'missing_item' });
    },
  );

  it('gives a hint with an example the customer can send', () => {
    const result = parseCommand('add');
    expect(result.type === 'invalid' && result.hint).toContain('add 2');
  });

  it.each(['add me to your list', 'add this', 'add 2 3 4', 'add 2 jollof 3'])(
    'leaves sentences and ambiguous numbers like "%s" to the AI',
    (text) => {
      expect(parseCommand(text)).toEqual(unknown(text));
    },
  );

  it('leaves a name too long to be a product to the AI', () => {
    expect(typeOf(`add ${'very '.repeat(20)}long rice`)).toBe('unknown');
  });
});

describe('parseCommand: remove', () => {
  it.each(['remove 2', 'delete 2', 'remove item 2', 'remove #2', 'remove 2 from cart', 'Delete 2 from my cart.'])(
    'reads "%s" as removing item 2',
    (text) => {
      expect(parseCommand(text)).toEqual({ type: 'remove_from_cart', item: { kind: 'index', index: 2 } });
    },
  );

  it('reads "remove jollof rice" as removing by name', () => {
    expect(parseCommand('remove jollof rice')).toEqual({
      type: 'remove_from_cart',
      item: { kind: 'name', name: 'jollof rice' },
    });
  });

  it.each(['remove', 'delete', 'remove from cart'])('asks which item for "%s"', (text) => {
    expect(parseCommand(text)).toMatchObject({ type: 'invalid', reason: 'missing_item' });
  });

  it.each(['remove 2 3', 'remove rice 2', 'delete my account', 'delete my data'])(
    'leaves "%s" to the AI rather than guess',
    (text) => {
      expect(typeOf(text)).toBe('unknown');
    },
  );
});

describe('parseCommand: orders', () => {
  it.each([
    ['status 1042', '1042'],
    ['status #1042', '1042'],
    ['status HK-1042', 'HK-1042'],
    ['Status hk-1042.', 'HK-1042'],
    ['order status #1042', '1042'],
    ['status 1042 please', '1042'],
  ])('reads "%s" as the status of order %s', (text, orderNumber) => {
    expect(parseCommand(text)).toEqual({ type: 'order_status', orderNumber });
  });

  it.each([
    ['cancel order 1042', '1042'],
    ['cancel order #1042', '1042'],
    ['cancel my order HK-1042', 'HK-1042'],
  ])('reads "%s" as cancelling order %s', (text, orderNumber) => {
    expect(parseCommand(text)).toEqual({ type: 'cancel_order', orderNumber });
  });

  it.each(['status of my order', 'status 1042 1043', 'status ##1042', 'cancel order', 'cancel 2', 'cancel order abc'])(
    'leaves "%s" to the AI',
    (text) => {
      expect(typeOf(text)).toBe('unknown');
    },
  );
});

describe('parseCommand: free text', () => {
  it.each([
    'what is on the menu today',
    'do you deliver to Lekki?',
    'hi, do you have jollof?',
    'yes',
    'I want to add two plates of rice',
    'stop sending me this',
    'cart is wrong',
    'please',
  ])('leaves "%s" to the AI', (text) => {
    expect(parseCommand(text)).toEqual(unknown(text));
  });

  it('returns the customer text trimmed but otherwise as written', () => {
    expect(parseCommand('  Do you DELIVER?  ')).toEqual({ type: 'unknown', text: 'Do you DELIVER?' });
  });

  it.each(['', '   ', '!!!', '👍'])('reads %j as unknown', (text) => {
    expect(typeOf(text)).toBe('unknown');
  });

  it('does not look for commands in very long messages', () => {
    expect(typeOf(`menu${' '.repeat(1000)}`)).toBe('unknown');
  });
});

describe('interactive ids', () => {
  const roundTrips: InteractiveCommand[] = [
    ...(Object.keys(COMMAND_IDS) as ArgLessCommand['type'][]).map((type) => ({ type })),
    { type: 'add_to_cart', item: { kind: 'product', productId: PRODUCT_ID }, quantity: 1 },
    { type: 'add_to_cart', item: { kind: 'product', productId: PRODUCT_ID }, quantity: 4 },
    { type: 'remove_from_cart', item: { kind: 'product', productId: PRODUCT_ID } },
    { type: 'order_status', orderNumber: 'HK-1042' },
    { type: 'cancel_order', orderNumber: '1042' },
  ];

  it.each(roundTrips.map((command) => [command.type, command] as const))(
    'reads back the id it builds for %s',
    (_type, command) => {
      expect(parseInteractiveId(interactiveId(command))).toEqual(command);
    },
  );

  it('gives every argument-less command its own id', () => {
    const ids = Object.values(COMMAND_IDS);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('keeps the ids already sent to customers stable', () => {
    expect(interactiveId({ type: 'show_catalog' })).toBe('cmd:menu');
    expect(interactiveId({ type: 'view_cart' })).toBe('cmd:cart');
    expect(interactiveId({ type: 'checkout' })).toBe('cmd:checkout');
    expect(interactiveId({ type: 'confirm' })).toBe('cmd:confirm');
    expect(interactiveId({ type: 'escalate' })).toBe('cmd:human');
    expect(interactiveId({ type: 'add_to_cart', item: { kind: 'product', productId: PRODUCT_ID }, quantity: 1 })).toBe(
      `add:${PRODUCT_ID}`,
    );
    expect(interactiveId({ type: 'remove_from_cart', item: { kind: 'product', productId: PRODUCT_ID } })).toBe(
      `remove:${PRODUCT_ID}`,
    );
  });

  it('reads "add:<productId>" as one of that product', () => {
    expect(parseInteractiveId(`add:${PRODUCT_ID}`)).toEqual({
      type: 'add_to_cart',
      item: { kind: 'product', productId: PRODUCT_ID },
      quantity: 1,
    });
  });

  it('lower-cases a product id when building an id', () => {
    const id = interactiveId({
      type: 'remove_from_cart',
      item: { kind: 'product', productId: PRODUCT_ID.toUpperCase() },
    });
    expect(id).toBe(`remove:${PRODUCT_ID}`);
  });

  it.each([
    '',
    'menu',
    'cmd:',
    'cmd:nope',
    'CMD:MENU',
    'add:',
    'add:not-a-uuid',
    `add:${PRODUCT_ID}:0`,
    `add:${PRODUCT_ID}:100`,
    `add:${PRODUCT_ID}:2:3`,
    `add:${PRODUCT_ID} `,
    `remove:${PRODUCT_ID}:2`,
    'status:',
    'status:hk-1042',
    'status:#1042',
    'cancel-order:abc',
    `add:${PRODUCT_ID}:${'9'.repeat(300)}`,
  ])('refuses the id %j, which we never build', (id) => {
    expect(parseInteractiveId(id)).toBeNull();
  });

  it('refuses to build an id from a malformed product id or quantity', () => {
    expect(() =>
      interactiveId({ type: 'add_to_cart', item: { kind: 'product', productId: 'x' }, quantity: 1 }),
    ).toThrow(RangeError);
    expect(() =>
      interactiveId({ type: 'add_to_cart', item: { kind: 'product', productId: PRODUCT_ID }, quantity: 0 }),
    ).toThrow(RangeError);
    expect(() => interactiveId({ type: 'order_status', orderNumber: 'no digits' })).toThrow(RangeError);
  });
});

describe('helpText', () => {
  it('names the business in bold', () => {
    expect(helpText('Mama Put')).toContain('*Mama Put*');
  });

  it('lists commands the parser understands', () => {
    const examples = [...helpText('Shop').matchAll(/^\*([^*]+)\*/gmu)].map((match) => match[1]);
    expect(examples.length).toBeGreaterThanOrEqual(5);
    for (const example of examples) {
      expect(typeOf(example)).not.toMatch(/^(unknown|invalid)$/u);
    }
  });

  it('keeps a "*" or line break in the name from breaking the layout', () => {
    const text = helpText('Star*\nFoods');
    expect(text.split('\n')[0]).toBe('Hi! Welcome to *Star Foods*.');
  });

  it('still welcomes when the business has no name', () => {
    expect(helpText('  ').split('\n')[0]).toBe('Hi! Welcome.');
  });

  it('stays short enough for one chat message', () => {
    expect(helpText('A'.repeat(100)).length).toBeLessThan(1024);
  });
});

describe('parseCommand on hostile input', () => {
  const PIECES = [
    'add',
    'remove',
    'delete',
    'status',
    'cancel',
    'order',
    'menu',
    'cart',
    'x',
    '×',
    '#',
    '/',
    '2',
    '99',
    '100',
    '-1',
    '0',
    '1.5',
    'to',
    'my',
    'from',
    'please',
    ' ',
    '  ',
    '\n',
    '\t',
    '!',
    '?',
    '.',
    ',',
    '*',
    '👋',
    '🍕',
    '👨‍👩‍👧',
    '\u200B',
    '\uFEFF',
    '\u202E',
    'é',
    'e\u0301',
    'ﷺ',
    'ｍｅｎｕ',
    'İ',
    'ß',
    'ǅ',
    '\uD800',
    '\uDFFF',
    '\u0000',
    'جلوف',
    '米饭',
    'x2',
    '3x2',
    '9'.repeat(40),
    'HK-1042',
  ];

  const VERBS = ['add', 'remove', 'delete', 'status', 'order status', 'cancel order', '/add', 'ADD', 'menu'];

  function randomText(random: () => number): string {
    const roll = random();
    if (roll < 0.1) {
      // Very long: thousands of random code units, lone surrogates included.
      const length = 1000 + Math.floor(random() * 20000);
      return Array.from({ length }, () => String.fromCharCode(Math.floor(random() * 0x10000))).join('');
    }
    if (roll < 0.3) {
      const length = Math.floor(random() * 40);
      return Array.from({ length }, () => String.fromCodePoint(Math.floor(random() * 0x110000))).join('');
    }
    // Mostly a command word and a few pieces, so that every parsing path gets garbage.
    const count = Math.floor(random() * 6);
    const pieces = Array.from({ length: count }, () => pick(random, PIECES));
    const verb = random() < 0.8 ? [pick(random, VERBS)] : [];
    return [...verb, ...pieces].join(random() < 0.8 ? ' ' : '');
  }

  function pick(random: () => number, from: readonly string[]): string {
    return from[Math.floor(random() * from.length)];
  }

  function isValidCommand(command: Command): boolean {
    switch (command.type) {
      case 'add_to_cart':
        return (
          Number.isInteger(command.quantity) && command.quantity >= 1 && command.quantity <= 99 && isItem(command.item)
        );
      case 'remove_from_cart':
        return isItem(command.item);
      case 'order_status':
      case 'cancel_order':
        return /^[A-Z0-9][A-Z0-9-]*$/u.test(command.orderNumber) && /\d/u.test(command.orderNumber);
      case 'invalid':
        return ['quantity_out_of_range', 'missing_item'].includes(command.reason) && command.hint.length > 0;
      case 'unknown':
        return typeof command.text === 'string';
      default:
        return Object.keys(command).length === 1;
    }
  }

  function isItem(item: Extract<Command, { type: 'remove_from_cart' }>['item']): boolean {
    switch (item.kind) {
      case 'index':
        return Number.isSafeInteger(item.index) && item.index >= 1;
      case 'name':
        return item.name.length > 0 && item.name.length <= 80 && !/\p{C}/u.test(item.name);
      case 'product':
        return false; // Only button ids name a product.
    }
  }

  it('never throws and always returns a well-formed command for 500 random strings', () => {
    const random = prng(0x4a5b);
    for (let i = 0; i < 500; i++) {
      const text = randomText(random);
      let command: Command | undefined;
      expect(() => (command = parseCommand(text))).not.toThrow();
      if (!isValidCommand(command!)) throw new Error(`Malformed command for ${JSON.stringify(text)}`);
      expect(parseCommand(text)).toEqual(command);
    }
  });

  it('never throws on random interactive ids', () => {
    const random = prng(0x1d);
    for (let i = 0; i < 300; i++) {
      const id = `${['cmd:', 'add:', 'remove:', 'status:', ''][i % 5]}${randomText(random)}`;
      expect(() => parseInteractiveId(id)).not.toThrow();
    }
  });
});
