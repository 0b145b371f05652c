/**
 * How-to-fix wording for the problems both contract readers find in a field, so a contract written
 * without meshgate's attributes (a plain Avro schema, an ODCS export) says in one run what to add to
 * each field, not only what was expected.
 */
import type { DeclarationProblem } from '../errors.js';
import { words } from '../naming.js';
import { CLASSIFICATIONS } from './types.js';

const PII = CLASSIFICATIONS.filter((c) => c !== 'none').join(', ');

/** The value at a problem path (`fields[2].classification`) in the document, if any. */
function valueAt(doc: unknown, path: string): unknown {
  let node = doc;
  for (const m of path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<string, unknown>)[m[2] ?? m[1]!];
  }
  return node;
}

/** A snake_case column name for a name that is not one: `touchedAt` → `touched_at`. */
export const snakeCase = (name: string): string =>
  words(name)
    .map((w) => w.toLowerCase())
    .join('_')
    .replace(/^(?=[0-9])/, '_');

/** Rewrites the messages of field problems (classification, column name) to say how to fix them. */
export function withFieldHints(problems: readonly DeclarationProblem[], doc: unknown): DeclarationProblem[] {
  return problems.map((p) => {
    const attribute = /(?:fields|properties)\[\d+\]\.(classification|name)$/.exec(p.path)?.[1];
    if (!attribute) return p;
    const value = valueAt(doc, p.path);
    if (attribute === 'classification') {
      const message =
        value === undefined
          ? `no classification: add "classification": "none" or a PII kind (${PII})`
          : `${JSON.stringify(value)} is not a classification: write "none" or a PII kind (${PII})`;
      return { ...p, message };
    }
    if (typeof value !== 'string' || value === '') return { ...p, message: `no column name: add "name" with the column's lower snake_case name, such as "total_amount"` };
    return { ...p, message: `"${value}" is not a lower snake_case column name: name the column "${snakeCase(value)}" in the output and the contract` };
  });
}
