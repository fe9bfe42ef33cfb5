import { collectAllowed, guardReply, guardReplyOrThrow, type GuardAllowed } from './reply-guard.js';
import { seededRandom as prng } from '../../../../test/support/seeded-random.js';

const NOTHING: GuardAllowed = { figures: [], links: [], orderNumbers: [] };
const allow = (extra: Partial<GuardAllowed>): GuardAllowed => ({ ...NOTHING, ...extra });

describe('guardReply: money', () => {
  it.each([
    ['Jollof rice for ₦5,000.', 'Jollof rice.'],
    ['For ₦500 you get two plates.', 'You get two plates.'],
    ['Jollof rice is ₦3,500 and Chicken Suya is ₦2,000.', 'Jollof rice and Chicken Suya.'],
    ['Delivery is ₦500 extra.', 'Delivery is extra.'],
    ['It costs between ₦5,000 and ₦7,000 depending on size.', 'It costs depending on size.'],
    ['Prices range from $5-7 each.', 'Prices range.'],
    ['Jollof (₦3,500) is our best seller.', 'Jollof is our best seller.'],
    ['Get it for *₦3,500* today!', 'Get it today!'],
    ['- Jollof: ₦3,500\n- Suya: ₦2,000', '- Jollof\n- Suya'],
    ['₦3,500.\nAnything else?', 'Anything else?'],
    ['Rice, ₦5,000, and beans.', 'Rice, and beans.'],
  ])('removes an invented amount and tidies: %j', (text, expected) => {
    expect(guardReply(text, NOTHING)).toBe(expected);
  });

  it.each([
    ['₦5,000'],
    ['₦ 5,000.00'],
    ['NGN 5000'],
    ['ngn5000'],
    ['N5,000'],
    ['5000 naira'],
    ['5k naira'],
    ['$5'],
    ['US$5.00'],
    ['5 dollars'],
    ['€5.000,00'],
    ['5.000,00 €'],
    ['5 000,50 NGN'],
    ['£20'],
    ['GH₵50'],
    ['GH¢50'],
    ['50 cedis'],
    ['50¢'],
    ['Ksh 1,200'],
    ['KES 1200'],
    ['1,200 shillings'],
    ['R 5 000,00'],
    ['R50'],
    ['ZAR 50'],
    ['₦2.5 million'],
    ['＄５'],
    ['₦5\u200b000'],
  ])('recognises %j as money', (amount) => {
    expect(guardReply(`Price: ${amount} here`, NOTHING)).toBe('Price here');
  });

  it.each([
    ['Add 2 plates please.'],
    ['Item #2 is great.'],
    ['We open at 9:30 and close at 21:00.'],
    ['I have 3 r5 chargers and N95 masks.'],
    ['See the R2D2 toy.'],
    ['Call 0803 123 4567.'],
  ])('leaves numbers that are not money: %j', (text) => {
    expect(guardReply(text, NOTHING)).toBe(text);
  });

  it('keeps a figure the executor rendered, exactly or in another spelling of the same amount', () => {
    const allowed = allow({ figures: ['₦5,000.00'] });

    expect(guardReply('Your total is ₦5,000.00.', allowed)).toBe('Your total is ₦5,000.00.');
    expect(guardReply('Your total is ₦5,000.', allowed)).toBe('Your total is ₦5,000.');
    expect(guardReply('Your total is NGN 5000.', allowed)).toBe('Your total is NGN 5000.');
    expect(guardReply('Your total is ₦5,001.', allowed)).toBe('Your total.');
    expect(guardReply('Your total is $5,000.', allowed)).toBe('Your total.');
  });

  it('keeps a rand figure with its no-break spaces', () => {
    const rendered = 'R\u00a05\u00a0000,00';

    expect(guardReply(`Total: ${rendered}`, allow({ figures: [rendered] }))).toBe('Total: R 5 000,00');
    expect(guardReply('Total: R 5 000,50', allow({ figures: [rendered] }))).toBe('Total');
  });

  it('does not let a removed link join its neighbours into a new amount', () => {
    expect(guardReply('Pay ₦https://evil.example/x 5 today', NOTHING)).toBe('Pay today');
  });
});

