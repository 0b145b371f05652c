/**
 * The custom scalars: Date, DateTime, BigInt, Decimal, UUID, Time and JSON. Inputs are validated here, so a bad date is a
 * BAD_USER_INPUT before any SQL runs; outputs turn DuckDB's text into ISO 8601.
 */
import { GraphQLScalarType, Kind, valueFromASTUntyped, type ValueNode } from 'graphql';
import { BadUserInputError } from '../../../schema/index.js';

const bad = (message: string): BadUserInputError => new BadUserInputError(message);

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATETIME = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

function validDate(y: number, m: number, d: number): boolean {
  const t = new Date(Date.UTC(y, m - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
}

function parseDate(value: unknown): string {
  const m = typeof value === 'string' ? DATE.exec(value) : null;
  if (!m || !validDate(Number(m[1]), Number(m[2]), Number(m[3]))) throw bad(`Expected a Date as YYYY-MM-DD, got ${JSON.stringify(value)}.`);
  return value as string;
}

/** Parses ISO 8601 into DuckDB's UTC timestamp text, keeping microseconds. */
function parseDateTime(value: unknown): string {
  const m = typeof value === 'string' && value.length < 64 ? DATETIME.exec(value) : null;
  if (!m || !validDate(Number(m[1]), Number(m[2]), Number(m[3])) || Number(m[4] ?? 0) > 23 || Number(m[5] ?? 0) > 59 || Number(m[6] ?? 0) > 59) {
    throw bad(`Expected a DateTime in ISO 8601 such as 2026-01-31T12:00:00Z, got ${JSON.stringify(value)}.`);
  }
  const fraction = (m[7] ?? '').padEnd(6, '0').slice(0, 6);
  let offsetMin = 0;
  if (m[8] && m[8].toUpperCase() !== 'Z') {
    const o = m[8].replace(':', '');
    offsetMin = (o[0] === '-' ? -1 : 1) * (Number(o.slice(1, 3)) * 60 + Number(o.slice(3, 5) || 0));
  }
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0)) - offsetMin * 60_000;
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}.${fraction}`;
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

function parseBigInt(value: unknown): string {
  const text = typeof value === 'number' && Number.isSafeInteger(value) ? String(value) : value;
  if (typeof text !== 'string' || !/^-?\d{1,19}$/.test(text) || BigInt(text) < INT64_MIN || BigInt(text) > INT64_MAX) {
    throw bad(`Expected a BigInt (a 64-bit integer, as a string), got ${JSON.stringify(value)}.`);
  }
  return BigInt(text).toString();
}

function literal(parse: (v: unknown) => string) {
  return (ast: ValueNode): string => {
    if (ast.kind === Kind.STRING || ast.kind === Kind.INT) return parse(ast.kind === Kind.INT ? Number(ast.value) : ast.value);
    throw bad(`Expected a string literal, got a ${ast.kind.toLowerCase().replace('value', '')} value.`);
  };
}

/** `YYYY-MM-DD`. */
export const DateScalar = new GraphQLScalarType({
  name: 'Date',
  serialize: (v) => String(v).slice(0, 10),
  parseValue: parseDate,
  parseLiteral: literal(parseDate),
});

/** ISO 8601 in UTC with microseconds: `2026-01-31T12:00:00.000000Z`. */
export const DateTimeScalar = new GraphQLScalarType({
  name: 'DateTime',
  serialize: (v) => {
    const s = String(v);
    // ISO text already (a version's times): the same microsecond form as DuckDB's.
    const iso = /^(.+T\d{2}:\d{2}:\d{2})(?:\.(\d+))?Z$/.exec(s);
    if (iso) return `${iso[1]}.${(iso[2] ?? '').padEnd(6, '0').slice(0, 6)}Z`;
    if (s.endsWith('Z')) return s;
    const [day, time = '00:00:00'] = s.split(' ');
    const [hms, fraction = ''] = time.split('.');
    return `${day}T${hms}.${fraction.padEnd(6, '0')}Z`;
  },
  parseValue: parseDateTime,
  parseLiteral: literal(parseDateTime),
});

/** A 64-bit integer as a string. */
export const BigIntScalar = new GraphQLScalarType({
  name: 'BigInt',
  serialize: (v) => String(v),
  parseValue: parseBigInt,
  parseLiteral: (ast) => {
    if (ast.kind === Kind.INT || ast.kind === Kind.STRING) return parseBigInt(ast.value);
    throw bad('Expected a BigInt as an integer or a string.');
  },
});

const DECIMAL = /^[-+]?(\d+)(?:\.(\d+))?$/;

/** An exact decimal as text: DuckDB casts it to the column's DECIMAL(p,s) itself, so no digit passes through a double. */
function parseDecimal(value: unknown): string {
  const text = typeof value === 'number' && Number.isFinite(value) ? String(value) : value;
  const m = typeof text === 'string' && text.length <= 80 ? DECIMAL.exec(text.trim()) : null;
  if (!m || m[1]!.replace(/^0+(?=\d)/, '').length + (m[2]?.length ?? 0) > 38) {
    throw bad(`Expected a Decimal such as "12.30" (a string of at most 38 digits, with an optional point), got ${JSON.stringify(value)}.`);
  }
  return (text as string).trim();
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function parseUuid(value: unknown): string {
  if (typeof value !== 'string' || !UUID.test(value)) throw bad(`Expected a UUID such as "123e4567-e89b-12d3-a456-426614174000", got ${JSON.stringify(value)}.`);
  return value.toLowerCase();
}

const TIME = /^([01]\d|2[0-3]):([0-5]\d)(?::([0-5]\d)(?:\.(\d{1,6}))?)?$/;

function parseTime(value: unknown): string {
  const m = typeof value === 'string' ? TIME.exec(value) : null;
  if (!m) throw bad(`Expected a Time as HH:MM:SS with up to six fractional digits, such as "12:30:00.5", got ${JSON.stringify(value)}.`);
  return `${m[1]}:${m[2]}:${m[3] ?? '00'}.${(m[4] ?? '').padEnd(6, '0')}`;
}

/** An exact decimal as a string, as DuckDB writes it with the column's scale: `12.30`. */
export const DecimalScalar = new GraphQLScalarType({
  name: 'Decimal',
  serialize: (v) => String(v),
  parseValue: parseDecimal,
  parseLiteral: (ast) => {
    if (ast.kind === Kind.STRING || ast.kind === Kind.INT || ast.kind === Kind.FLOAT) return parseDecimal(ast.value);
    throw bad('Expected a Decimal as a string such as "12.30" or a number literal.');
  },
});

/** A UUID, lower-case canonical text. */
export const UuidScalar = new GraphQLScalarType({
  name: 'UUID',
  serialize: (v) => String(v).toLowerCase(),
  parseValue: parseUuid,
  parseLiteral: literal(parseUuid),
});

/** A time of day with microseconds: `12:30:00.000000`. */
export const TimeScalar = new GraphQLScalarType({
  name: 'Time',
  serialize: (v) => {
    const [hms = '', fraction = ''] = String(v).split('.');
    return `${hms}.${fraction.padEnd(6, '0').slice(0, 6)}`;
  },
  parseValue: parseTime,
  parseLiteral: literal(parseTime),
});

/** Any JSON value; DuckDB hands a JSON column over as its text, which is parsed once here. */
export const JsonScalar = new GraphQLScalarType({
  name: 'JSON',
  serialize: (v) => {
    if (typeof v !== 'string') return v;
    try {
      return JSON.parse(v) as unknown;
    } catch {
      return v;
    }
  },
  parseValue: (v) => v,
  parseLiteral: (ast, variables) => valueFromASTUntyped(ast, variables),
});

/** A value read from DuckDB as text, as its GraphQL type serialises it (the catalog's samples and profiles show values as text). */
export function valueAsText(value: unknown, type: string | undefined): string | null {
  if (value === null || value === undefined) return null;
  if (type === 'DateTime') return DateTimeScalar.serialize(value) as string;
  if (type === 'Date') return DateScalar.serialize(value) as string;
  if (type === 'Time') return TimeScalar.serialize(value) as string;
  return typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value);
}
