/** The checks and defaults both contract readers share once the fields are known. */
import type { DeclarationProblem, Loaded } from '../errors.js';
import { GRAPHQL_NAME, camelCase, listFieldName } from '../naming.js';
import type { Contract, LogicalType } from './types.js';

/** A contract before keys and the list field name are derived; `keys` when the source orders them itself (ODCS `primaryKeyPosition`). */
export type ContractDraft = Omit<Contract, 'keys' | 'listField' | 'order' | 'references' | 'measures'> &
  Partial<Pick<Contract, 'keys' | 'order' | 'references' | 'measures'>> & { readonly listField?: string };

/**
 * The types a column of a composite key may have: those whose value reads back from DuckDB and
 * from GraphQL as the same text, so a batch of look-ups matches its rows by value.
 */
const COMPOSITE_KEY_TYPES: readonly LogicalType[] = ['string', 'integer', 'bigint', 'date', 'uuid'];
/** Types a declared order cannot sort by meaningfully. */
const UNORDERED_TYPES: readonly LogicalType[] = ['list', 'struct', 'json'];

/** Derives keys and the list field name, and checks what only the whole contract can show; a refused contract is still derived, as `partial`. */
export function finishContract(file: string, draft: ContractDraft): Loaded<Contract> {
  const problems: DeclarationProblem[] = [];
  const byName = new Map(draft.fields.map((f, i) => [f.name, { f, i }]));
  // Avro declares the key in field order; ODCS in primaryKeyPosition order, which its reader passes.
  const keys = draft.keys ?? draft.fields.filter((f) => f.key).map((f) => f.name);
  const seen = new Set<string>();
  draft.fields.forEach((f, i) => {
    const graphqlName = camelCase(f.name);
    if (seen.has(graphqlName))
      problems.push({ file, path: `fields[${i}].name`, message: `"${f.name}" clashes with another field once camel-cased ("${graphqlName}"): rename one of the two columns` });
    seen.add(graphqlName);
    if (f.key && f.nullable)
      problems.push({
        file,
        path: `fields[${i}]`,
        message: 'a key field cannot be nullable: make it required (Avro: drop "null" from its type; ODCS: required: true), or drop it from the key',
      });
    if (f.key && keys.length > 1 && !COMPOSITE_KEY_TYPES.includes(f.type))
      problems.push({
        file,
        path: `fields[${i}].type`,
        message: `a column of a composite key must be one of ${COMPOSITE_KEY_TYPES.join(', ')}, not ${f.type}: drop "${f.name}" from the key`,
      });
  });
  const order = draft.order ?? [];
  if (keys.length === 0 && order.length === 0)
    problems.push({
      file,
      path: 'order',
      message:
        'a product without a key field must declare the order of its rows, so its pages are stable: add a record-level "order": ["event_ts", "event_id"] (ODCS: a customProperty "order"), or mark its key field(s) "key": true (ODCS: primaryKey)',
    });
  if (keys.length > 0 && order.length > 0)
    problems.push({ file, path: 'order', message: 'only a keyless product declares an order (a keyed product is ordered by its key): remove "order"' });
  order.forEach((column, i) => {
    const at = byName.get(column);
    if (!at) problems.push({ file, path: `order[${i}]`, message: `"${column}" is not a field of the contract: name one of its fields` });
    else if (UNORDERED_TYPES.includes(at.f.type))
      problems.push({ file, path: `order[${i}]`, message: `"${column}" is a ${at.f.type} and cannot order rows: order by a scalar field` });
    if (order.indexOf(column) !== i) problems.push({ file, path: `order[${i}]`, message: `"${column}" is named twice: name it once` });
  });
  (draft.references ?? []).forEach((ref, r) => {
    ref.columns.forEach((column, i) => {
      if (!byName.has(column)) problems.push({ file, path: `references[${r}].columns[${i}]`, message: `"${column}" is not a field of the contract: name one of its fields` });
      if (ref.columns.indexOf(column) !== i) problems.push({ file, path: `references[${r}].columns[${i}]`, message: `"${column}" is named twice: name it once` });
    });
    if (ref.fields.length && ref.fields.length !== ref.columns.length)
      problems.push({
        file,
        path: `references[${r}].fields`,
        message: `names ${ref.fields.length} target column(s) for ${ref.columns.length} column(s): name one target key column per column, or leave "fields" out to mean the target's key`,
      });
  });
  const listField = draft.listField ?? listFieldName(draft.typeName);
  if (!GRAPHQL_NAME.test(listField)) problems.push({ file, path: 'graphqlField', message: `expected a GraphQL field name such as "orders", got "${listField}"` });
  const contract: Contract = { ...draft, keys, listField, order, references: draft.references ?? [], measures: draft.measures ?? [] };
  if (problems.length) return { errors: problems, partial: contract };
  return { value: contract };
}
