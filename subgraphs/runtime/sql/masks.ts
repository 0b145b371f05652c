/** The SQL of each mask function (policies/masks names them; only this module writes SQL). */
import type { MaskName } from '../../../policies/index.js';
import type { ValueType } from '../../../schema/index.js';
import { columnRef, type Column } from './Condition.js';
import { duckType, PARAM_CASTS, type Params, quoteIdent, quoteLiteral } from './SqlQuery.js';

/** A mask applied to a selected column; `key` is the secret of keyed hashes. */
export interface MaskSpec {
  readonly name: MaskName;
  readonly key?: string;
}

/** The DuckDB type a masked value keeps. */
const castOf = (column: Column): string => (column.value ? duckType(column.value) : PARAM_CASTS[column.type]);

/** The expression that reads `column` (as `ref`, its quoted column by default) through `mask`, keeping the column's type. */
export function maskExpression(column: Column, mask: MaskSpec, params: Params, ref = quoteIdent(column.name)): string {
  const c = ref;
  switch (mask.name) {
    case 'redact':
      return `CASE WHEN ${c} IS NULL THEN NULL ELSE '***' END`;
    case 'null':
      return `CAST(NULL AS ${castOf(column)})`;
    case 'hash':
      return `substr(sha256(${params.add(mask.key ?? '', 'string')} || ${c}), 1, 16)`;
    case 'last4':
      return `repeat('*', greatest(length(${c}) - 4, 0)) || right(${c}, 4)`;
    case 'email':
      return `left(${c}, 1) || '***@' || split_part(${c}, '@', 2)`;
    case 'year':
      return `CAST(date_trunc('year', ${c}) AS ${castOf(column)})`;
    case 'round':
      return `CAST(round(${c} / 100) * 100 AS ${castOf(column)})`;
  }
}

/** The masks of one selected column: its own (a list's applies to each element) and its struct members', by path (`address.street`). */
export type MaskOf = (path: string) => MaskSpec | undefined;

/**
 * The expression reading a value of type `v` (at `ref`, column path `path`) through the masks that
 * apply to it, or undefined when none does: a list is masked element by element (`list_transform`),
 * a struct member by member (`struct_pack`), so a masked value keeps its type and its unmasked parts.
 */
function maskedValue(v: ValueType, ref: string, path: string, masks: MaskOf, params: Params, depth: number): string | undefined {
  const own = masks(path);
  if (v.type === 'list') {
    const e = `__e${depth}`;
    const items = v.items!;
    const inner = own ? maskExpression({ name: e, type: items.type, value: items }, own, params, e) : maskedValue(items, e, path, masks, params, depth + 1);
    return inner && `list_transform(${ref}, ${e} -> ${inner})`;
  }
  if (own) return maskExpression({ name: path, type: v.type, value: v }, own, params, ref);
  if (v.type !== 'struct') return undefined;
  const members = (v.members ?? []).map((m) => {
    const at = `struct_extract(${ref}, ${quoteLiteral(m.name)})`;
    return { m, at, masked: maskedValue(m, at, `${path}.${m.name}`, masks, params, depth + 1) };
  });
  if (members.every((x) => x.masked === undefined)) return undefined;
  return `CASE WHEN ${ref} IS NULL THEN NULL ELSE struct_pack(${members.map((x) => `${quoteIdent(x.m.name)} := ${x.masked ?? x.at}`).join(', ')}) END`;
}

/** The expression reading `column` (at `ref`) through its mask and its members' masks; the plain reference when nothing is masked. */
export function selectedExpression(
  column: Column,
  mask: MaskSpec | undefined,
  memberMasks: Readonly<Record<string, MaskSpec>> | undefined,
  params: Params,
  ref = columnRef(column),
): string {
  if (!mask && !memberMasks) return ref;
  const masks: MaskOf = (path) => (path === column.name ? mask : memberMasks?.[path]);
  return maskedValue(column.value ?? { type: column.type }, ref, column.name, masks, params, 0) ?? ref;
}
