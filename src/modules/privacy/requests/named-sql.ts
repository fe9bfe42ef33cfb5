/**
 * Turns `:name` placeholders into `$n` parameters, binding only the names a statement
 * uses (Postgres refuses values a statement does not reference). The privacy table map
 * writes its SQL with names because one set of values serves statements that each need
 * a different few of them. `::casts` are left alone.
 */
export function bindNamed(sql: string, values: Record<string, unknown>): [string, unknown[]] {
  const params: unknown[] = [];
  const numbers = new Map<string, number>();
  const text = sql.replace(/(?<![:\w]):([a-zA-Z][a-zA-Z0-9]*)/g, (_, name: string) => {
    if (!(name in values)) throw new Error(`No value for :${name}`);
    let number = numbers.get(name);
    if (number === undefined) {
      number = params.push(values[name]);
      numbers.set(name, number);
    }
    return `$${number}`;
  });
  return [text, params];
}
