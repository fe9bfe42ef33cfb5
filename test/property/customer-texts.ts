import fc from 'fast-check';
import { COMMAND_IDS } from '../../src/modules/conversations/engine/command-parser.js';
import { hostileString } from './hostile-values.js';

/** Words the command parser acts on, and the numbers, multipliers and order numbers around them. */
const COMMAND_WORDS = [
  'add',
  'remove',
  'delete',
  'status',
  'order',
  'cancel',
  'my',
  'to',
  'from',
  'the',
  'cart',
  'basket',
  'item',
  'no.',
  'product',
  'x',
  '×',
  '*',
  'please',
  'pls',
  'menu',
  'checkout',
  'confirm',
  'pay',
  'human',
  'stop',
  'start',
  'hi',
  'heyyy',
  'jollof',
  'rice',
  'pickup',
];
const NUMBERISH = ['1,000', '1.5', '3x2', 'x2', '2x', '#12', '#', 'HK-1042', '١٢', '３', '+3', '-2', '0', '00099'];

const commandWord = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...COMMAND_WORDS) },
  { weight: 2, arbitrary: fc.integer({ min: -5, max: 120 }).map(String) },
  { weight: 1, arbitrary: fc.constantFrom(...NUMBERISH) },
  { weight: 1, arbitrary: hostileString },
);
const separator = fc.constantFrom(' ', ' ', ' ', '  ', '\n', '\t', ', ', '\u00a0', '\u200b', '!');

/** Text a customer might send: command-shaped phrases with odd numbers and spacing, or anything at all. */
export const customerText: fc.Arbitrary<string> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc
      .array(fc.tuple(commandWord, separator), { minLength: 1, maxLength: 6 })
      .map((words) => words.map(([word, gap]) => word + gap).join('')),
  },
  { weight: 2, arbitrary: hostileString },
);

const ID_PREFIXES = ['add:', 'remove:', 'status:', 'cancel-order:', 'cmd:'];

/** Button and list-row ids: ours, ours altered, and anything a web chat client might send instead. */
export const interactiveIdText: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...Object.values(COMMAND_IDS)),
  fc
    .tuple(
      fc.constantFrom(...ID_PREFIXES),
      fc.oneof(
        fc.uuid(),
        fc.uuid().map((id) => id.toUpperCase()),
        hostileString,
        fc.constantFrom('1042', 'HK-1042'),
      ),
      fc.option(fc.oneof(fc.integer({ min: -1, max: 120 }).map(String), hostileString), { nil: undefined }),
    )
    .map(([prefix, value, extra]) => (extra === undefined ? `${prefix}${value}` : `${prefix}${value}:${extra}`)),
  hostileString,
);
