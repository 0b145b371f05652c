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
};

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
`;

/** The federation link every subgraph starts with. */
export const FEDERATION_LINK = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable", "@external"])';
