/** Grouped aggregates: `ordersAggregate(where, groupBy) { key {..} count sum {..} avg {..} min {..} max {..} }`. */
import type { GraphQLResolveInfo } from 'graphql';
import { BadUserInputError } from '../../../schema/index.js';
import { countRows, type SubgraphContext } from '../context.js';
import { selectedAt, selectedFields } from '../graphql/selection.js';
import { columnOf } from '../graphql/translateArgs.js';
import { buildAggregate, type Aggregate, type Selected } from '../sql/index.js';
import type { ListArgs, ProductRuntime } from './ProductRuntime.js';
import { grantFor, refuseRevealing } from './enforce.js';

const FUNCTIONS = ['sum', 'avg', 'min', 'max'] as const;

/** Runs one grouped statement and shapes its rows as `<Type>Group` objects. */
export async function aggregate(runtime: ProductRuntime, args: ListArgs, ctx: SubgraphContext, info: GraphQLResolveInfo): Promise<unknown[]> {
  const shape = runtime.shape;
  const t = shape.typeName;
  const byEnum = new Map(shape.fields.map((f) => [f.enumValue, f]));
  const groupBy: Selected[] = [...new Set(args.groupBy ?? [])].map((e) => {
    const f = byEnum.get(e);
    if (!f) throw new BadUserInputError(`Unknown groupBy field "${e}".`);
    return { column: columnOf(f), as: `key.${f.name}` };
  });
  const top = selectedFields(info, `${t}Group`);
  const aggregates: Aggregate[] = [];
  const types: Record<(typeof FUNCTIONS)[number], string> = { sum: `${t}Sums`, avg: `${t}Averages`, min: `${t}Extremes`, max: `${t}Extremes` };
  for (const fn of FUNCTIONS) {
    if (!top.has(fn)) continue;
    for (const name of selectedAt(info, [fn], types[fn]).keys()) {
      const f = shape.fields.find((x) => x.name === name);
      if (f) aggregates.push({ fn, column: columnOf(f), as: `${fn}.${f.name}` });
    }
  }
  const grant = grantFor(ctx, shape);
  refuseRevealing(grant, shape, 'Grouping by', groupBy.map((g) => g.column));
  refuseRevealing(grant, shape, 'Aggregating', aggregates.map((a) => a.column));
  const spec = await runtime.spec(ctx, [], { where: args.where });
  const max = runtime.limits.maxGroups;
  const rows = await runtime.db.query(buildAggregate(spec.table, groupBy, aggregates, spec.where, max));
  countRows(ctx, shape.product.name, Math.min(rows.length, max));
  if (rows.length > max) throw new BadUserInputError(`The grouping yields more than ${max} groups; group by fewer fields or narrow the where filter.`);
  return rows.map((row) => {
    const group: Record<string, Record<string, unknown> | number> = { key: {}, count: Number(row.__count), sum: {}, avg: {}, min: {}, max: {} };
    for (const [alias, value] of Object.entries(row)) {
      const dot = alias.indexOf('.');
      if (dot > 0) (group[alias.slice(0, dot)] as Record<string, unknown>)[alias.slice(dot + 1)] = value;
    }
    return group;
  });
}
