/**
 * The rule both halves of enforcement apply (the gateway before planning, each subgraph again in
 * depth): filtering, sorting, grouping, aggregating or looking up by a column reveals its values
 * even when the caller reads them masked (a binary search with `lt` recovers a masked birth date),
 * so those uses are allowed only on columns the caller reads in the clear.
 */
import type { ProductDecision } from './Decision.js';
import type { AccessContext, ProductGrant } from '../context/accessContext.js';

/** A use of a column that reveals its values without selecting it. */
export type RevealingUse = 'filter' | 'sort' | 'group' | 'aggregate' | 'lookup';

const HOW: Readonly<Record<RevealingUse, string>> = { filter: 'Filtering on', sort: 'Sorting by', group: 'Grouping by', aggregate: 'Aggregating', lookup: 'Looking up by' };

/** How a caller reads a column: in the clear, masked, or not at all (with the reason, where it is known). */
export type ColumnVisibility = { readonly seen: 'clear' | 'masked' } | { readonly seen: 'denied'; readonly reason?: string };

/** `address.country` and its ancestors (`address`): a mask on any of them masks the member; a denial is always of the column. */
const prefixes = (column: string): string[] => column.split('.').map((_, i, parts) => parts.slice(0, i + 1).join('.'));

/** How the gateway's decision lets the caller read `column` (a column, or a struct member's path `address.country`). */
export function decisionVisibility(d: ProductDecision, column: string): ColumnVisibility {
  const reason = d.denied[column.split('.')[0]!];
  if (reason) return { seen: 'denied', reason };
  return prefixes(column).some((p) => d.masks[p]) ? { seen: 'masked' } : { seen: 'clear' };
}

/** How a subgraph's grant (from the access context, which carries no reasons) lets the caller read `column` (or a member's path). */
export function grantVisibility(g: ProductGrant, column: string): ColumnVisibility {
  if (g.denied.includes(column.split('.')[0]!)) return { seen: 'denied' };
  return prefixes(column).some((p) => g.masks[p]) ? { seen: 'masked' } : { seen: 'clear' };
}

/** How a request's access context (null: access control off) lets the caller read `column` of `product`: a product it does not grant is read not at all. */
export function contextVisibility(access: AccessContext | null, product: string, column: string): ColumnVisibility {
  if (access === null) return { seen: 'clear' };
  const grant = access.products[product];
  return grant ? grantVisibility(grant, column) : { seen: 'denied' };
}

/**
 * Why `use` of a column is refused (FORBIDDEN), or undefined when it is allowed. `label` names the
 * field as the caller wrote it (`Customer.birthDate`), `product` its data product.
 */
export function revealingRefusal(use: RevealingUse, label: string, product: string, visibility: ColumnVisibility): string | undefined {
  if (visibility.seen === 'clear') return undefined;
  const why = visibility.seen === 'denied' ? `you may not read it${visibility.reason ? ` (${visibility.reason})` : ''}` : 'you read it masked, and this would reveal its values';
  return `${HOW[use]} ${label} of "${product}" is not allowed: ${why}.`;
}
