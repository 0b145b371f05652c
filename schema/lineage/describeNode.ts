/** How a lineage node and a column edge are described to a person, the same in every format. */
import type { ColumnEdge, LineageNode } from './LineageGraph.js';

/** A node's two lines: its name, then what it is (domain and served version, or the source's type). */
export function nodeLines(node: LineageNode): readonly [string, string] {
  if (node.kind === 'source') return [node.name, `${node.type} source, ${node.domain}`];
  if (node.missing) return [node.name, `${node.domain ? `${node.domain}, ` : ''}not in the mesh`];
  return [node.name, `${node.domain}, ${node.version ?? 'not built'}`];
}

/** An edge's label: how the column is made (a copy goes unlabelled). */
export const columnEdgeLabel = (edge: ColumnEdge): string | undefined => (edge.kind === 'copy' ? undefined : edge.kind);

/** The columns of each node that the column edges and partial columns name. */
export function columnsByNode(graph: { readonly columns: readonly ColumnEdge[]; readonly partial: readonly { node: string; column: string }[] }): Map<string, string[]> {
  const byNode = new Map<string, string[]>();
  const add = (node: string, column: string): void => {
    const list = byNode.get(node) ?? [];
    if (!list.includes(column)) list.push(column);
    byNode.set(node, list);
  };
  // A product's own columns first, in its lineage's (contract) order; then the input columns they read.
  for (const e of graph.columns) add(e.to.node, e.to.column);
  for (const p of graph.partial) add(p.node, p.column);
  for (const e of graph.columns) add(e.from.node, e.from.column);
  return byNode;
}
