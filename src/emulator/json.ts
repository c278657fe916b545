/**
 * JSON text for answers, with int64 account IDs written exactly. Views carry `OwnerId` and
 * `AcceptingOwnerUid` as decimal strings (a `number` would round UIDs above 2^53); after the
 * native `JSON.stringify`, those two fields are turned back into bare numbers. The match needs
 * an unescaped `"Key":"digits"` right after `{` or `,`, which a string value can never contain
 * (its quotes are escaped), so user text is never rewritten.
 */
const INT64_FIELDS = /([{,])"(OwnerId|AcceptingOwnerUid)":"(\d{1,20})"/g;

export function toJson(value: unknown): string {
  const text = JSON.stringify(value);
  return text.includes('OwnerId') || text.includes('OwnerUid') ? text.replace(INT64_FIELDS, '$1"$2":$3') : text;
}
