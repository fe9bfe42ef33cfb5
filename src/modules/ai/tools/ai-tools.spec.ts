import type { CatalogItem } from '../../commerce/catalog-match.js';
import { AI_TOOLS, parseToolCall } from './ai-tools.js';

const JOLLOF = '3f2b8c1e-9a4d-4e2f-b6c7-0d1e2f3a4b5c';
const SUYA = '7a1d2e3f-4b5c-4d6e-8f90-a1b2c3d4e5f6';
const OTHER_TENANTS = '0e9d8c7b-6a5f-4e3d-9c2b-1a0f9e8d7c6b';

function item(id: string, index: number, name: string): CatalogItem {
  return { index, id, name, description: null, priceMinor: 350_000, currency: 'NGN', sku: null, stock: null };
}

const catalog = [item(JOLLOF, 1, 'Jollof rice'), item(SUYA, 2, 'Chicken suya')];
const call = (name: string, args: unknown) => ({
  name,
  arguments: typeof args === 'string' ? args : JSON.stringify(args),
});

describe('AI_TOOLS', () => {
  it('offers exactly the engine’s actions, each with a closed object schema', () => {
    expect(AI_TOOLS.map((tool) => tool.function.name)).toEqual([
      'show_catalog',
      'add_to_cart',
      'remove_from_cart',
      'view_cart',
      'checkout',
      'set_delivery_details',
      'confirm_order',
      'resend_payment',
      'order_status',
      'order_history',
      'cancel_order',
      'escalate',
    ]);
    for (const tool of AI_TOOLS) {
      expect(tool.type).toBe('function');
      expect(tool.function.parameters).toMatchObject({ type: 'object', additionalProperties: false });
    }
  });

  it('bounds the quantity and the escalation reason in the schema as in the validation', () => {
    const addToCart = AI_TOOLS[1];
    const escalate = AI_TOOLS.find((tool) => tool.function.name === 'escalate')!;

    expect(addToCart.function.parameters).toMatchObject({
      properties: { quantity: { type: 'integer', minimum: 1, maximum: 99 } },
      required: ['product_id', 'quantity'],
    });
    expect(escalate.function.parameters).toMatchObject({ properties: { reason: { maxLength: 200 } } });
    expect(escalate.function.parameters).not.toHaveProperty('required');
  });
});

describe('parseToolCall', () => {
  it.each([
    ['show_catalog', {}, { type: 'show_catalog' }],
    ['view_cart', {}, { type: 'view_cart' }],
    ['escalate', {}, { type: 'escalate' }],
    [
      'add_to_cart',
      { product_id: JOLLOF, quantity: 2 },
      { type: 'add_to_cart', item: { kind: 'product', productId: JOLLOF }, quantity: 2 },
    ],
    [
      'remove_from_cart',
      { product_id: SUYA },
      { type: 'remove_from_cart', item: { kind: 'product', productId: SUYA } },
    ],
    ['checkout', {}, { type: 'checkout' }],
    ['confirm_order', {}, { type: 'confirm' }],
    ['resend_payment', {}, { type: 'pay' }],
    ['order_history', {}, { type: 'order_history' }],
    ['order_status', { order_number: 1042 }, { type: 'order_status', orderNumber: '1042' }],
    ['cancel_order', { order_number: 1042 }, { type: 'cancel_order', orderNumber: '1042' }],
    [
      'set_delivery_details',
      { name: 'Ada Obi', phone: '0803 123 4567', pickup: true },
      { type: 'set_delivery_details', details: { name: 'Ada Obi', phone: '0803 123 4567', pickup: true } },
    ],
  ])('maps %s to the parser’s Command', (name, args, command) => {
    expect(parseToolCall(call(name, args), catalog)).toEqual({ ok: true, command });
  });

  it('keeps the escalation reason beside the command', () => {
    expect(parseToolCall(call('escalate', { reason: 'Wants a refund' }), catalog)).toEqual({
      ok: true,
      command: { type: 'escalate' },
      escalationReason: 'Wants a refund',
    });
  });

  it('accepts an upper-case product id and passes on the catalog’s own', () => {
    expect(parseToolCall(call('add_to_cart', { product_id: JOLLOF.toUpperCase(), quantity: 1 }), catalog)).toEqual({
      ok: true,
      command: { type: 'add_to_cart', item: { kind: 'product', productId: JOLLOF }, quantity: 1 },
    });
  });

  it('treats empty arguments as no arguments, as some compatible servers send them', () => {
    expect(parseToolCall(call('view_cart', ''), catalog)).toEqual({ ok: true, command: { type: 'view_cart' } });
  });

  it.each<[string, string, unknown]>([
    ['an unknown tool', 'place_order', {}],
    ['an order number as text', 'order_status', { order_number: '1042' }],
    ['a fractional order number', 'cancel_order', { order_number: 10.5 }],
    ['no delivery detail at all', 'set_delivery_details', {}],
    ['a delivery detail that is not a string', 'set_delivery_details', { phone: 8031234567 }],
    ['an address that is too long', 'set_delivery_details', { address: 'x'.repeat(301) }],
    ['pickup that is not a boolean', 'set_delivery_details', { pickup: 'yes' }],
    ['a tool name of another case', 'View_Cart', {}],
    ['malformed JSON', 'add_to_cart', '{"product_id": "'],
    ['JSON that is not an object', 'add_to_cart', '[1, 2]'],
    ['null arguments', 'view_cart', 'null'],
    ['an invented parameter', 'view_cart', { verbose: true }],
    ['a parameter of another tool', 'add_to_cart', { product_id: JOLLOF, quantity: 1, reason: 'x' }],
    ['a prototype key', 'view_cart', '{"__proto__": {"admin": true}}'],
    ['a missing product id', 'add_to_cart', { quantity: 1 }],
    ['a product id that is not a string', 'add_to_cart', { product_id: 1, quantity: 1 }],
    ['a product of another tenant', 'add_to_cart', { product_id: OTHER_TENANTS, quantity: 1 }],
    ['a menu number instead of an id', 'remove_from_cart', { product_id: '1' }],
    ['a product id with spaces around it', 'remove_from_cart', { product_id: ` ${JOLLOF} ` }],
    ['a missing quantity', 'add_to_cart', { product_id: JOLLOF }],
    ['a quantity as text', 'add_to_cart', { product_id: JOLLOF, quantity: '2' }],
    ['a fractional quantity', 'add_to_cart', { product_id: JOLLOF, quantity: 1.5 }],
    ['a zero quantity', 'add_to_cart', { product_id: JOLLOF, quantity: 0 }],
    ['a negative quantity', 'add_to_cart', { product_id: JOLLOF, quantity: -1 }],
    ['a quantity above the maximum', 'add_to_cart', { product_id: JOLLOF, quantity: 100 }],
    ['a reason that is not a string', 'escalate', { reason: null }],
    ['a reason that is too long', 'escalate', { reason: 'x'.repeat(201) }],
  ])('refuses %s', (_what, name, args) => {
    const result = parseToolCall(call(name, args), catalog);

    expect(result.ok).toBe(false);
    expect(result).toHaveProperty('reason', expect.any(String));
  });

  it('refuses every product when the catalog is empty', () => {
    expect(parseToolCall(call('add_to_cart', { product_id: JOLLOF, quantity: 1 }), []).ok).toBe(false);
  });

  it('bounds how much of the model’s output a reason echoes', () => {
    const result = parseToolCall(call('x'.repeat(10_000), {}), catalog);

    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason.length).toBeLessThan(100);
  });
});
