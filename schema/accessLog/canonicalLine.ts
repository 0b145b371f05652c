/** An entry as one JSON line: the canonical fields in order, then its hash. */
import { canonical, type AccessEvent } from './AccessEvent.js';

/** The line written for `e` (newline included); CR, LF and quotes inside values are escaped by JSON. */
export function canonicalLine(e: AccessEvent): string {
  const { hash, ...rest } = e;
  return `${canonical(rest).slice(0, -1)},"hash":${JSON.stringify(hash)}}\n`;
}
