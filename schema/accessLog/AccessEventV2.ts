/**
 * The second major version of the access log's published row: the same entry, its list-valued facts
 * as real lists (Parquet `VARCHAR[]`), so a steward filters and groups by one product or one field
 * without splitting text. The hash chain stays over the entry as the gateway wrote it (AccessEvent):
 * a v2 row is derived from it, never hashed, so both products stay one log. The compaction job
 * derives the rows in SQL (subgraphs/runtime/sql/accessLogSql.ts) and `meshgate audit` here; the
 * tests hold the two to the same answer.
 */
import type { AccessEvent } from './AccessEvent.js';

/** The product the governance domain serves the v2 rows as (its descriptor's name). */
export const ACCESS_LOG_V2_PRODUCT = 'access-log-v2';

/** The facts the v1 row holds as comma-separated text and the v2 row as lists, in canonical order. */
export const LIST_FACTS = ['roles', 'products', 'fields_read', 'masks_applied', 'pii_unmasked', 'fields_denied', 'row_rules', 'rows_returned'] as const;
/** A list-valued fact. */
export type ListFact = (typeof LIST_FACTS)[number];

/** An access-log row of the v2 product: the entry, its list facts as lists, and the PII columns it read. */
export type AccessEventV2 = Omit<AccessEvent, ListFact> & { readonly [K in ListFact]: readonly string[] } & {
  /**
   * The PII columns the request read, masked or not (`product.column`, sorted): the unmasked ones and
   * the masked ones (a mask only ever applies to a classified column), so a steward counts reads per
   * PII field with one list.
   */
  readonly pii_fields_read: readonly string[];
};

/** A fact's text as a list: the entry joins its items with commas, and an empty text is no item. */
export const splitFact = (text: string): string[] => (text ? text.split(',') : []);

/** The column a mask item names: `product.column=mask` without its mask. */
export const maskedColumn = (item: string): string => (item.lastIndexOf('=') < 0 ? item : item.slice(0, item.lastIndexOf('=')));

/** The PII columns read: the unmasked ones and the masked ones, once each, sorted. */
export const piiFieldsRead = (piiUnmasked: readonly string[], masksApplied: readonly string[]): string[] =>
  [...new Set([...piiUnmasked, ...masksApplied.map(maskedColumn)])].sort();

/** The v2 row of an entry, its fields in the entry's order (the PII columns read after `pii_unmasked`). */
export function toV2(e: AccessEvent): AccessEventV2 {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(e)) {
    out[k] = (LIST_FACTS as readonly string[]).includes(k) ? splitFact(v as string) : v;
    if (k === 'pii_unmasked') out.pii_fields_read = piiFieldsRead(splitFact(e.pii_unmasked), splitFact(e.masks_applied));
  }
  return out as AccessEventV2;
}
