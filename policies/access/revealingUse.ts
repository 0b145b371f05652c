/**
 * The rule both halves of enforcement apply (the gateway before planning, each subgraph again in
 * depth): filtering, sorting, grouping, aggregating or looking up by a column reveals its values
 * even when the caller reads them masked (a binary search with `lt` recovers a masked birth date),
 * so those uses are allowed only on columns the caller reads in the clear. A policy rule may name
 * masked columns and measures in `aggregate`: its callers may then aggregate them (a figure over the
 * group), never group or bucket by them (the group's key would show the values), and never a denied
 * column. A measure reveals what its column and its filter's columns reveal, so it needs each of
 * them clear, or itself or the masked ones named in `aggregate`.
 */
import type { ProductDecision } from './Decision.js';
import type { AccessContext, ProductGrant } from '../context/accessContext.js';

/** A use of a column that reveals its values without selecting it. */
export type RevealingUse = 'filter' | 'sort' | 'group' | 'aggregate' | 'lookup';

const HOW: Readonly<Record<RevealingUse, string>> = { filter: 'Filtering on', sort: 'Sorting by', group: 'Grouping by', aggregate: 'Aggregating', lookup: 'Looking up by' };

/** How a caller reads a column: in the clear, masked, or not at all (with the reason, where it is known). */
export type ColumnVisibility =
  | { readonly seen: 'clear' }
  /** `aggregable`: a policy rule's `aggregate` names the column, so it may be aggregated though masked. */
  | { readonly seen: 'masked'; readonly aggregable?: boolean }
  | { readonly seen: 'denied'; readonly reason?: string };

const masked = (aggregable: readonly string[] | undefined, column: string): ColumnVisibility => ({ seen: 'masked', ...(aggregable?.includes(column) && { aggregable: true }) });

/** `address.country` and its ancestors (`address`): a mask on any of them masks the member; a denial is always of the column. */
const prefixes = (column: string): string[] => column.split('.').map((_, i, parts) => parts.slice(0, i + 1).join('.'));

/** How the gateway's decision lets the caller read `column` (a column, or a struct member's path `address.country`). */
export function decisionVisibility(d: ProductDecision, column: string): ColumnVisibility {
  const reason = d.denied[column.split('.')[0]!];
  if (reason) return { seen: 'denied', reason };
  return prefixes(column).some((p) => d.masks[p]) ? masked(d.aggregable, column) : { seen: 'clear' };
}

/** How a subgraph's grant (from the access context, which carries no reasons) lets the caller read `column` (or a member's path). */
export function grantVisibility(g: ProductGrant, column: string): ColumnVisibility {
  if (g.denied.includes(column.split('.')[0]!)) return { seen: 'denied' };
  return prefixes(column).some((p) => g.masks[p]) ? masked(g.aggregable, column) : { seen: 'clear' };
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
  if (visibility.seen === 'masked' && visibility.aggregable && use === 'aggregate') return undefined;
  const why = visibility.seen === 'denied' ? `you may not read it${visibility.reason ? ` (${visibility.reason})` : ''}` : 'you read it masked, and this would reveal its values';
  return `${HOW[use]} ${label} of "${product}" is not allowed: ${why}.`;
}

/** One column a measure reads, as the caller sees it. */
export interface MeasureColumn {
  /** The field as the caller would write it (`Order.totalAmount`). */
  readonly label: string;
  readonly visibility: ColumnVisibility;
}

/**
 * Why computing the measure `label` (`Order.revenue`, contract name `measure`) of `product` is
 * refused (FORBIDDEN), or undefined when it is allowed: every column it reads must be clear, or
 * masked and named (or the measure named) in a rule's `aggregate` list, which `aggregable` holds.
 */
export function measureRefusal(label: string, measure: string, product: string, columns: readonly MeasureColumn[], aggregable: readonly string[] = []): string | undefined {
  for (const c of columns) {
    const v = c.visibility;
    if (v.seen === 'clear' || (v.seen === 'masked' && (v.aggregable || aggregable.includes(measure)))) continue;
    const why = v.seen === 'denied' ? `you may not read it${v.reason ? ` (${v.reason})` : ''}` : 'you read it masked';
    const fix = v.seen === 'masked' ? `; a policy rule's "aggregate" list must name "${measure}" for you to compute it` : '';
    return `The measure ${label} of "${product}" is not allowed: it aggregates ${c.label}, and ${why}${fix}.`;
  }
  return undefined;
}
