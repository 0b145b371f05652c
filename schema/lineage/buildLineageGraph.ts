/**
 * Builds a product's lineage graph from the mesh's declarations and the served versions' records:
 * upstream along declared inputs to the operational sources, downstream along the products whose
 * inputs name it, transitively both ways; references one hop each way (a product whose fields
 * reference the key of another, a look-up rather than a data flow, so not followed further).
 */
import type { DataProduct } from '../descriptor/DataProduct.js';
import type { Lineage } from '../publish/VersionRecord.js';
import { productNodeId, sourceNodeId, type ColumnEdge, type LineageEdge, type LineageGraph, type LineageNode, type PartialColumn } from './LineageGraph.js';

/** What the graph knows of a product's served version. */
export interface ServedLineage {
  readonly version: string;
  /** The lineage its record holds, if any. */
  readonly lineage?: Lineage;
}

/** The lineage graph of `product` in a mesh of `products`, with each product's served version (by name) where it has one. */
export function buildLineageGraph(product: DataProduct, products: ReadonlyMap<string, DataProduct>, served: ReadonlyMap<string, ServedLineage> = new Map()): LineageGraph {
  const nodes = new Map<string, LineageNode>();
  const edges = new Map<string, LineageEdge>();
  const addProduct = (name: string, domain?: string): string => {
    const id = productNodeId(name);
    const p = products.get(name);
    const version = served.get(name)?.version;
    if (!nodes.has(id))
      nodes.set(id, { id, kind: 'product', name, domain: p?.domain ?? domain ?? '', ...(version !== undefined && { version }), ...(!p && { missing: true as const }) });
    return id;
  };
  const addEdge = (edge: LineageEdge): void => void edges.set(`${edge.kind} ${edge.from} ${edge.to}`, edge);

  const upstream = (p: DataProduct): void => {
    for (const input of p.inputs) {
      const seen = nodes.has(productNodeId(input.source));
      const from = input.type === 'data-product' ? addProduct(input.source, input.domain) : addSource(nodes, p.domain, input.source, input.type);
      addEdge({ from, to: productNodeId(p.name), kind: 'input' });
      const up = input.type === 'data-product' ? products.get(input.source) : undefined;
      if (up && !seen) upstream(up);
    }
  };
  const downstream = (p: DataProduct): void => {
    for (const consumer of products.values()) {
      if (!consumer.inputs.some((i) => i.type === 'data-product' && i.source === p.name)) continue;
      const seen = nodes.has(productNodeId(consumer.name));
      addEdge({ from: productNodeId(p.name), to: addProduct(consumer.name), kind: 'input' });
      if (!seen) downstream(consumer);
    }
  };

  addProduct(product.name);
  upstream(product);
  downstream(product);
  for (const [target, fields] of referencedBy(product)) addEdge({ from: addProduct(target), to: productNodeId(product.name), kind: 'reference', fields });
  for (const p of products.values()) {
    const fields = referencedBy(p).get(product.name);
    if (fields && p.name !== product.name) addEdge({ from: productNodeId(product.name), to: addProduct(p.name), kind: 'reference', fields });
  }
  return { product: product.name, nodes: [...nodes.values()], edges: [...edges.values()], ...columnLevel(nodes, products, served) };
}

/** The whole mesh's lineage: every product's graph, merged (each node and edge once); its `product` is empty. */
export function buildMeshLineage(products: ReadonlyMap<string, DataProduct>, served: ReadonlyMap<string, ServedLineage> = new Map()): LineageGraph {
  const nodes = new Map<string, LineageNode>();
  const edges = new Map<string, LineageEdge>();
  const columns = new Map<string, ColumnEdge>();
  const partial = new Map<string, PartialColumn>();
  const withoutColumns = new Set<string>();
  for (const p of products.values()) {
    const g = buildLineageGraph(p, products, served);
    for (const n of g.nodes) if (!nodes.has(n.id) || (n.kind === 'product' && !n.missing)) nodes.set(n.id, n);
    for (const e of g.edges) edges.set(`${e.kind} ${e.from} ${e.to}`, e);
    for (const c of g.columns) columns.set(`${c.from.node}.${c.from.column} ${c.to.node}.${c.to.column}`, c);
    for (const c of g.partial) partial.set(`${c.node}.${c.column}`, c);
    for (const w of g.withoutColumns) withoutColumns.add(w);
  }
  return {
    product: '',
    nodes: [...nodes.values()],
    edges: [...edges.values()],
    columns: [...columns.values()],
    partial: [...partial.values()],
    withoutColumns: [...withoutColumns],
  };
}

/** The source node of an input, added once. */
function addSource(nodes: Map<string, LineageNode>, domain: string, source: string, type: string): string {
  const id = sourceNodeId(domain, source);
  if (!nodes.has(id)) nodes.set(id, { id, kind: 'source', name: source, type, domain });
  return id;
}

/** The products `p`'s fields reference (one column each, or several in a composite reference), with the referencing fields. */
function referencedBy(p: DataProduct): Map<string, string[]> {
  const targets = new Map<string, string[]>();
  const add = (product: string, columns: readonly string[]): void => void targets.set(product, [...(targets.get(product) ?? []), ...columns]);
  for (const f of p.contract.fields) if (f.references) add(f.references.product, [f.name]);
  for (const r of p.contract.references) add(r.product, r.columns);
  return targets;
}

/** The column edges among the graph's nodes, the partial columns, and the products whose served version has no column lineage. */
function columnLevel(
  nodes: ReadonlyMap<string, LineageNode>,
  products: ReadonlyMap<string, DataProduct>,
  served: ReadonlyMap<string, ServedLineage>,
): Pick<LineageGraph, 'columns' | 'partial' | 'withoutColumns'> {
  const columns: ColumnEdge[] = [];
  const partial: PartialColumn[] = [];
  const withoutColumns: string[] = [];
  for (const node of nodes.values()) {
    const p = node.kind === 'product' ? products.get(node.name) : undefined;
    if (!p) continue;
    const lines = served.get(p.name)?.lineage?.columns ?? [];
    if (lines.length === 0) withoutColumns.push(p.name);
    for (const line of lines) {
      for (const f of line.from) {
        const input = p.inputs.find((i) => i.source === f.source);
        const from = input?.type === 'data-product' ? productNodeId(f.source) : sourceNodeId(p.domain, f.source);
        if (nodes.has(from)) columns.push({ from: { node: from, column: f.column }, to: { node: node.id, column: line.column }, kind: line.kind });
      }
      if (line.complete === false) partial.push({ node: node.id, column: line.column, unresolved: line.unresolved ?? [] });
    }
  }
  return { columns, partial, withoutColumns };
}
