/**
 * The subgraph's half of enforcement, in one function (defence in depth: the gateway already
 * decided). It takes a read as plain data and the request's access context, and returns the read as
 * the caller may run it: the product must be granted; the row predicate becomes a condition AND-ed
 * around the caller's filter (so an `or` of the caller cannot widen it) for every read kind alike;
 * masked columns are read through their mask; a denied column is refused; and filtering, sorting,
 * grouping, aggregating or looking up by a column the caller reads masked or not at all is refused
 * (policies/ states that rule, for the gateway and here).
 */
import {
  grantVisibility,
  measureRefusal,
  revealingRefusal,
  type AccessContext,
  type MaskName,
  type ProductGrant,
  type RevealingUse,
  type RowPredicate,
} from '../../../policies/index.js';
import { ForbiddenError, type ProductShape } from '../../../schema/index.js';
import { allOf, type Column, type Condition, type MaskSpec, type Selected } from '../sql/index.js';
import { columnOf } from '../graphql/translateArgs.js';
import type { Granted, ReadRequest } from './ReadRequest.js';

/** A row predicate as a condition over the product's columns; an unknown column matches nothing (fail closed). */
export function rowCondition(p: RowPredicate, shape: ProductShape): Condition {
  if ('and' in p) return { kind: 'and', items: p.and.map((x) => rowCondition(x, shape)) };
  if ('or' in p) return { kind: 'or', items: p.or.map((x) => rowCondition(x, shape)) };
  const f = shape.fieldOfColumn(p.column);
  if (!f) return { kind: 'or', items: [] };
  const column = columnOf(f);
  switch (p.op) {
    case 'isNull':
      return { kind: 'isNull', column, isNull: p.value };
    case 'in':
    case 'nin':
      return { kind: 'in', column, negated: p.op === 'nin', values: p.value };
    default:
      return { kind: 'compare', column, op: p.op, value: p.value };
  }
}

/** `address.country` for a condition on a struct member, else the column: how masks, refusals and labels name what is read. */
export const columnPath = (c: Column): string => [c.name, ...(c.path ?? [])].join('.');

/** The columns a condition reads. */
export function conditionColumns(c: Condition | undefined, out: Column[] = []): Column[] {
  if (!c) return out;
  switch (c.kind) {
    case 'and':
    case 'or':
      c.items.forEach((i) => conditionColumns(i, out));
      break;
    case 'not':
      conditionColumns(c.item, out);
      break;
    default:
      out.push(c.column);
  }
  return out;
}

/** The columns a read would reveal the values of without selecting them, with how. */
function revealedColumns(read: ReadRequest, shape: ProductShape): [RevealingUse, Column][] {
  const out: [RevealingUse, Column][] = conditionColumns(read.where).map((c) => ['filter', c]);
  if (read.kind === 'aggregate') {
    // A time bucket groups too: its key shows the truncated values.
    for (const g of read.groupBy) out.push(['group', g.column]);
    // A measure's columns are checked with the measure (measureRefusal), which a policy may allow as a whole.
    for (const a of read.aggregates) if (a.column && !a.measure) out.push(['aggregate', a.column]);
  } else if (read.kind === 'profile') {
    // A profile aggregates each column it covers: the catalog covers only those the caller reads in the clear.
    for (const c of read.columns) out.push(['aggregate', c]);
  } else if (read.kind === 'byKey') {
    // The caller names every key column of a look-up, so a look-up reveals each of them.
    if (read.byCaller) for (const k of shape.keys) out.push(['lookup', columnOf(k)]);
  } else {
    // A reverse list returns the rows whose reference is the parent's key: a look-up by that column.
    if (read.kind === 'reverse') for (const c of read.references) out.push(['lookup', c]);
    for (const s of read.orderBy) out.push(['sort', s.column]);
  }
  return out;
}

/** Reads the selected columns through the grant's masks; a denied column is FORBIDDEN. */
export function maskColumns(grant: ProductGrant, columns: readonly Selected[], shape: ProductShape, hashKey: string): Selected[] {
  return columns.map((c) => {
    if (grant.denied.includes(c.column.name)) throw new ForbiddenError(`You may not read ${shape.label(c.column.name)}.`);
    const spec = (mask: MaskName): MaskSpec => ({ name: mask, ...(mask === 'hash' && { key: hashKey }) });
    const mask = grant.masks[c.column.name];
    // A struct's members are masked member by member, by path (`address.street`).
    const members = Object.entries(grant.masks).filter(([path]) => path.startsWith(`${c.column.name}.`));
    return {
      ...c,
      ...(mask && { mask: spec(mask) }),
      ...(members.length && { memberMasks: Object.fromEntries(members.map(([path, m]) => [path, spec(m)])) }),
    };
  });
}

/** The read with the grant's changes: the only way a {@link Granted} read is made. */
const granted = <R extends ReadRequest>(read: R, changes: { where: Condition; columns?: readonly Selected[] }): Granted<R> => ({ ...read, ...changes }) as unknown as Granted<R>;

/** Applies the request's access context (null: access control is off) to a read of `shape`. */
export function applyGrant<R extends ReadRequest>(read: R, access: AccessContext | null, shape: ProductShape, hashKey: string): Granted<R> {
  const name = shape.product.name;
  if (access === null) return granted(read, { where: allOf(read.where) });
  const grant = access.products[name];
  if (!grant) throw new ForbiddenError(`You may not read the data product "${name}".`);
  for (const [use, column] of revealedColumns(read, shape)) {
    const at = columnPath(column);
    const refusal = revealingRefusal(use, shape.label(at), name, grantVisibility(grant, at));
    if (refusal) throw new ForbiddenError(refusal);
  }
  if (read.kind === 'aggregate') {
    for (const name of new Set(read.aggregates.flatMap((a) => (a.measure ? [a.measure] : [])))) {
      const m = shape.measureNamed(name)!;
      const columns = m.columns.map((c) => ({ label: shape.label(c), visibility: grantVisibility(grant, c) }));
      const refusal = measureRefusal(`${shape.typeName}.${m.name}`, m.measure.name, shape.product.name, columns, grant.aggregable);
      if (refusal) throw new ForbiddenError(refusal);
    }
  }
  const where = allOf(grant.rows ? rowCondition(grant.rows, shape) : undefined, read.where);
  if (read.kind === 'aggregate' || read.kind === 'profile') return granted(read, { where });
  return granted(read, { where, columns: maskColumns(grant, read.columns, shape, hashKey) });
}
