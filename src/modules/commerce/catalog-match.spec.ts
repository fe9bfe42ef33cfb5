import { CatalogItem, MAX_CANDIDATES, matchName, resolveRef } from './catalog-match.js';

function catalog(...names: string[]): CatalogItem[] {
  return names.map((name, i) => ({
    index: i + 1,
    id: `00000000-0000-4000-8000-${String(i + 1).padStart(12, '0')}`,
    name,
    description: null,
    priceMinor: 1000 * (i + 1),
    currency: 'NGN',
    sku: null,
    stock: null,
  }));
}

const names = (result: ReturnType<typeof matchName>) =>
  result.status === 'found'
    ? [result.item.name]
    : result.status === 'ambiguous'
      ? result.candidates.map((c) => c.name)
      : [];

describe('matchName', () => {
  const menu = catalog('Jollof Rice', 'Jollof Rice Special', 'Fried Rice', 'Chicken Suya', 'Zobo', 'Café Latte');

  it('prefers the exact name over longer names that start with it', () => {
    expect(matchName(menu, 'jollof rice')).toEqual({ status: 'found', item: menu[0] });
  });

  it('ignores case, accents and extra spaces', () => {
    expect(names(matchName(menu, '  JOLLOF   rice '))).toEqual(['Jollof Rice']);
    expect(names(matchName(menu, 'cafe latte'))).toEqual(['Café Latte']);
  });

  it('takes a unique start of a name', () => {
    expect(names(matchName(menu, 'zo'))).toEqual(['Zobo']);
    expect(names(matchName(menu, 'jollof rice sp'))).toEqual(['Jollof Rice Special']);
  });

  it('takes a unique name containing every typed word, in any order', () => {
    expect(names(matchName(menu, 'suya'))).toEqual(['Chicken Suya']);
    expect(names(matchName(menu, 'suya chick'))).toEqual(['Chicken Suya']);
    expect(names(matchName(menu, 'fried'))).toEqual(['Fried Rice']);
  });

  it('answers ambiguous, in catalog order, when several names fit equally', () => {
    expect(matchName(menu, 'jollof')).toEqual({ status: 'ambiguous', candidates: [menu[0], menu[1]] });
    expect(names(matchName(menu, 'rice'))).toEqual(['Jollof Rice', 'Jollof Rice Special', 'Fried Rice']);
  });

  it('treats two products with the same name as ambiguous', () => {
    const twins = catalog('Zobo', 'Zobo');
    expect(matchName(twins, 'zobo')).toEqual({ status: 'ambiguous', candidates: twins });
  });

  it(`offers at most ${MAX_CANDIDATES} candidates`, () => {
    const many = catalog('Rice 1', 'Rice 2', 'Rice 3', 'Rice 4', 'Rice 5', 'Rice 6', 'Rice 7');
    const result = matchName(many, 'rice');
    expect(result.status).toBe('ambiguous');
    expect(names(result)).toEqual(['Rice 1', 'Rice 2', 'Rice 3', 'Rice 4', 'Rice 5']);
  });

  it('does not match a word in the middle of another word', () => {
    expect(matchName(catalog('Licorice'), 'rice')).toEqual({ status: 'not_found' });
  });

  it('finds nothing for unknown words, punctuation alone or an empty catalog', () => {
    expect(matchName(menu, 'pizza')).toEqual({ status: 'not_found' });
    expect(matchName(menu, 'jollof pizza')).toEqual({ status: 'not_found' });
    expect(matchName(menu, '!!!')).toEqual({ status: 'not_found' });
    expect(matchName([], 'zobo')).toEqual({ status: 'not_found' });
  });
});

describe('resolveRef', () => {
  const menu = catalog('Jollof Rice', 'Zobo');

  it('resolves a menu number to the item at that position', () => {
    expect(resolveRef(menu, { kind: 'index', index: 2 })).toEqual({ status: 'found', item: menu[1] });
    expect(resolveRef(menu, { kind: 'index', index: 3 })).toEqual({ status: 'not_found' });
    expect(resolveRef(menu, { kind: 'index', index: 0 })).toEqual({ status: 'not_found' });
  });

  it('resolves a product id from a button, whatever its case', () => {
    expect(resolveRef(menu, { kind: 'product', productId: menu[0].id.toUpperCase() })).toEqual({
      status: 'found',
      item: menu[0],
    });
    expect(resolveRef(menu, { kind: 'product', productId: '00000000-0000-4000-8000-999999999999' })).toEqual({
      status: 'not_found',
    });
  });

  it('resolves a name', () => {
    expect(resolveRef(menu, { kind: 'name', name: 'zobo' })).toEqual({ status: 'found', item: menu[1] });
  });
});
