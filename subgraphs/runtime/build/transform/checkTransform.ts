/**
 * Judges a transform before it runs, from DuckDB's own parse tree (`json_serialize_sql`), so the
 * check reads the SQL exactly as DuckDB will: it must be one SELECT, read only tables the
 * descriptor declares as inputs (or its own CTEs), name no schema or catalog, and call no table
 * function that reads files or the system. The session it then runs in can read nothing else anyway
 * (BuildSession.lockDown); this check is what turns a mistake into a message that names it.
 */
import { buildParseTree } from '../../sql/index.js';
import { BuildError } from '../BuildEnv.js';
import type { BuildSession } from '../BuildSession.js';

/** A JSON node of DuckDB's parse tree. */
export type TreeNode = { readonly [key: string]: unknown };

/** Table functions that read no file and no system state. */
const SAFE_TABLE_FUNCTIONS = new Set(['range', 'generate_series', 'unnest']);

/** A transform that passed: its SELECT text (one statement, no trailing semicolon) and its parse tree. */
export interface CheckedTransform {
  readonly select: string;
  readonly tree: TreeNode;
  /** The input tables it reads. */
  readonly reads: ReadonlySet<string>;
}

/** Visits every object of a parse tree. */
export function walkTree(node: unknown, visit: (n: TreeNode) => void): void {
  if (Array.isArray(node)) node.forEach((n) => walkTree(n, visit));
  else if (node && typeof node === 'object') {
    visit(node as TreeNode);
    for (const v of Object.values(node)) walkTree(v, visit);
  }
}

/** Checks `sql` against the tables `declared` (input name → table name); throws a BuildError naming what is wrong. */
export async function checkTransform(session: BuildSession, product: string, file: string, sql: string, declared: ReadonlyMap<string, string>): Promise<CheckedTransform> {
  const select = sql.trim().replace(/;\s*$/, '');
  if (!select) throw new BuildError(product, `its transform ${file} is empty: expected one SELECT over its inputs`);
  const [row] = await session.rows(buildParseTree(select));
  const parsed = JSON.parse(String(row?.tree ?? '{}')) as { error?: boolean; error_message?: string; statements?: TreeNode[] };
  if (parsed.error) {
    const why = parsed.error_message ?? 'it does not parse';
    throw new BuildError(product, `its transform ${file} is not one SELECT: ${/Only SELECT/.test(why) ? 'it holds a statement other than SELECT' : why.split('\n')[0]}`);
  }
  if ((parsed.statements ?? []).length !== 1)
    throw new BuildError(product, `its transform ${file} holds ${parsed.statements?.length ?? 0} statements: expected exactly one SELECT`);
  const tree = parsed.statements![0]!;
  const ctes = new Set<string>();
  const tables: string[] = [];
  const problems: string[] = [];
  walkTree(tree, (n) => {
    const map = (n.cte_map as { map?: { key: string }[] } | undefined)?.map;
    for (const c of map ?? []) ctes.add(c.key.toLowerCase());
    if (n.type === 'BASE_TABLE') {
      if (n.schema_name || n.catalog_name)
        problems.push(`it names ${[n.catalog_name, n.schema_name, n.table_name].filter(Boolean).join('.')}: a transform reads its inputs by name, with no schema or catalog`);
      tables.push(String(n.table_name).toLowerCase());
    }
    if (n.type === 'TABLE_FUNCTION') {
      const fn = (n.function as { function_name?: string } | undefined)?.function_name?.toLowerCase() ?? '?';
      if (!SAFE_TABLE_FUNCTIONS.has(fn)) problems.push(`it calls ${fn}(): a transform reads its declared inputs only, never files or the system`);
    }
  });
  const known = new Map([...declared].map(([source, table]) => [table.toLowerCase(), source]));
  const reads = new Set<string>();
  for (const t of tables) {
    if (ctes.has(t)) continue;
    if (known.has(t)) reads.add(t);
    else problems.push(`it reads "${t}", which is not a declared input (declared: ${[...declared].map(([s, tb]) => `${s} as ${tb}`).join(', ') || 'none'})`);
  }
  if (problems.length > 0) throw new BuildError(product, `its transform ${file} cannot run: ${[...new Set(problems)].join('; ')}`);
  return { select, tree, reads };
}
