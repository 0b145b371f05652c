/** The changes between two versions of one contract field, each with what it breaks (see compatibilityTable.ts). */
import { measureSpecOf, type FieldContract, type LogicalType, type MeasureContract } from '../../schema/index.js';
import { breaksOf, type Breaks, type ChangeKind } from './compatibilityTable.js';

/** One detected change of a contract, before it is judged under a mode. */
export interface Change {
  readonly kind: ChangeKind;
  readonly field?: string;
  /** What changed, in words: `field "status" no longer allows "returned"`. */
  readonly what: string;
  readonly breaks: Breaks;
}

/** The types each type widens to without losing a value (what a reader of the wider type can read). */
const WIDER: Readonly<Record<LogicalType, readonly LogicalType[]>> = {
  integer: ['bigint', 'double', 'decimal', 'string'],
  bigint: ['double', 'decimal', 'string'],
  decimal: ['double', 'string'],
  double: ['string'],
  date: ['timestamp', 'string'],
  timestamp: ['string'],
  boolean: ['string'],
  string: [],
  time: ['string'],
  uuid: ['string'],
  json: [],
  list: [],
  struct: [],
};

/** `decimal(12,2)`, `bigint`. */
export const typeLabel = (f: FieldContract): string => (f.type === 'decimal' ? `decimal(${f.precision ?? 18},${f.scale ?? 0})` : f.type);

const list = (values: readonly string[]): string => values.map((v) => `"${v}"`).join(', ');

function typeChange(o: FieldContract, n: FieldContract): ChangeKind | undefined {
  if (o.type === n.type) {
    if (o.type !== 'decimal' || typeLabel(o) === typeLabel(n)) return undefined;
    const [op, os, np, ns] = [o.precision ?? 18, o.scale ?? 0, n.precision ?? 18, n.scale ?? 0];
    if (np - ns >= op - os && ns >= os) return 'type-widened';
    if (np - ns <= op - os && ns <= os) return 'type-narrowed';
    return 'type-changed';
  }
  if (WIDER[o.type].includes(n.type)) return 'type-widened';
  if (WIDER[n.type].includes(o.type)) return 'type-narrowed';
  return 'type-changed';
}

function change(kind: ChangeKind, field: string, what: string): Change {
  return { kind, field, what, breaks: breaksOf(kind) };
}

/** Every change between the old and the new version of the same field (the key is compared at contract level). */
export function fieldChanges(o: FieldContract, n: FieldContract): Change[] {
  const out: Change[] = [];
  const name = n.name;
  const type = typeChange(o, n);
  if (type) {
    const verb = type === 'type-widened' ? 'was widened' : type === 'type-narrowed' ? 'was narrowed' : 'changed type';
    out.push(change(type, name, `field "${name}" ${verb} from ${typeLabel(o)} to ${typeLabel(n)}`));
  }
  if (o.nullable && !n.nullable) out.push(change('nullable-made-required', name, `field "${name}" was nullable and is now required`));
  if (!o.nullable && n.nullable && !o.key) out.push(change('required-made-nullable', name, `field "${name}" was required and is now nullable`));
  const ref = (f: FieldContract): string | undefined => f.references && `${f.references.product}.${f.references.field}`;
  if (ref(o) && ref(o) !== ref(n)) {
    out.push(change('reference-changed', name, `field "${name}" referenced ${ref(o)} and ${ref(n) ? `now references ${ref(n)}` : 'no longer references anything'}`));
  }
  if (o.classification !== n.classification) {
    if (n.classification === 'none') out.push(change('classification-loosened', name, `field "${name}" was classified ${o.classification} and is now none: PII declassified`));
    else if (o.classification === 'none') out.push(change('classification-tightened', name, `field "${name}" was not PII and is now classified ${n.classification}`));
    else out.push(change('classification-changed', name, `field "${name}" changed classification from ${o.classification} to ${n.classification}`));
  }
  if (o.enum && n.enum) {
    const removed = o.enum.filter((v) => !n.enum!.includes(v));
    const added = n.enum.filter((v) => !o.enum!.includes(v));
    if (removed.length) out.push(change('enum-value-removed', name, `field "${name}" no longer allows ${list(removed)}`));
    if (added.length) out.push(change('enum-value-added', name, `field "${name}" now also allows ${list(added)}`));
  } else if (n.enum && !o.enum) {
    out.push(change('enum-added', name, `field "${name}" is now restricted to ${list(n.enum)}`));
  } else if (o.enum && !n.enum) {
    out.push(change('enum-removed', name, `field "${name}" is no longer restricted to ${list(o.enum)}`));
  }
  return out;
}

/** The changes between the old and the new measures: removing or redefining one breaks every consumer of its figure; adding one is minor. */
export function measureChanges(older: readonly MeasureContract[], newer: readonly MeasureContract[]): Change[] {
  const out: Change[] = [];
  // The description explains the figure; only what computes it defines it.
  const definition = (m: MeasureContract): string => JSON.stringify({ ...measureSpecOf(m), description: undefined });
  const byName = new Map(newer.map((m) => [m.name, m]));
  for (const m of older) {
    const now = byName.get(m.name);
    if (!now) out.push(change('measure-removed', m.name, `measure "${m.name}" was removed`));
    else if (definition(m) !== definition(now)) out.push(change('measure-changed', m.name, `measure "${m.name}" was redefined (its aggregate, column or filter changed)`));
  }
  const old = new Set(older.map((m) => m.name));
  for (const m of newer) if (!old.has(m.name)) out.push(change('measure-added', m.name, `measure "${m.name}" was added`));
  return out;
}
