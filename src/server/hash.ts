/**
 * The content hash of a contract document (Node only): what the build's precomputed mock answers
 * and precompiled validators are keyed by, so they are used for the very document they came from.
 */
import { createHash } from 'node:crypto';

/** sha256 of the document's JSON text. */
export function documentHash(document: object): string {
  return createHash('sha256').update(JSON.stringify(document)).digest('hex');
}
