/**
 * The subgraph's half of enforcement (defence in depth: the gateway already decided): the grant of
 * the request's access context for a product, its row predicate as a condition AND-ed around the
 * caller's filter, masks on the selected columns, and refusal of anything that would reveal a
 * masked or denied column's values.
 */
import { GraphQLError } from 'graphql';
import type { ProductGrant, RowPredicate } from '../../../policies/index.js';
import type { ProductShape } from '../../../schema/index.js';
import type { SubgraphContext } from '../context.js';
import type { Column, Condition, Selected, Sort } from '../sql/index.js';
import { columnOf } from '../graphql/translateArgs.js';

const forbidden = (message: string): GraphQLError => new GraphQLError(message, { extensions: { code: 'FORBIDDEN' } });

/** The grant for a product; null when access control is off; FORBIDDEN when the context does not grant it. */
export function grantFor(ctx: SubgraphContext, shape: ProductShape): ProductGrant | null {
  if (ctx.access === null) return null;
  const grant = ctx.access.products[shape.product.name];
  if (!grant) throw forbidden(`You may not read the data product "${shape.product.name}".`);
  return grant;
}

/** A row predicate as a condition over the product's columns; an unknown column matches nothing (fail closed). */
export function rowCondition(p: RowPredicate, shape: ProductShape): Condition {
  if ('and' in p) return { kind: 'and', items: p.and.map((x) => rowCondition(x, shape)) };
  if ('or' in p) return { kind: 'or', items: p.or.map((x) => rowCondition(x, shape)) };
  const f = shape.fields.find((x) => x.field.name === p.column);
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

/** Applies the grant's masks to the selected columns; a denied column is FORBIDDEN. */
export function maskColumns(grant: ProductGrant | null, columns: readonly Selected[], shape: ProductShape, hashKey: string): Selected[] {
  if (!grant) return [...columns];
  return columns.map((c) => {
    if (grant.denied.includes(c.column.name)) throw forbidden(`You may not read ${shape.typeName}.${c.as}.`);
    const mask = grant.masks[c.column.name];
    return mask ? { ...c, mask: { name: mask, ...(mask === 'hash' && { key: hashKey }) } } : c;
  });
}

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

/** Refuses filtering, sorting, grouping or aggregating on a column the caller sees masked or not at all. */
export function refuseRevealing(grant: ProductGrant | null, shape: ProductShape, how: string, columns: readonly Column[]): void {
  if (!grant) return;
  for (const column of columns) {
    if (grant.masks[column.name] || grant.denied.includes(column.name)) {
      const name = shape.fields.find((f) => f.field.name === column.name)?.name ?? column.name;
      throw forbidden(`${how} ${shape.typeName}.${name} is not allowed: you read it masked or not at all, and this would reveal its values.`);
    }
  }
}

/** The sort columns. */
export const sortColumns = (sorts: readonly Sort[]): Column[] => sorts.map((s) => s.column);
