/**
 * GraphQL operations over a sample product, built from its reference table's metadata with the
 * arguments passed as variables, so a test states only the arguments and the fields it wants.
 */
import type { Row, Table } from './referenceRows.js';
import type { OrderBy, Where } from './expectedRows.js';
import type { GraphQLResponse, TestMesh } from './startTestMesh.js';

/** Arguments of a list or connection query. */
export interface ListArgs {
  readonly where?: Where;
  readonly orderBy?: OrderBy;
  readonly limit?: number;
  readonly offset?: number;
}

/** The data of a response that must have succeeded; fails with the errors otherwise. */
export function dataOf<T>(response: GraphQLResponse<T>): T {
  if (response.errors?.length || !response.data) throw new Error(`expected data, got ${response.text.slice(0, 2000)}`);
  return response.data;
}

/** The `<Type>Field` enum value naming a field in `groupBy`: `birthDate` → `BIRTH_DATE`. */
export const enumOf = (field: string): string => field.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase();

const fieldsOf = (table: Table, fields?: readonly string[]): string => (fields ?? Object.keys(table.fields)).join(' ');

/** `orders(where, orderBy, limit, offset) { fields }` with every argument a variable. */
export function listQuery(table: Table, fields?: readonly string[]): string {
  const t = table.typeName;
  return `query List($where: ${t}Where, $orderBy: [${t}OrderBy!], $limit: Int, $offset: Int) {
    ${table.name}(where: $where, orderBy: $orderBy, limit: $limit, offset: $offset) { ${fieldsOf(table, fields)} }
  }`;
}

/** `ordersConnection(where, orderBy, first, after) { totalCount pageInfo edges }`. */
export function connectionQuery(table: Table, fields?: readonly string[]): string {
  const t = table.typeName;
  return `query Page($where: ${t}Where, $orderBy: [${t}OrderBy!], $first: Int, $after: String) {
    ${table.name}Connection(where: $where, orderBy: $orderBy, first: $first, after: $after) {
      totalCount pageInfo { hasNextPage endCursor } edges { cursor node { ${fieldsOf(table, fields)} } }
    }
  }`;
}

/** One page of a connection as the API returns it. */
export interface Page {
  readonly totalCount: number;
  readonly pageInfo: { readonly hasNextPage: boolean; readonly endCursor: string | null };
  readonly edges: readonly { readonly cursor: string; readonly node: Row }[];
}

/** Runs a list query; fails the test on any error. */
export async function fetchList(mesh: TestMesh, table: Table, args: ListArgs, fields?: readonly string[]): Promise<Row[]> {
  return dataOf(await mesh.query<Record<string, Row[]>>(listQuery(table, fields), { ...args }))[table.name]!;
}

/** Runs one connection page; fails the test on any error. */
export async function fetchPage(mesh: TestMesh, table: Table, args: ListArgs & { first?: number; after?: string | null }, fields?: readonly string[]): Promise<Page> {
  const { limit: _limit, offset: _offset, ...vars } = args;
  return dataOf(await mesh.query<Record<string, Page>>(connectionQuery(table, fields), vars))[`${table.name}Connection`]!;
}

/** Walks a connection with `after: endCursor` until `hasNextPage` is false. */
export async function walkConnection(mesh: TestMesh, table: Table, args: ListArgs & { first: number }, fields?: readonly string[]): Promise<{ rows: Row[]; pages: Page[] }> {
  const pages: Page[] = [];
  let after: string | null = null;
  for (;;) {
    const page: Page = await fetchPage(mesh, table, { ...args, after }, fields);
    pages.push(page);
    if (!page.pageInfo.hasNextPage) break;
    if (pages.length > 1000) throw new Error('walkConnection: more than 1000 pages, the cursor does not advance');
    after = page.pageInfo.endCursor;
  }
  return { rows: pages.flatMap((p) => p.edges.map((e) => e.node)), pages };
}

/** Reads a whole list with `limit`/`offset` pages. */
export async function walkOffsets(mesh: TestMesh, table: Table, args: ListArgs & { limit: number }, fields?: readonly string[]): Promise<{ rows: Row[]; pages: number }> {
  const rows: Row[] = [];
  for (let pages = 1; ; pages++) {
    const page = await fetchList(mesh, table, { ...args, offset: rows.length }, fields);
    rows.push(...page);
    if (page.length < args.limit) return { rows, pages };
  }
}