describe('guardReply: links', () => {
  const payLink = 'https://pay.hawker.app/p/abc';

  it.each([
    ['Pay here: https://evil.example.com/pay?x=1', 'Pay here'],
    ['Track it at www.track.ng/1234 today.', 'Track it today.'],
    ['Visit shop.com.', 'Visit.'],
    ['Visit shop.example/menu now', 'Visit now'],
    ['Email orders@shop.com for help.', 'Email for help.'],
    ['[Pay here](https://evil.com/x)', 'Pay here'],
    ['See (https://evil.com/x) for more.', 'See for more.'],
  ])('removes an invented link: %j', (text, expected) => {
    expect(guardReply(text, NOTHING)).toBe(expected);
  });

  it.each([['See menu.pdf'], ['Mr.Smith said so.'], ['e.g. rice'], ['Version 2.0 is out.']])(
    'leaves dotted words that are not links: %j',
    (text) => {
      expect(guardReply(text, NOTHING)).toBe(text);
    },
  );

  it('keeps a link the executor rendered, with or without its scheme, but not with another scheme', () => {
    const allowed = allow({ links: [payLink] });

    expect(guardReply(`Pay at ${payLink}.`, allowed)).toBe(`Pay at ${payLink}.`);
    expect(guardReply('Pay at pay.hawker.app/p/abc.', allowed)).toBe('Pay at pay.hawker.app/p/abc.');
    expect(guardReply('Pay at http://pay.hawker.app/p/abc', allowed)).toBe('Pay');
    expect(guardReply(`Pay at ${payLink}?ref=evil`, allowed)).toBe('Pay');
  });
});

describe('guardReply: order numbers', () => {
  it.each([
    ['Your order #1234 is confirmed!', 'Your order is confirmed!'],
    ['Order HK-1042 is on its way.', 'Order is on its way.'],
    ['Order number 5521 is ready.', 'Order is ready.'],
    ['Your order no. A77 is ready.', 'Your order is ready.'],
    ['Ref ORD-2024-0001, thanks.', 'Thanks.'],
  ])('removes an invented order number: %j', (text, expected) => {
    expect(guardReply(text, NOTHING)).toBe(expected);
  });

  it('keeps an order number the executor rendered, however it is written', () => {
    const allowed = allow({ orderNumbers: ['HK-1042'] });

    expect(guardReply('Order #HK-1042 is on its way.', allowed)).toBe('Order #HK-1042 is on its way.');
    expect(guardReply('Order hk-1042 is on its way.', allowed)).toBe('Order hk-1042 is on its way.');
    expect(guardReply('Order number HK-1042 is on its way.', allowed)).toBe('Order number HK-1042 is on its way.');
    expect(guardReply('Order number HK-1043 is on its way.', allowed)).toBe('Order is on its way.');
  });

  it('leaves hashtags and short item numbers', () => {
    expect(guardReply('Try item #12 #jollof', NOTHING)).toBe('Try item #12 #jollof');
  });
});

describe('guardReply: text', () => {
  it('keeps emoji, including joined ones, and drops invisible characters', () => {
    expect(guardReply('Done 😊👩‍🍳!', NOTHING)).toBe('Done 😊👩‍🍳!');
    expect(guardReply('Do\u200bne\u202e!', NOTHING)).toBe('Done!');
  });

  it('answers nothing when nothing but removed things and punctuation is left', () => {
    expect(guardReply('₦5,000!', NOTHING)).toBe('');
    expect(guardReply('👉 https://evil.com', NOTHING)).toBe('');
  });

  it('caps the length on a word boundary with an ellipsis', () => {
    const text = 'word '.repeat(200);

    const capped = guardReply(text, NOTHING, 50);

    expect(capped.length).toBeLessThanOrEqual(50);
    expect(capped).toMatch(/^(word )*word…$/u);
    expect(guardReply('a'.repeat(100), NOTHING, 10)).toBe(`${'a'.repeat(9)}…`);
    expect(guardReply('short', NOTHING)).toBe('short');
  });

  it('never cuts through a kept figure', () => {
    const figure = 'R\u00a05\u00a0000,00';
    const text = `${'hello '.repeat(19)}R 5 000,00 is the total`;

    const capped = guardReply(text, allow({ figures: [figure] }), 120);

    expect(capped).toMatch(/hello…$/u);
  });

  it('never splits an emoji when cutting', () => {
    // Each 👩‍🍳 is five UTF-16 units: two of them and the ellipsis fit in 12.
    expect(guardReply('👩‍🍳'.repeat(10), NOTHING, 12)).toBe('👩‍🍳👩‍🍳…');
  });

  it('returns nothing for a length below one, and the default for a length that is not a number', () => {
    expect(guardReply('hello', NOTHING, 0)).toBe('');
    expect(guardReply('hello', NOTHING, -3)).toBe('');
    expect(guardReply('hello', NOTHING, Number.NaN)).toBe('hello');
  });
});

