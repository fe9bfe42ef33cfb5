/**
 * Whether the customer used one of the business's handoff keywords ("manager",
 * "refund", …) as a word or phrase of its own, ignoring case: "refunded" does not match
 * "refund", "speak to manager" matches "manager".
 */
export function mentionsHandoffKeyword(text: string, keywords: readonly string[]): boolean {
  const words = ` ${normalise(text)} `;
  return keywords.some((keyword) => {
    const needle = normalise(keyword);
    return needle.length > 0 && words.includes(` ${needle} `);
  });
}

const normalise = (text: string) =>
  text
    .toLowerCase()
    .normalize('NFKC')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
