/**
 * Measures a product's contract declares: a business figure the owning domain defines once (revenue
 * = the sum of `total_amount` over delivered orders), served as a field of the product's aggregate
 * type so every consumer gets the same number. Both contract readers call {@link readMeasures} with
 * the raw declaration (Avro's record attribute `measures`, ODCS's contract-level customProperty
 * `measures`) and the fields they read, so both formats check a measure the same way.
 */
import { z } from 'zod';
import type { DeclarationProblem } from '../errors.js';
import { zodProblems } from '../descriptor/zodProblems.js';
import { camelCase } from '../naming.js';
import { MEASURE_AGGREGATES, type FieldContract, type LogicalType, type MeasureAggregate, type MeasureContract, type MeasureFilter } from './types.js';

/** The fields every `<Type>Group` has; a measure (a field of the group too) may not take one of their names. */
export const GROUP_FIELDS = ['key', 'count', 'sum', 'avg', 'min', 'max', 'countDistinct', 'median', 'percentile'] as const;

const NUMERIC: readonly LogicalType[] = ['integer', 'bigint', 'double', 'decimal'];
const ORDERED: readonly LogicalType[] = [...NUMERIC, 'date', 'timestamp', 'time', 'string'];
/** The column types each aggregate applies to. */
const APPLIES: Readonly<Record<MeasureAggregate, readonly LogicalType[]>> = {
  sum: NUMERIC,
  avg: NUMERIC,
  min: ORDERED,
  max: ORDERED,
  count: [],
  countDistinct: ['string', 'integer', 'bigint', 'double', 'decimal', 'boolean', 'date', 'timestamp', 'time', 'uuid'],
};

const scalar = z.union([z.string(), z.number(), z.boolean()]);
const columnFilter = z.strictObject({
  eq: scalar.optional(),
  neq: scalar.optional(),
  gt: scalar.optional(),
  gte: scalar.optional(),
  lt: scalar.optional(),
  lte: scalar.optional(),
  in: z.array(scalar).optional(),
  nin: z.array(scalar).optional(),
  isNull: z.boolean().optional(),
});
type FilterSpec = { [column: string]: z.infer<typeof columnFilter> | FilterSpec[] };
const filterSpec: z.ZodType<FilterSpec> = z.lazy(() =>
  z.record(z.string().regex(/^[a-z_][a-z0-9_]*$/, 'a column name (snake_case, as in the contract), or "and"/"or"'), z.union([columnFilter, z.array(filterSpec)])),
) as z.ZodType<FilterSpec>;

const measureSchema = z.strictObject({
  name: z.string().regex(/^[a-z][a-z0-9_]*$/, 'a lower snake_case measure name such as "revenue"'),
  description: z
    .string({ error: () => 'a "description" saying what the figure means (it documents the field in the API)' })
    .min(1, 'a "description" saying what the figure means (it documents the field in the API)'),
  aggregate: z.enum(MEASURE_AGGREGATES, { error: () => `one of ${MEASURE_AGGREGATES.join(', ')}` }),
  column: z.string().optional(),
  filter: filterSpec.optional(),
});

/** A filter as declared, as the model's tree; the problems of unknown columns or misplaced combinators go to `bad`. */
function toFilter(spec: FilterSpec, at: string, bad: (path: string, message: string) => void): MeasureFilter {
  const items: MeasureFilter[] = [];
  for (const [key, value] of Object.entries(spec)) {
    if (key === 'and' || key === 'or') {
      if (!Array.isArray(value)) bad(`${at}.${key}`, `"${key}" takes a list of filters, e.g. [{ "status": { "eq": "delivered" } }]`);
      else items.push(key === 'and' ? { and: value.map((v, i) => toFilter(v, `${at}.${key}[${i}]`, bad)) } : { or: value.map((v, i) => toFilter(v, `${at}.${key}[${i}]`, bad)) });
      continue;
    }
    if (Array.isArray(value)) {
      bad(`${at}.${key}`, `expected conditions on column "${key}" such as { "eq": "delivered" }; only "and"/"or" take a list`);
      continue;
    }
    for (const [op, v] of Object.entries(value)) {
      if (v === undefined) continue;
      if (op === 'isNull') items.push({ column: key, op, value: v as boolean });
      else if (op === 'in' || op === 'nin') items.push({ column: key, op, value: v as (string | number | boolean)[] });
      else items.push({ column: key, op: op as 'eq', value: v as string | number | boolean });
    }
  }
  return items.length === 1 ? items[0]! : { and: items };
}

