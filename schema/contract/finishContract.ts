/** The checks and defaults both contract readers share once the fields are known. */
import type { DeclarationProblem, Loaded } from '../errors.js';
import { GRAPHQL_NAME, camelCase, listFieldName } from '../naming.js';
import type { Contract } from './types.js';

/** A contract before keys and the list field name are derived. */
export type ContractDraft = Omit<Contract, 'keys' | 'listField' | 'order' | 'references' | 'measures'> &
  Partial<Pick<Contract, 'order' | 'references' | 'measures'>> & { readonly listField?: string };

/** Derives keys and the list field name, and checks what only the whole contract can show; a refused contract is still derived, as `partial`. */
export function finishContract(file: string, draft: ContractDraft): Loaded<Contract> {
  const problems: DeclarationProblem[] = [];
  const keys = draft.fields.filter((f) => f.key).map((f) => f.name);
  if (keys.length !== 1) {
    problems.push({
      file,
      path: 'fields',
      message: `expected exactly one key field (marked as key / primaryKey), found ${keys.length}: mark the column that identifies a row with "key": true (Avro) or primaryKey: true (ODCS)`,
    });
  }
  const seen = new Set<string>();
  draft.fields.forEach((f, i) => {
    const graphqlName = camelCase(f.name);
    if (seen.has(graphqlName))
      problems.push({ file, path: `fields[${i}].name`, message: `"${f.name}" clashes with another field once camel-cased ("${graphqlName}"): rename one of the two columns` });
    seen.add(graphqlName);
    if (f.key && f.nullable)
      problems.push({ file, path: `fields[${i}]`, message: 'a key field cannot be nullable: make it required (Avro: drop "null" from its type; ODCS: required: true)' });
  });
  const listField = draft.listField ?? listFieldName(draft.typeName);
  if (!GRAPHQL_NAME.test(listField)) problems.push({ file, path: 'graphqlField', message: `expected a GraphQL field name such as "orders", got "${listField}"` });
  const contract: Contract = { ...draft, keys, listField, order: draft.order ?? [], references: draft.references ?? [], measures: draft.measures ?? [] };
  if (problems.length) return { errors: problems, partial: contract };
  return { value: contract };
}
