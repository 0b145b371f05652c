/** Compares two versions of a product's contract and judges every change under a compatibility mode. */
import type { CompatibilityMode, Contract, FieldContract } from '../../schema/index.js';
import type { Finding } from '../governance/Finding.js';
import { breaksOf, isBreaking, whoBreaks, type ChangeKind } from './compatibilityTable.js';
import { fieldChanges, measureChanges, typeLabel, type Change } from './fieldChanges.js';

/** Where a comparison's findings point: the product's descriptor name and, where known, its contract file. */
export interface ContractPlace {
  readonly product: string;
  readonly file?: string;
}

const MAJOR = 'publish the change as a new major version (a "-v2" product) served beside this one, which you mark deprecated with a successor and a sunset';

const FIXES: Partial<Record<ChangeKind, (c: Change) => string>> = {
  'field-removed': (c) => `Keep "${c.field}" in the contract, or ${MAJOR}.`,
  'required-field-added': (c) => `Declare "${c.field}" nullable, so data written before it existed stays readable, or ${MAJOR}.`,
  'required-made-nullable': (c) => `Keep "${c.field}" required (always fill it), or ${MAJOR}.`,
  'measure-removed': (c) => `Keep the measure "${c.field}", or ${MAJOR}.`,
  'measure-changed': (c) => `Keep the definition of "${c.field}" and declare the new figure as a measure of its own name, or ${MAJOR}.`,
  'classification-loosened': (c) => `Keep "${c.field}" classified as PII unless the data steward confirms it holds no personal data; then ${MAJOR}.`,
};

/** Pairs fields by name, then takes a removed and an added field of the same type and description as a rename. */
function structuralChanges(o: Contract, n: Contract): Change[] {
  const out: Change[] = [];
  const newByName = new Map(n.fields.map((f) => [f.name, f]));
  const oldNames = new Set(o.fields.map((f) => f.name));
  const removed = o.fields.filter((f) => !newByName.has(f.name));
  const added = n.fields.filter((f) => !oldNames.has(f.name));
  const sameShape = (a: FieldContract, b: FieldContract): boolean => typeLabel(a) === typeLabel(b) && a.description !== undefined && a.description === b.description;
  for (const r of removed) {
    const twin = added.find((a) => sameShape(r, a));
    if (twin) {
      added.splice(added.indexOf(twin), 1);
      out.push({ kind: 'field-renamed', field: r.name, what: `field "${r.name}" was renamed to "${twin.name}" (same type and description)`, breaks: breaksOf('field-renamed') });
    } else {
      out.push({
        kind: 'field-removed',
        field: r.name,
        what: `field "${r.name}" (${typeLabel(r)}, ${r.nullable ? 'nullable' : 'required'}) was removed`,
        breaks: breaksOf('field-removed', r.nullable),
      });
    }
  }
  for (const a of added.filter((f) => !f.nullable)) {
    out.push({ kind: 'required-field-added', field: a.name, what: `required field "${a.name}" (${typeLabel(a)}) was added`, breaks: breaksOf('required-field-added') });
  }
  if (o.keys.join(',') !== n.keys.join(',')) {
    out.push({ kind: 'key-changed', field: n.keys.join(','), what: `the key changed from "${o.keys.join(',')}" to "${n.keys.join(',')}"`, breaks: breaksOf('key-changed') });
  }
  for (const f of o.fields) {
    const now = newByName.get(f.name);
    if (now) out.push(...fieldChanges(f, now));
  }
  out.push(...measureChanges(o.measures, n.measures));
  return out;
}

/** Says whether a change breaks under `mode`, and for whom. */
export function verdict(change: Pick<Change, 'breaks'>, mode: CompatibilityMode): string {
  const { backward, forward } = change.breaks;
  if (isBreaking(change.breaks, mode)) return `breaking under ${mode}: ${whoBreaks(change.breaks, mode)}`;
  const would = backward && forward ? 'BACKWARD and FORWARD' : backward ? 'BACKWARD' : forward ? 'FORWARD' : '';
  if (mode === 'NONE') return would ? `it would break ${would} compatibility; allowed because the compatibility mode is NONE` : 'compatible under every mode';
  return would ? `compatible under ${mode} (it would break ${would})` : `compatible under ${mode}`;
}

/** Every change from `older` to `newer`, each a finding: a violation when it breaks `mode`, a warning otherwise. */
export function compareContracts(older: Contract, newer: Contract, mode: CompatibilityMode, at: ContractPlace): Finding[] {
  return structuralChanges(older, newer).map((c) => {
    const breaking = isBreaking(c.breaks, mode);
    return {
      rule: c.kind,
      severity: breaking ? 'violation' : 'warning',
      product: at.product,
      ...(c.field !== undefined && { field: c.field }),
      ...(at.file !== undefined && { file: at.file }),
      message: `${c.what}: ${verdict(c, mode)}`,
      fix: breaking ? (FIXES[c.kind]?.(c) ?? `Revert the change, or ${MAJOR}.`) : "Nothing is required under this mode; tell the product's consumers about the change.",
    };
  });
}
