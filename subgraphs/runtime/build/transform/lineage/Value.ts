/**
 * The lineage of one value while the walk goes, and the shapes it is carried in: a value knows the
 * input columns it is computed from, how (copy, transform, aggregate), and what could not be
 * followed. A relation's columns may be only partly known: `more` answers for the names the SQL
 * does not list (a `*` over an input whose columns the walk was not told).
 */
import type { ColumnDerivation, ColumnSource } from '../../../../../schema/index.js';
import type { TreeNode } from '../checkTransform.js';

/** What one value is computed from. */
export interface Value {
  readonly from: readonly ColumnSource[];
  readonly kind: ColumnDerivation;
  /** What could not be followed, one sentence each; empty when `from` is every source. */
  readonly gaps: readonly string[];
}

/** A named column of a relation or of a query's output (an unnamed expression has the name ''). */
export interface Column {
  readonly name: string;
  readonly value: Value;
}

/** The columns of a relation or a query, in order where known. */
export interface Columns {
  readonly known: readonly Column[];
  /**
   * Present when there may be columns beyond `known` that the SQL does not name (their positions are
   * then unknown too): the value a column of that name would have, or undefined if there is none.
   */
  readonly more?: (name: string) => Value | undefined;
}

/** A table in scope: an input, a CTE, a subquery, a table function, by the name the SQL gives it. */
export interface Relation extends Columns {
  /** Its alias, or its table's name; undefined for an unaliased subquery. */
  readonly name?: string;
  /** How messages name it: the input's declared name, or the alias and what it stands for. */
  readonly label: string;
}

/** One level of name resolution: a FROM clause's tables (with USING's merged columns and the select list's aliases so far), or a WITH's CTEs. */
export interface Scope {
  readonly parent?: Scope;
  readonly relations: readonly Relation[];
  /** Columns a USING or NATURAL join merged: an unqualified name finds these first. */
  readonly merged: readonly Column[];
  /** The select list's earlier aliases (DuckDB lets a later item name them). */
  readonly aliases: readonly Column[];
  readonly ctes: ReadonlyMap<string, Columns>;
}

/** One declared input, as a transform reads it. */
export interface InputTable {
  readonly source: string;
  /** Its columns, when the walk is told them (a build DESCRIBEs every input). */
  readonly columns?: readonly string[];
}

/** What every step of the walk shares: the inputs by table name, and the query walker (passed in, so the steps need not import each other). */
export interface Walk {
  readonly inputs: ReadonlyMap<string, InputTable>;
  readonly query: (node: TreeNode, scope: Scope) => Columns;
}

const RANK: Readonly<Record<ColumnDerivation, number>> = { copy: 0, transform: 1, aggregate: 2 };

/** An input column, as it is. */
export const inputColumn = (source: string, column: string): Value => ({ from: [{ source, column }], kind: 'copy', gaps: [] });

/** A value whose sources the SQL does not say, and why. */
export const unknown = (why: string): Value => ({ from: [], kind: 'copy', gaps: [why] });

/** Why a column COLUMNS(...) or `* LIKE` produces has no lineage here. */
export const PICKED_WHEN_BOUND = 'COLUMNS(...) and * LIKE pick their columns when DuckDB binds the query, which the SQL alone does not show';

/** A value that carries no lineage of its own (a lambda's parameter: its list is already an argument). */
export const NEUTRAL: Value = { from: [], kind: 'copy', gaps: [] };

/** A value computed from `parts` as `kind`: their sources and gaps together, derived at least as far as each part was. */
export function derive(parts: readonly Value[], kind: ColumnDerivation): Value {
  const from = new Map<string, ColumnSource>();
  const gaps = new Set<string>();
  let rank = RANK[kind];
  for (const p of parts) {
    for (const s of p.from) if (!from.has(sourceKey(s))) from.set(sourceKey(s), s);
    for (const g of p.gaps) gaps.add(g);
    rank = Math.max(rank, RANK[p.kind]);
  }
  return { from: [...from.values()], kind: (Object.keys(RANK) as ColumnDerivation[])[rank]!, gaps: [...gaps] };
}

/** Identifiers compare as DuckDB compares them: case-insensitively. */
export const sameName = (a: string | undefined, b: string): boolean => a !== undefined && a.toLowerCase() === b.toLowerCase();

const sourceKey = (s: ColumnSource): string => `${s.source}\u0000${s.column.toLowerCase()}`;

/** The value of column `name` in `columns`: certain when the SQL lists it, possible when only `more` may hold it. */
export function findColumn(columns: Columns, name: string): { readonly value: Value; readonly certain: boolean } | undefined {
  const hit = columns.known.find((c) => sameName(c.name, name));
  if (hit) return { value: hit.value, certain: true };
  const value = columns.more?.(name);
  return value && { value, certain: false };
}

/** The one value among `values` that is there, undefined if none, or a doubt if several. */
export function oneOf(values: readonly (Value | undefined)[], doubt: string): Value | undefined {
  const present = values.filter((x): x is Value => x !== undefined);
  return present.length > 1 ? unknown(doubt) : present[0];
}
