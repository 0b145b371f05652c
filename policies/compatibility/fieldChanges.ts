/** The changes between two versions of one contract field, each with what it breaks (see compatibilityTable.ts). */
import { measureSpecOf, type Classification, type FieldContract, type LogicalType, type MeasureContract, type ValueType } from '../../schema/index.js';
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

/** `decimal(12,2)`, `bigint`, `list<string>`, `struct<street string, country string>`. */
export const typeLabel = (f: ValueType): string => {
  if (f.type === 'decimal') return `decimal(${f.precision ?? 18},${f.scale ?? 0})`;
  if (f.type === 'list') return `list<${f.items ? typeLabel(f.items) : '?'}>`;
  if (f.type === 'struct') return `struct<${(f.members ?? []).map((m) => `${m.name} ${typeLabel(m)}`).join(', ')}>`;
  return f.type;
};

const list = (values: readonly string[]): string => values.map((v) => `"${v}"`).join(', ');

/** The change of a scalar's type; a list's or struct's parts are compared part by part (see valueChanges). */
function typeChange(o: ValueType, n: ValueType): ChangeKind | undefined {
  if (o.type === n.type && (o.type === 'list' || o.type === 'struct')) return undefined;
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

/** A value's changes (a field's, a list's elements', a struct member's), `name` naming it as messages do (`address.street`, `tags[]`). */
function valueChanges(o: ValueType, n: ValueType, name: string, out: Change[]): void {
  const type = typeChange(o, n);
  if (type) {
    const verb = type === 'type-widened' ? 'was widened' : type === 'type-narrowed' ? 'was narrowed' : 'changed type';
    out.push(change(type, name, `field "${name}" ${verb} from ${typeLabel(o)} to ${typeLabel(n)}`));
    return;
  }
  if (o.type === 'list' && n.type === 'list' && o.items && n.items) {
    const at = `${name}[]`;
    nullability(o.items.nullable, n.items.nullable, at, out);
    valueChanges(o.items, n.items, at, out);
  }
  if (o.type === 'struct' && n.type === 'struct') {
    const now = new Map((n.members ?? []).map((m) => [m.name, m]));
    for (const m of o.members ?? []) {
      const at = `${name}.${m.name}`;
      const next = now.get(m.name);
      if (!next) {
        out.push({ kind: 'field-removed', field: at, what: `member "${at}" was removed`, breaks: breaksOf('field-removed', m.nullable) });
        continue;
      }
      nullability(m.nullable, next.nullable, at, out);
      classificationChanges(m.classification, next.classification, at, out);
      valueChanges(m, next, at, out);
    }
    const before = new Set((o.members ?? []).map((m) => m.name));
    for (const m of n.members ?? []) {
      if (!before.has(m.name) && !m.nullable) out.push(change('required-field-added', `${name}.${m.name}`, `required member "${name}.${m.name}" (${typeLabel(m)}) was added`));
    }
  }
  enumChanges(o, n, name, out);
}

function nullability(was: boolean, now: boolean, name: string, out: Change[]): void {
  if (was && !now) out.push(change('nullable-made-required', name, `field "${name}" was nullable and is now required`));
  if (!was && now) out.push(change('required-made-nullable', name, `field "${name}" was required and is now nullable`));
}

function classificationChanges(o: Classification, n: Classification, name: string, out: Change[]): void {
  if (o === n) return;
  if (n === 'none') out.push(change('classification-loosened', name, `field "${name}" was classified ${o} and is now none: PII declassified`));
  else if (o === 'none') out.push(change('classification-tightened', name, `field "${name}" was not PII and is now classified ${n}`));
  else out.push(change('classification-changed', name, `field "${name}" changed classification from ${o} to ${n}`));
}

/** An enumeration's changes: a value added is read by new readers of old data (BACKWARD), not by old readers of new data. */
function enumChanges(o: ValueType, n: ValueType, name: string, out: Change[]): void {
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
  classificationChanges(o.classification, n.classification, name, out);
  if (type) enumChanges(o, n, name, out);
  // A list's elements and a struct's members, part by part (and the field's own enumeration).
  else valueChanges(o, n, name, out);
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
