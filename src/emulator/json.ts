/**
 * JSON text for answers, with int64 account IDs written exactly. Views carry the contract's
 * int64 fields as decimal strings (a `number` would round UIDs above 2^53); after the native
 * `JSON.stringify`, those fields are turned back into bare numbers. The match needs an unescaped
 * `"Key":"digits"` right after `{` or `,`, which a string value can never contain (its quotes
 * are escaped), so user text is never rewritten. To be replaced by the shared writer in src/wire.
 */
export function int64Writer(fields: ReadonlySet<string>): (value: unknown) => string {
  const names = [...fields].map((f) => f.replace(/[^\w]/g, '')).filter(Boolean);
  if (names.length === 0) return (value) => JSON.stringify(value);
  const pattern = new RegExp(`([{,])"(${names.join('|')})":"(-?\\d{1,20})"`, 'g');
  return (value) => {
    const text = JSON.stringify(value);
    return names.some((n) => text.includes(n)) ? text.replace(pattern, '$1"$2":$3') : text;
  };
}