describe('collectAllowed', () => {
  it("reads figures, links and order numbers from the executor's rendering", () => {
    const rendered = [
      '🛒 Your cart:',
      '2 × Jollof — ₦10,000.00',
      '*Total: R\u00a05\u00a0000,00*',
      'Pay: https://pay.x/abc.',
      'Order #HK-1042, order number 5521',
    ].join('\n');

    expect(collectAllowed(rendered)).toEqual({
      figures: ['₦10,000.00', 'R 5 000,00'],
      links: ['https://pay.x/abc'],
      orderNumbers: ['#HK-1042', '5521'],
    });
  });
});

describe('guardReply on hostile input', () => {
  const PIECES = [
    ...['₦', '$', '€', '£', '¢', '₵', 'GH₵', 'KSh', 'R', 'N', 'r', 'NGN', 'usd', 'US$'],
    ...['naira', 'cedis', 'dollars', 'rand', 'k', 'million'],
    ...['5', '50', '5,000', '5.000,00', '5 000', '1\u00a0000', '0.5', '99999999999999999999'],
    ...['.', ',', ' ', ' ', ' ', '\n', '\n\n\n', '\t', '-', '–', '(', ')', '[', ']', '*', '_', '~', ':', '!', '…'],
    ...['#', '#1234', '#12', 'HK-1042', 'ORD-9', 'ord-123', 'order number', 'order no.', 'A77'],
    ...['https://', 'http://x.y/', 'www.', '.com', '.ng', '/path?q=1', '@', 'shop', 'mailto:', '://'],
    ...['for', 'at', 'and', 'or', 'is', 'each', 'only', 'between', 'Jollof', 'rice', 'Hello'],
    ...['😊', '👩‍🍳', '🏴󠁧󠁢󠁥󠁮󠁧󠁿', '\u200b', '\u200d', '\u202e', '\ufeff', '\u00ad'],
    ...['\ud800', '\udc00', '\uE000', '\uE001', '\uE002', '\uE003', '\uE010', '\uE004', '\u0000', '\r\n', '\r'],
    ...['ﷺ', '＄５', 'ǅ', 'İ', '½', '\u2028', 'a'.repeat(70), '.'.repeat(40), ' '.repeat(30), '-'.repeat(30)],
  ];
  const LENGTHS = [600, 600, 600, 50, 12, 1, 0, -5, Number.NaN, Number.POSITIVE_INFINITY];

  function pick<T>(random: () => number, items: readonly T[]): T {
    return items[Math.floor(random() * items.length)];
  }

  function hostileText(random: () => number): string {
    if (random() < 0.1) {
      // Raw code units, surrogate halves and all.
      return String.fromCharCode(...Array.from({ length: Math.floor(random() * 200) }, () => random() * 0x10000));
    }
    return Array.from({ length: Math.floor(random() * 60) }, () => pick(random, PIECES)).join(
      random() < 0.5 ? '' : ' ',
    );
  }

  function hostileAllowed(random: () => number, text: string): GuardAllowed {
    const some = () =>
      Array.from({ length: Math.floor(random() * 4) }, () =>
        random() < 0.5
          ? text.slice(Math.floor(random() * text.length), Math.floor(random() * text.length))
          : hostileText(random),
      );
    if (random() < 0.05) return { figures: [42, null], links: undefined, orderNumbers: 'x' } as unknown as GuardAllowed;
    return { figures: some(), links: some(), orderNumbers: some() };
  }

  it('never throws, respects the length, leaks no marker, and is stable on its own output', () => {
    const random = prng(20_240_613);
    for (let i = 0; i < 400; i++) {
      const text = hostileText(random);
      const allowed = hostileAllowed(random, text);
      const maxLength = pick(random, LENGTHS);
      const context = JSON.stringify({ i, maxLength: String(maxLength), text, allowed });

      let out = '';
      expect(() => (out = guardReplyOrThrow(text, allowed, maxLength))).not.toThrow();

      const limit = Number.isNaN(maxLength) ? 600 : maxLength;
      if (limit < 1) expect({ context, out }).toEqual({ context, out: '' });
      expect({ context, tooLong: out.length > Math.max(limit, 0) }).toEqual({ context, tooLong: false });
      expect({ context, marker: /[\uE000-\uE0FF]|\p{Cs}/u.test(out) }).toEqual({ context, marker: false });
      // Whatever the guard let through, a second pass lets through unchanged ("…" is NFKC "..."),
      // so no removal joined its neighbours into something it should have removed.
      const guarded = guardReplyOrThrow(text, NOTHING, Infinity);
      if (guarded !== '') {
        expect({ context, again: guardReplyOrThrow(guarded, NOTHING, Infinity) }).toEqual({
          context,
          again: guarded.replaceAll('…', '...'),
        });
      }
    }
  });

  it('lets no money, link or order number through when nothing is allowed', () => {
    const random = prng(7);
    for (let i = 0; i < 300; i++) {
      const text = hostileText(random);
      const out = guardReplyOrThrow(text, NOTHING, Infinity);
      const leaks = [
        /[₦$€£¢₵][ \t]{0,2}\d/u,
        /(?<![\p{L}\p{N}.,])\d+(?:[,.]\d+)*[ \t]{0,2}(?:naira|cedis|dollars|NGN|usd)(?![\p{L}\p{N}])/iu,
        /https?:\/\/[^\s<>"'`]|(?<![\p{L}\p{N}.-])www\.[^\s<>"'`]|(?<![\p{L}\p{N}-])shop\.(?:com|ng)\b|@shop\.(?:com|ng)\b/iu,
        /(?<![\p{L}\p{N}&-])(?:#(?=[\dA-Za-z-]*\d)[\dA-Za-z][\dA-Za-z-]+[\dA-Za-z]|HK-1042|ORD-9\d*)(?![\p{L}\p{N}-])/u,
      ].filter((pattern) => pattern.test(out));
      expect({ i, text, out, leaks }).toEqual({ i, text, out, leaks: [] });
    }
  });

  it('keeps an allowed figure and link wherever they stand', () => {
    const random = prng(99);
    const allowed = allow({ figures: ['₦5,000.00'], links: ['https://pay.x/abc'] });
    for (let i = 0; i < 200; i++) {
      // On lines of their own: "₦5,000.00 k" after them would be another amount.
      const text = `${hostileText(random)}\n₦5,000.00\n${hostileText(random)}\nhttps://pay.x/abc\n${hostileText(random)}`;
      const out = guardReplyOrThrow(text, allowed, Infinity);
      expect({ i, text, figure: out.includes('₦5,000.00'), link: out.includes('https://pay.x/abc') }).toEqual({
        i,
        text,
        figure: true,
        link: true,
      });
    }
  });

  it('stays fast on inputs built to make regular expressions backtrack', () => {
    const attacks = [
      'a.'.repeat(25_000),
      '-'.repeat(50_000),
      '1,'.repeat(25_000),
      '#1-'.repeat(16_000),
      `www.${'a-'.repeat(25_000)}`,
      'x@'.repeat(25_000),
      `₦${'5 000 '.repeat(8_000)}`,
      ' for'.repeat(12_000) + '₦5',
      `${'\uE000'.repeat(1_000)}${'₦5 '.repeat(10_000)}`,
      'https://'.repeat(6_000),
      'ord1-'.repeat(10_000),
      '₦5 for '.repeat(7_000),
      'order no. 5 '.repeat(4_000),
    ];
    for (const attack of attacks) {
      const started = performance.now();
      guardReplyOrThrow(attack, NOTHING, Infinity);
      expect({ attack: attack.slice(0, 20), slow: performance.now() - started > 2_000 }).toEqual({
        attack: attack.slice(0, 20),
        slow: false,
      });
    }
  });
});
