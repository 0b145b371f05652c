/**
 * Which contract changes break which compatibility mode, as schema registries define the modes:
 *
 * - BACKWARD: consumers using the new contract can read data written under the old one.
 * - FORWARD:  consumers still using the old contract can read data written under the new one.
 * - FULL:     both.
 * - NONE:     nothing is checked; every change is still reported, as a warning.
 *
 * | change                                        | BACKWARD | FORWARD | FULL   | NONE |
 * |-----------------------------------------------|----------|---------|--------|------|
 * | field-removed (the field was required)        | ok       | breaks  | breaks | warn |
 * | field-removed (the field was nullable)        | ok       | ok      | ok     | warn |
 * | required-field-added                          | breaks   | ok      | breaks | warn |
 * | (a nullable field added)                      | ok       | ok      | ok     | –    |
 * | field-renamed (same type and description)     | breaks   | breaks  | breaks | warn |
 * | type-narrowed (bigint→integer, timestamp→date, double→decimal, string→anything) | breaks | ok | breaks | warn |
 * | type-widened (integer→bigint, date→timestamp, anything→string)                  | ok | breaks | breaks | warn |
 * | type-changed (neither, e.g. boolean→date)     | breaks   | breaks  | breaks | warn |
 * | nullable-made-required                        | breaks   | ok      | breaks | warn |
 * | required-made-nullable                        | ok       | breaks  | breaks | warn |
 * | key-changed                                   | breaks   | breaks  | breaks | warn |
 * | reference-changed (points elsewhere, or no longer) | breaks | breaks | breaks | warn |
 * | classification-loosened (PII → none)          | breaks   | breaks  | breaks | warn |
 * | classification-changed (one PII class → another) | breaks | breaks | breaks | warn |
 * | classification-tightened (none → PII)         | ok       | breaks  | breaks | warn |
 * | enum-value-removed, enum-added (a restriction added) | breaks | ok | breaks | warn |
 * | enum-value-added, enum-removed (the restriction dropped) | ok | breaks | breaks | warn |
 * | measure-removed, measure-changed (its aggregate, column or filter) | breaks | breaks | breaks | warn |
 * | measure-added                                 | ok       | ok      | ok     | warn |
 * | product-removed                               | breaks   | breaks  | breaks | warn |
 *
 * Renames, key and reference changes are never compatible: readers on either side silently lose the
 * values. A measure is the one agreed definition of a figure: redefining it silently changes the
 * number every consumer reads under the same name, so it breaks like a rename. A classification is a privacy promise rather than a read contract, so weakening it breaks
 * every mode but NONE. A change is judged under the stricter of the old and the new contract's
 * modes, so loosening the mode in the same change does not let a breaking change through.
 */
import type { CompatibilityMode } from '../../schema/index.js';

/** Every kind of contract change the compatibility check names. */
export type ChangeKind =
  | 'field-removed'
  | 'required-field-added'
  | 'field-renamed'
  | 'type-narrowed'
  | 'type-widened'
  | 'type-changed'
  | 'nullable-made-required'
  | 'required-made-nullable'
  | 'key-changed'
  | 'reference-changed'
  | 'classification-loosened'
  | 'classification-changed'
  | 'classification-tightened'
  | 'enum-value-removed'
  | 'enum-added'
  | 'enum-value-added'
  | 'enum-removed'
  | 'measure-removed'
  | 'measure-changed'
  | 'measure-added'
  | 'product-removed';

/** Which readers a change breaks: new readers of old data (BACKWARD) and old readers of new data (FORWARD). */
export interface Breaks {
  readonly backward: boolean;
  readonly forward: boolean;
}

const B: Breaks = { backward: true, forward: false };
const F: Breaks = { backward: false, forward: true };
const BOTH: Breaks = { backward: true, forward: true };
const NEITHER: Breaks = { backward: false, forward: false };

/** The table above, per kind; `field-removed` depends on the field and is decided by {@link breaksOf}. */
export const BREAKS: Readonly<Record<Exclude<ChangeKind, 'field-removed'>, Breaks>> = {
  'required-field-added': B,
  'field-renamed': BOTH,
  'type-narrowed': B,
  'type-widened': F,
  'type-changed': BOTH,
  'nullable-made-required': B,
  'required-made-nullable': F,
  'key-changed': BOTH,
  'reference-changed': BOTH,
  'classification-loosened': BOTH,
  'classification-changed': BOTH,
  'classification-tightened': F,
  'enum-value-removed': B,
  'enum-added': B,
  'enum-value-added': F,
  'enum-removed': F,
  'measure-removed': BOTH,
  'measure-changed': BOTH,
  'measure-added': NEITHER,
  'product-removed': BOTH,
};

/** What a change breaks; a removed field breaks old readers only when they required it. */
export function breaksOf(kind: ChangeKind, removedFieldWasNullable = false): Breaks {
  if (kind === 'field-removed') return removedFieldWasNullable ? NEITHER : F;
  return BREAKS[kind];
}

/** Whether a change that breaks `breaks` is a breaking change under `mode`. */
export function isBreaking(breaks: Breaks, mode: CompatibilityMode): boolean {
  if (mode === 'NONE') return false;
  if (mode === 'BACKWARD') return breaks.backward;
  if (mode === 'FORWARD') return breaks.forward;
  return breaks.backward || breaks.forward;
}

/** The stricter of two modes: a change is judged under both the old and the new contract's mode. */
export function strictestMode(a: CompatibilityMode, b: CompatibilityMode): CompatibilityMode {
  if (a === b || b === 'NONE') return a;
  if (a === 'NONE') return b;
  return 'FULL';
}

/** Who a breaking change hurts, in words, for finding messages. */
export function whoBreaks(breaks: Breaks, mode: CompatibilityMode): string {
  const parts: string[] = [];
  if (breaks.backward && mode !== 'FORWARD') parts.push('consumers using the new contract cannot read data written under the old one');
  if (breaks.forward && mode !== 'BACKWARD') parts.push('consumers still on the old contract cannot read data written under the new one');
  return parts.join('; ');
}
