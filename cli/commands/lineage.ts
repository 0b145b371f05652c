/**
 * `meshgate lineage PRODUCT`: the product's lineage across the mesh, from its declaration (inputs
 * upstream to the operational sources, consumers downstream) and, with --columns, the column
 * lineage its served versions recorded at build time. The graph on stdout (JSON, DOT or Mermaid),
 * notes on stderr; exit 2 for an unknown product or a bad option.
 */
import { buildLineageGraph, productsByName, readServedLineage, toDot, toMermaid, type LineageGraph } from '../../schema/index.js';
import { readConfig } from '../config.js';
import { type Command, parseOptions, UsageError } from '../Command.js';
import { loadServedMesh } from '../mesh/loadServedMesh.js';

const help = `Usage: meshgate lineage PRODUCT [--format json|dot|mermaid] [--columns]

Prints a product's lineage: upstream along its declared inputs to the operational sources (by
type) and the upstream products (with their domains), downstream to the products built from it
and those whose fields reference it. With --columns, which column comes from which: the column
lineage each served version recorded when it was built, derived from its transform's SQL (a
column the SQL alone could not trace is marked partial).

Options:
  --format F   json (default), dot (Graphviz) or mermaid (a flowchart)
  --columns    column-level edges: added to the JSON; drawn instead of the product-level ones in dot and mermaid

Exit codes: 0 printed, 2 a usage error or an unknown product.`;

const FORMATS = ['json', 'dot', 'mermaid'] as const;
type Format = (typeof FORMATS)[number];

/** The graph in `format`. */
function render(graph: LineageGraph, format: Format, columns: boolean): string {
  if (format === 'dot') return toDot(graph, { columns });
  if (format === 'mermaid') return toMermaid(graph, { columns });
  const { product, nodes, edges } = graph;
  return `${JSON.stringify(columns ? graph : { product, nodes, edges }, null, 2)}\n`;
}

/** The `lineage` command. */
export const command: Command = {
  help,
  async run(args) {
    const { values, positionals } = parseOptions(args, { format: { type: 'string' }, columns: { type: 'boolean' } });
    const format = (values.format ?? 'json') as Format;
    if (!FORMATS.includes(format)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')}, got "${values.format}"`);
    if (positionals.length !== 1) throw new UsageError(`expected one PRODUCT, got ${positionals.length ? positionals.map((p) => `"${p}"`).join(' ') : 'none'}`);
    const note = (line: string): void => void process.stderr.write(`note: ${line}\n`);
    const mesh = await loadServedMesh(readConfig(), note);
    const products = productsByName(mesh);
    const product = products.get(positionals[0]!);
    if (!product) throw new UsageError(`unknown product "${positionals[0]}": expected one of ${[...products.keys()].sort().join(', ') || '(none: the mesh has no product)'}`);
    const served = await readServedLineage(products.values(), note);
    const graph = buildLineageGraph(product, products, served);
    const own = served.get(product.name);
    if (!own)
      note(
        `${product.name} has never been built (no published version), so no version records its column lineage yet: this is its declared lineage (run "meshgate build ${product.name}")`,
      );
    else if (!own.lineage?.columns.length) note(`${product.name}'s served version ${own.version} records no column lineage (it was not built from a transform)`);
    const others = graph.withoutColumns.filter((n) => n !== product.name);
    if (values.columns && others.length) note(`no column lineage recorded for ${others.join(', ')} (never built, or published from files)`);
    if (values.columns && graph.partial.length)
      note(`${graph.partial.length} column(s) with partial lineage: ${graph.partial.map((p) => `${p.node.replace(/^product:/, '')}.${p.column}`).join(', ')}`);
    process.stdout.write(render(graph, format, values.columns ?? false));
    return 0;
  },
};