/** Every column a measure filter reads. */
export function filterColumns(f: MeasureFilter | undefined, out: string[] = []): string[] {
  if (!f) return out;
  if ('and' in f) f.and.forEach((x) => filterColumns(x, out));
  else if ('or' in f) f.or.forEach((x) => filterColumns(x, out));
  else out.push(f.column);
  return out;
}

/** Every column a measure reads: its column and its filter's columns, each once. */
export const measureColumns = (m: MeasureContract): string[] => [...new Set([...(m.column ? [m.column] : []), ...filterColumns(m.filter)])];

/**
 * Reads and checks the measures declared at `path` of `file` (undefined: none) against the
 * contract's fields, recording every problem (each says how to fix it) in `problems`.
 */
export function readMeasures(file: string, path: string, raw: unknown, fields: readonly FieldContract[], problems: DeclarationProblem[]): MeasureContract[] {
  if (raw === undefined) return [];
  const parsed = z.array(measureSchema).safeParse(raw);
  if (!parsed.success) {
    problems.push(...zodProblems(file, parsed.error, path).map((x) => ({ ...x, path: x.path.replace('.[', '[') })));
    return [];
  }
  const byColumn = new Map(fields.map((f) => [f.name, f]));
  const fieldNames = new Set(fields.map((f) => camelCase(f.name)));
  const seen = new Set<string>();
  const out: MeasureContract[] = [];
  parsed.data.forEach((m, i) => {
    const at = `${path}[${i}]`;
    const before = problems.length;
    const bad = (p: string, message: string): void => void problems.push({ file, path: p, message });
    const graphqlName = camelCase(m.name);
    if ((GROUP_FIELDS as readonly string[]).includes(graphqlName))
      bad(`${at}.name`, `"${m.name}" clashes with the aggregate type's own field "${graphqlName}": name the measure after the figure, e.g. "revenue"`);
    else if (fieldNames.has(graphqlName)) bad(`${at}.name`, `"${m.name}" clashes with the field "${graphqlName}": a measure needs a name of its own, e.g. "total_${m.name}"`);
    else if (seen.has(graphqlName)) bad(`${at}.name`, `"${m.name}" is declared twice: give each measure its own name`);
    seen.add(graphqlName);
    if (m.aggregate === 'count') {
      if (m.column !== undefined)
        bad(`${at}.column`, `a "count" measure counts rows and takes no column: remove "column", or use "countDistinct" to count the distinct values of "${m.column}"`);
    } else if (m.column === undefined) {
      bad(`${at}.column`, `the aggregate "${m.aggregate}" needs a "column": name the contract column it aggregates`);
    } else {
      const f = byColumn.get(m.column);
      if (!f) bad(`${at}.column`, `unknown column "${m.column}": name one of the contract's columns (${fields.map((x) => x.name).join(', ')})`);
      else if (!APPLIES[m.aggregate].includes(f.type))
        bad(
          `${at}.aggregate`,
          `"${m.aggregate}" does not apply to "${m.column}" (${f.type}): use it on a column of type ${APPLIES[m.aggregate].join(', ')}, or choose ${
            NUMERIC.includes(f.type) ? 'another aggregate' : '"countDistinct" or "min"/"max"'
          }`,
        );
    }
    const filter = m.filter && toFilter(m.filter, `${at}.filter`, bad);
    for (const column of filterColumns(filter)) {
      if (!byColumn.has(column)) bad(`${at}.filter`, `unknown column "${column}" in the filter: name one of the contract's columns (${fields.map((x) => x.name).join(', ')})`);
    }
    if (problems.length > before) return;
    out.push({ name: m.name, description: m.description, aggregate: m.aggregate, ...(m.column !== undefined && { column: m.column }), ...(filter && { filter }) });
  });
  return out;
}

/** A measure's filter written back in the declaration syntax (`{ "status": { "eq": "delivered" } }`), for ODCS export and messages. */
export function filterSpecOf(f: MeasureFilter): Record<string, unknown> {
  if ('and' in f) return { and: f.and.map(filterSpecOf) };
  if ('or' in f) return { or: f.or.map(filterSpecOf) };
  return { [f.column]: { [f.op]: f.value } };
}

/** A measure as declared (the shape both readers read back). */
export function measureSpecOf(m: MeasureContract): Record<string, unknown> {
  return {
    name: m.name,
    description: m.description,
    aggregate: m.aggregate,
    ...(m.column !== undefined && { column: m.column }),
    ...(m.filter && { filter: filterSpecOf(m.filter) }),
  };
}
