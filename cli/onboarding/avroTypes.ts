/**
 * DuckDB column types (as `DESCRIBE` prints them) in the contract's Avro syntax, the one every
 * reader of the mesh agreed on: lists as arrays, structs as nested records, decimals, UUID, TIME and
 * JSON as logical types.
 */
import { pascalCase } from '../../schema/naming.js';

/** An Avro type as JSON. */
export type AvroType = string | { readonly [attribute: string]: unknown } | readonly AvroType[];

/** A struct member as DESCRIBE prints it, and where its name came from. */
export interface DuckdbMember {
  readonly name: string;
  readonly type: string;
}

const SCALARS: Readonly<Record<string, AvroType>> = {
  VARCHAR: 'string',
  TEXT: 'string',
  TINYINT: 'int',
  SMALLINT: 'int',
  INTEGER: 'int',
  UTINYINT: 'int',
  USMALLINT: 'int',
  BIGINT: 'long',
  UINTEGER: 'long',
  DOUBLE: 'double',
  FLOAT: 'double',
  REAL: 'double',
  BOOLEAN: 'boolean',
  DATE: { type: 'int', logicalType: 'date' },
  TIMESTAMP: { type: 'long', logicalType: 'timestamp-micros' },
  TIMESTAMP_MS: { type: 'long', logicalType: 'timestamp-millis' },
  TIMESTAMP_S: { type: 'long', logicalType: 'timestamp-millis' },
  'TIMESTAMP WITH TIME ZONE': { type: 'long', logicalType: 'timestamp-micros' },
  TIMESTAMPTZ: { type: 'long', logicalType: 'timestamp-micros' },
  TIME: { type: 'long', logicalType: 'time-micros' },
  UUID: { type: 'string', logicalType: 'uuid' },
  JSON: { type: 'string', logicalType: 'json' },
};

/** Splits `a VARCHAR, b STRUCT(c INTEGER, d VARCHAR)` at its top-level commas. */
function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '"') quoted = !quoted;
    else if (!quoted && ch === '(') depth++;
    else if (!quoted && ch === ')') depth--;
    else if (!quoted && depth === 0 && ch === ',') {
      parts.push(text.slice(start, i).trim());
      start = i + 1;
    }
  }
  parts.push(text.slice(start).trim());
  return parts.filter((p) => p.length > 0);
}

/** The members of a `STRUCT(...)` type. */
export function structMembers(type: string): DuckdbMember[] {
  const inner = type.trim().slice('STRUCT('.length, -1);
  return splitTopLevel(inner).map((part) => {
    const m = /^"((?:[^"]|"")*)"\s+(.*)$/s.exec(part) ?? /^(\S+)\s+(.*)$/s.exec(part);
    return { name: m ? m[1]!.replaceAll('""', '"') : part, type: m ? m[2]! : '' };
  });
}

/** What a struct member becomes in the contract: its Avro field, with the classification the caller decides. */
export type MemberField = (member: DuckdbMember, type: AvroType) => Record<string, unknown>;

/**
 * The Avro type of a DuckDB column type, or why it has none. `name` names the record a struct
 * becomes (its column's name in PascalCase); `member` writes each struct member's field.
 */
export function avroOfDuckdb(type: string, name: string, member: MemberField): AvroType | { readonly unsupported: string } {
  const t = type.trim();
  const list = /^(.*)\[\d*\]$/s.exec(t);
  if (list) {
    const items = avroOfDuckdb(list[1]!, name, member);
    return isUnsupported(items) ? items : { type: 'array', items };
  }
  const decimal = /^DECIMAL\((\d+),\s*(\d+)\)$/i.exec(t);
  if (decimal) return { type: 'bytes', logicalType: 'decimal', precision: Number(decimal[1]), scale: Number(decimal[2]) };
  if (/^STRUCT\(/i.test(t) && t.endsWith(')')) {
    const fields: Record<string, unknown>[] = [];
    for (const m of structMembers(t)) {
      const inner = avroOfDuckdb(m.type, `${name}${pascalCase(m.name)}`, member);
      if (isUnsupported(inner)) return { unsupported: `member "${m.name}": ${inner.unsupported}` };
      fields.push(member(m, inner));
    }
    return { type: 'record', name: pascalCase(name), fields };
  }
  const scalar = SCALARS[t.toUpperCase()];
  return scalar ?? { unsupported: `DuckDB type ${t} has no contract type yet (supported: ${Object.keys(SCALARS).join(', ')}, DECIMAL(p,s), lists T[] and STRUCT(...))` };
}

/** Whether {@link avroOfDuckdb} found no type. */
export function isUnsupported(t: AvroType | { readonly unsupported: string }): t is { readonly unsupported: string } {
  return typeof t === 'object' && !Array.isArray(t) && typeof (t as { unsupported?: unknown }).unsupported === 'string';
}
