/**
 * A lineage graph in Graphviz's DOT language: products as boxes (the graph's own product bold),
 * sources as cylinders, inputs as arrows, references dashed; with columns, one cluster per node
 * holding the columns the edges name, column to column. Every id and label is a quoted string.
 */
import { columnEdgeLabel, columnsByNode, nodeLines } from './describeNode.js';
import type { LineageGraph } from './LineageGraph.js';

/** A DOT quoted string: backslashes and quotes escaped, line breaks as `\n`. */
export const dotString = (text: string): string => `"${text.replaceAll('\\', '\\\\').replaceAll('"', '\\"').replace(/\r?\n/g, '\\n')}"`;

/** The graph as DOT; `columns` draws the column-level edges instead of the product-level ones. */
export function toDot(graph: LineageGraph, options: { readonly columns?: boolean } = {}): string {
  const lines = [
    `digraph ${dotString(`lineage of ${graph.product}`)} {`,
    '  rankdir=LR;',
    '  node [shape=box, fontname="Helvetica"];',
    '  edge [fontname="Helvetica", fontsize=10];',
  ];
  const focus = `product:${graph.product}`;
  if (!options.columns) {
    for (const n of graph.nodes) {
      const attrs = [
        `label=${dotString(nodeLines(n).join('\n'))}`,
        ...(n.kind === 'source' ? ['shape=cylinder'] : []),
        ...(n.id === focus ? ['style=bold', 'penwidth=2'] : []),
        ...(n.kind === 'product' && n.missing ? ['style=dotted'] : []),
      ];
      lines.push(`  ${dotString(n.id)} [${attrs.join(', ')}];`);
    }
    for (const e of graph.edges) {
      const attrs = e.kind === 'reference' ? ` [style=dashed, label=${dotString(`references (${(e.fields ?? []).join(', ')})`)}]` : '';
      lines.push(`  ${dotString(e.from)} -> ${dotString(e.to)}${attrs};`);
    }
  } else {
    const byNode = columnsByNode(graph);
    const partial = new Set(graph.partial.map((p) => `${p.node}#${p.column}`));
    graph.nodes.forEach((n, i) => {
      const columns = byNode.get(n.id);
      if (!columns) return;
      lines.push(`  subgraph cluster_${i} {`, `    label=${dotString(nodeLines(n).join('\n'))};`, ...(n.id === focus ? ['    penwidth=2;'] : []));
      for (const c of columns)
        lines.push(
          `    ${dotString(`${n.id}#${c}`)} [label=${dotString(partial.has(`${n.id}#${c}`) ? `${c} (partial)` : c)}${partial.has(`${n.id}#${c}`) ? ', style=dashed' : ''}];`,
        );
      lines.push('  }');
    });
    for (const e of graph.columns) {
      const label = columnEdgeLabel(e);
      const attrs = label ? ` [label=${dotString(label)}${e.kind === 'aggregate' ? ', style=bold' : ''}]` : '';
      lines.push(`  ${dotString(`${e.from.node}#${e.from.column}`)} -> ${dotString(`${e.to.node}#${e.to.column}`)}${attrs};`);
    }
  }
  lines.push('}');
  return `${lines.join('\n')}\n`;
}
