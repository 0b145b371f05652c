/**
 * Validates a document against the official ODCS v3.0.2 JSON Schema (draft 2019-09, vendored in
 * this folder; see NOTICE), reporting each problem with the path inside the document.
 */
import { readFileSync } from 'node:fs';
import { Ajv2019, type ErrorObject, type ValidateFunction } from 'ajv/dist/2019.js';
import type { DeclarationProblem } from '../errors.js';

let compiled: ValidateFunction | undefined;

/** Compiles the vendored schema once; strict mode is off because the official schema keeps non-schema maps under `$defs` (`ServerSource`). */
function validator(): ValidateFunction {
  if (compiled) return compiled;
  const schema = JSON.parse(readFileSync(new URL('./odcs-json-schema-v3.0.2.json', import.meta.url), 'utf8')) as object;
  // Formats (uri, date-time) are annotations here: meshgate writes none of those fields.
  compiled = new Ajv2019({ strict: false, allErrors: true, validateFormats: false, logger: false }).compile(schema);
  return compiled;
}

/** `/schema/0/properties/3/logicalType` → `schema[0].properties[3].logicalType`. */
function pathOf(pointer: string): string {
  return pointer
    .split('/')
    .slice(1)
    .map((part) => part.replaceAll('~1', '/').replaceAll('~0', '~'))
    .reduce((acc, key) => (/^\d+$/.test(key) ? `${acc}[${key}]` : acc ? `${acc}.${key}` : key), '');
}

function describe(e: ErrorObject): string {
  const p = e.params as Record<string, unknown>;
  if (e.keyword === 'additionalProperties' || e.keyword === 'unevaluatedProperties')
    return `"${String(p['additionalProperty'] ?? p['unevaluatedProperty'])}" is not an ODCS v3.0.2 key here`;
  if (e.keyword === 'enum') return `expected one of ${(p['allowedValues'] as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
  if (e.keyword === 'required') return `expected the key "${String(p['missingProperty'])}"`;
  if (e.keyword === 'type') return `expected ${String(p['type'])}`;
  return `expected it to ${e.message ?? 'match the schema'}`.replace('to must ', 'to ');
}

/** Checks `doc` against the official ODCS v3.0.2 schema; an empty list means it validates. */
export function validateOdcs(file: string, doc: unknown): DeclarationProblem[] {
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
    const got = doc === null ? 'nothing' : Array.isArray(doc) ? 'a list' : `a ${typeof doc}`;
    return [{ file, path: '', message: `expected an ODCS v3 data contract (a mapping with apiVersion, kind, id, version, status), got ${got}` }];
  }
  const validate = validator();
  if (validate(doc)) return [];
  const errors = validate.errors ?? [];
  // An `if`/`then` failure repeats the error inside it, and a failed subschema makes its keys look
  // "unevaluated" too: keep the errors that say what is actually wrong.
  const direct = errors.filter((e) => e.keyword !== 'if' && e.keyword !== 'unevaluatedProperties');
  const under = (e: ErrorObject): boolean => direct.some((d) => d.instancePath === e.instancePath || d.instancePath.startsWith(`${e.instancePath}/`));
  const unevaluated = errors.filter((e) => e.keyword === 'unevaluatedProperties' && !under(e));
  const seen = new Set<string>();
  const problems: DeclarationProblem[] = [];
  for (const e of [...direct, ...unevaluated]) {
    const problem = { file, path: pathOf(e.instancePath), message: describe(e) };
    const key = `${problem.path}\u0000${problem.message}`;
    if (!seen.has(key)) problems.push(problem);
    seen.add(key);
  }
  return problems;
}
