import type { ItemRef } from '../conversations/engine/command-parser.js';

/** A product as the customer sees it on the menu. `index` is its 1-based number there. */
export interface CatalogItem {
  index: number;
  id: string;
  name: string;
  description: string | null;
  priceMinor: number;
  currency: string;
  sku: string | null;
  stock: number | null;
}

export type CatalogResolution =
  { status: 'found'; item: CatalogItem } | { status: 'ambiguous'; candidates: CatalogItem[] } | { status: 'not_found' };

/** Enough choices to ask "which one?" in one message; more is a search, not a question. */
export const MAX_CANDIDATES = 5;

/** Finds the item `ref` names in `items` (the active catalog, in catalog order). */
export function resolveRef(items: readonly CatalogItem[], ref: ItemRef): CatalogResolution {
  switch (ref.kind) {
    case 'index': {
      const item = items.find((candidate) => candidate.index === ref.index);
      return item ? { status: 'found', item } : { status: 'not_found' };
    }
    case 'product': {
      const id = ref.productId.toLowerCase();
      const item = items.find((candidate) => candidate.id === id);
      return item ? { status: 'found', item } : { status: 'not_found' };
    }
    case 'name':
      return matchName(items, ref.name);
  }
}

/**
 * Matches what a customer typed against product names, from the strictest rule to the
 * loosest; the first rule that matches anything decides:
 *   1. the whole name ("jollof rice"),
 *   2. the start of the name ("jollof r"),
 *   3. every typed word starting a word of the name ("rice jollof", "chick suya").
 * Case, accents and spacing are ignored. One match is found; several are ambiguous (the
 * first MAX_CANDIDATES in catalog order), so the customer is asked rather than guessed for.
 */
export function matchName(items: readonly CatalogItem[], typed: string): CatalogResolution {
  const query = normalise(typed);
  const queryWords = wordsOf(query);
  if (queryWords.length === 0) return { status: 'not_found' };
  const named = items.map((item) => {
    const name = normalise(item.name);
    return { item, name, words: wordsOf(name) };
  });
  const rules: ((candidate: (typeof named)[number]) => boolean)[] = [
    (candidate) => candidate.name === query,
    (candidate) => candidate.name.startsWith(query),
    (candidate) => queryWords.every((word) => candidate.words.some((nameWord) => nameWord.startsWith(word))),
  ];
  for (const rule of rules) {
    const matches = named.filter(rule).map((candidate) => candidate.item);
    if (matches.length === 1) return { status: 'found', item: matches[0] };
    if (matches.length > 1) return { status: 'ambiguous', candidates: matches.slice(0, MAX_CANDIDATES) };
  }
  return { status: 'not_found' };
}

/** Lower case, accents folded ("Café" is "cafe"), runs of spaces made one. */
export function normalise(text: string): string {
  return text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().replace(/\s+/gu, ' ').trim();
}

function wordsOf(text: string): string[] {
  return text.match(/[\p{L}\p{N}]+/gu) ?? [];
}
