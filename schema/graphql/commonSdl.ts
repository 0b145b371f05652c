/** The scalars, inputs and value types every subgraph declares identically, so they compose. */

/** Filter operators per filter input: equality everywhere, ordering on ordered types, patterns on strings. */
const FILTERS: Record<string, { readonly type: string; readonly ordered: boolean; readonly pattern: boolean }> = {
  IDFilter: { type: 'ID', ordered: false, pattern: false },
  StringFilter: { type: 'String', ordered: false, pattern: true },
  IntFilter: { type: 'Int', ordered: true, pattern: false },
  BigIntFilter: { type: 'BigInt', ordered: true, pattern: false },
  FloatFilter: { type: 'Float', ordered: true, pattern: false },
  BooleanFilter: { type: 'Boolean', ordered: false, pattern: false },
  DateFilter: { type: 'Date', ordered: true, pattern: false },
  DateTimeFilter: { type: 'DateTime', ordered: true, pattern: false },
  DecimalFilter: { type: 'Decimal', ordered: true, pattern: false },
  UUIDFilter: { type: 'UUID', ordered: false, pattern: false },
  TimeFilter: { type: 'Time', ordered: true, pattern: false },
};

/** The element types a list filter exists for in every subgraph (an enum's list filter is printed with the enum). */
const LIST_ELEMENTS = ['String', 'Int', 'BigInt', 'Float', 'Decimal', 'Boolean', 'Date', 'DateTime', 'UUID', 'Time'] as const;

/** The operators of an enum's filter: equality and membership. */
export function enumFilterOperators(t: string): string {
  return [
    `  "Equal to."\n  eq: ${t}`,
    `  "Not equal to (never matches null: use isNull)."\n  neq: ${t}`,
    `  "One of these values."\n  in: [${t}!]`,
    `  "None of these values (never matches null)."\n  nin: [${t}!]`,
    `  "true: only nulls; false: only non-nulls."\n  isNull: Boolean`,
  ].join('\n');
}

/** `<Elem>ListFilter`: conditions on a list field, by its elements. */
export function listFilterInput(t: string): string {
  const lines = [
    `  "The list holds this value."\n  contains: ${t}`,
    `  "The list holds at least one of these values."\n  containsAny: [${t}!]`,
    `  "The list holds every one of these values."\n  containsAll: [${t}!]`,
    `  "true: only empty lists; false: only lists with elements (a null list is neither)."\n  isEmpty: Boolean`,
    `  "true: only nulls; false: only non-nulls."\n  isNull: Boolean`,
  ];
  return `"Conditions on a list of ${t}; all given conditions must hold."\ninput ${t}ListFilter {\n${lines.join('\n')}\n}`;
}

function filterInput(name: string, spec: (typeof FILTERS)[string]): string {
  const t = spec.type;
  const lines = [
    `  "Equal to."\n  eq: ${t}`,
    `  "Not equal to (never matches null: use isNull)."\n  neq: ${t}`,
    `  "One of these values."\n  in: [${t}!]`,
    `  "None of these values (never matches null)."\n  nin: [${t}!]`,
    `  "true: only nulls; false: only non-nulls."\n  isNull: Boolean`,
  ];
  if (spec.ordered) lines.push(`  gt: ${t}`, `  gte: ${t}`, `  lt: ${t}`, `  lte: ${t}`);
  if (spec.pattern) {
    lines.push('  "SQL LIKE pattern: % matches any run of characters, _ one character, \\\\ escapes them."\n  like: String');
    lines.push('  "Case-insensitive LIKE."\n  ilike: String');
  }
  return `"Conditions on a ${t} field; all given conditions must hold."\ninput ${name} {\n${lines.join('\n')}\n}`;
}

/** The SDL every subgraph shares. */
export const COMMON_SDL = `
"A calendar date, ISO 8601 (YYYY-MM-DD)."
scalar Date
"A point in time, ISO 8601 in UTC (YYYY-MM-DDTHH:MM:SS.ssssssZ)."
scalar DateTime
"A 64-bit integer, serialised as a string so no precision is lost."
scalar BigInt
"An exact decimal number, serialised as a string with its scale's digits (12.30), so no precision is lost."
scalar Decimal
"A UUID, in its canonical text form (8-4-4-4-12 hexadecimal digits)."
scalar UUID
"A time of day, HH:MM:SS with up to six fractional digits (12:30:00.123456)."
scalar Time
"Any JSON value."
scalar JSON

"Sort order; ASC puts nulls last and DESC puts them first unless the value says otherwise."
enum SortDirection {
  ASC
  DESC
  ASC_NULLS_FIRST
  DESC_NULLS_LAST
}

"Where a page of a connection stands."
type PageInfo @shareable {
  hasNextPage: Boolean!
  endCursor: String
}

${Object.entries(FILTERS)
  .map(([name, spec]) => filterInput(name, spec))
  .join('\n\n')}

"Conditions on a JSON field: only whether it is null."
input JSONFilter {
  "true: only nulls; false: only non-nulls."
  isNull: Boolean
}

${LIST_ELEMENTS.map(listFilterInput).join('\n\n')}
`;

/** The federation link every subgraph starts with. */
export const FEDERATION_LINK = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable", "@external"])';
