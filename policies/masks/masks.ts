/**
 * The mask functions and where each applies. A mask keeps the field's GraphQL type valid, so a
 * masked value reads like a value, never breaks a client's types. The SQL of each mask is written
 * by the subgraph runtime's SQL module; this file only names and checks them.
 */
import type { Classification, FieldContract, LogicalType, ValueType } from '../../schema/index.js';

/** What each mask does, for docs, explanations and the catalog. */
export const MASKS = {
  redact: 'the value is replaced by "***"',
  null: 'the value is replaced by null (nullable fields only)',
  hash: 'a keyed SHA-256 hash of the value (stable, so masked keys still join and group)',
  last4: 'only the last 4 characters are kept, the rest become *',
  email: 'the first letter of the local part and the domain are kept: j***@example.com',
  year: 'only the year is kept: 1984-01-01',
  round: 'numbers rounded to the nearest 100 (halves away from zero)',
} as const;

/** A mask function's name. */
export type MaskName = keyof typeof MASKS;

/** Every mask name. */
export const MASK_NAMES = Object.keys(MASKS) as MaskName[];

const APPLIES: Record<MaskName, readonly LogicalType[]> = {
  redact: ['string'],
  null: ['string', 'integer', 'bigint', 'double', 'decimal', 'boolean', 'date', 'timestamp'],
  hash: ['string'],
  last4: ['string'],
  email: ['string'],
  year: ['date', 'timestamp'],
  round: ['integer', 'bigint', 'double', 'decimal'],
};

/** Why `mask` cannot apply to a field, or undefined when it can. */
export function maskMisfit(mask: MaskName, type: LogicalType, nullable: boolean): string | undefined {
  if (!APPLIES[mask].includes(type)) return `the "${mask}" mask applies to ${APPLIES[mask].join(', ')} fields, not ${type}`;
  if (mask === 'null' && !nullable) return 'the "null" mask applies to nullable fields only';
  return undefined;
}

/** One classified value of a field: the field itself, or a struct member at `path`, with the type its mask applies to. */
export interface ClassifiedPart {
  /** `email` for the column, `address.street` for a member (a list is transparent: its classification applies to each element). */
  readonly path: string;
  readonly classification: Classification;
  /** What the mask reads: the value itself, or a list's element. */
  readonly type: LogicalType;
  readonly nullable: boolean;
}

/** Every classified part of a field: the field unless it is `none`, then its struct members (inside lists too), member by member. */
export function classifiedParts(field: FieldContract): ClassifiedPart[] {
  const out: ClassifiedPart[] = [];
  const visit = (v: ValueType, path: string, classification: Classification, nullable: boolean): void => {
    const target = v.type === 'list' ? v.items! : v;
    const targetNullable = v.type === 'list' ? v.items!.nullable : nullable;
    if (classification !== 'none') out.push({ path, classification, type: target.type, nullable: targetNullable });
    for (const m of target.members ?? []) visit(m, `${path}.${m.name}`, m.classification, m.nullable);
  };
  visit(field, field.name, field.classification, field.nullable);
  return out;
}

/** What reading a field revealed of its personal data: each classified part masked (with its mask) or read in the clear. */
export interface ReadParts {
  readonly masked: (readonly [path: string, mask: MaskName])[];
  readonly unmasked: string[];
}

/**
 * The classified parts of `field` a caller read, by the masks decided for it (column or member
 * paths): a mask on the column or on an enclosing struct covers the members inside it. What the
 * access log records, so a masked or unmasked struct member shows as such, not as a plain column.
 */
export function readParts(field: FieldContract, masks: Readonly<Record<string, { readonly mask: MaskName }>>): ReadParts {
  const out: ReadParts = { masked: [], unmasked: [] };
  const maskAt = (path: string): MaskName | undefined => {
    for (let p = path; ; p = p.slice(0, p.lastIndexOf('.'))) {
      const found = masks[p];
      if (found) return found.mask;
      if (!p.includes('.')) return undefined;
    }
  };
  const whole = masks[field.name];
  if (whole) out.masked.push([field.name, whole.mask]);
  else
    for (const part of classifiedParts(field)) {
      const mask = maskAt(part.path);
      if (mask) out.masked.push([part.path, mask]);
      else out.unmasked.push(part.path);
    }
  return out;
}
