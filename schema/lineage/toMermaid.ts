/**
 * A lineage graph as a Mermaid flowchart (left to right): products as boxes (the graph's own
 * product thick-bordered), sources as cylinders, inputs as arrows, references dotted; with
 * columns, one subgraph per node holding its columns, column to column. Ids are generated (n0,
 * c0, ...), so no product name can clash with Mermaid's keywords; every label is quoted and escaped.
 */
import { columnEdgeLabel, columnsByNode, nodeLines } from './describeNode.js';
import type { LineageGraph } from './LineageGraph.js';

/** Text for a quoted Mermaid label: `#`, quotes and angle brackets as Mermaid's entity codes. */
export const mermaidText = (text: string): string => text.replaceAll('#', '#35;').replaceAll('"', '#quot;').replaceAll('<', '#lt;').replaceAll('>', '#gt;');

/** A node's two lines as one quoted label. */
const label = (lines: readonly string[]): string => `"${lines.map(mermaidText).join('<br/>')}"`;

/** The graph as a Mermaid flowchart; `columns` draws the column-level edges instead of the product-level ones. */
export function toMermaid(graph: LineageGraph, options: { readonly columns?: boolean } = {}): string {
  const lines = ['flowchart LR'];
  const focus = `product:${graph.product}`;
  const ids = new Map(graph.nodes.map((n, i) => [n.id, `n${i}`]));
  if (!options.columns) {
    for (const n of graph.nodes) lines.push(`  ${ids.get(n.id)}${n.kind === 'source' ? `[(${label(nodeLines(n))})]` : `[${label(nodeLines(n))}]`}`);
    for (const e of graph.edges) {
      lines.push(
        e.kind === 'reference'
          ? `  ${ids.get(e.from)} -.->|${label([`references (${(e.fields ?? []).join(', ')})`])}| ${ids.get(e.to)}`
          : `  ${ids.get(e.from)} --> ${ids.get(e.to)}`,
      );
    }
    if (ids.has(focus)) lines.push('  classDef focus stroke-width:3px', `  class ${ids.get(focus)} focus`);
  } else {
    const byNode = columnsByNode(graph);
    const partial = new Set(graph.partial.map((p) => `${p.node}#${p.column}`));
    const columnIds = new Map<string, string>();
    for (const n of graph.nodes) {
      const columns = byNode.get(n.id);
      if (!columns) continue;
      lines.push(`  subgraph ${ids.get(n.id)}[${label(nodeLines(n))}]`);
      for (const c of columns) {
        const key = `${n.id}#${c}`;
        columnIds.set(key, `c${columnIds.size}`);
        lines.push(`    ${columnIds.get(key)}[${label([partial.has(key) ? `${c} (partial)` : c])}]`);
      }
      lines.push('  end');
    }
    for (const e of graph.columns) {
      const text = columnEdgeLabel(e);
      const arrow = e.kind === 'aggregate' ? '==>' : '-->';
      lines.push(`  ${columnIds.get(`${e.from.node}#${e.from.column}`)} ${arrow}${text ? `|${label([text])}|` : ''} ${columnIds.get(`${e.to.node}#${e.to.column}`)}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
