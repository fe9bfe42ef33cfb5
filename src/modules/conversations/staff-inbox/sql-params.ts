/** Positional parameters for a query assembled from optional filters: values never meet the SQL text. */
export class SqlParams {
  readonly values: unknown[] = [];

  /** Binds `value` and returns its placeholder (`$3`). */
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/** A `LIKE … ESCAPE '\'` pattern matching `text` anywhere: `%`, `_` and `\` typed by a user are literal. */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
}
