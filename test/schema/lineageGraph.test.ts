/** The lineage graph built from declarations and served versions' records, and its DOT and Mermaid, on hand-made meshes. */
import { buildLineageGraph, toDot, toMermaid, type DataProduct, type Lineage, type ProductInput } from '../../schema/index.js';
import { dotProblems, mermaidProblems } from '../support/diagramSyntax.js';

/** A product with just what lineage reads: its domain, inputs and contract fields (with references). */
function product(name: string, domain: string, inputs: readonly ProductInput[], fields: readonly { name: string; references?: string }[] = [{ name: 'id' }]): DataProduct {
  const contractFields = fields.map((f) => ({ name: f.name, ...(f.references && { references: { product: f.references, field: 'id' } }) }));
  return { name, domain, inputs, contract: { fields: contractFields, references: [] } } as unknown as DataProduct;
}

const mesh = (...products: DataProduct[]): Map<string, DataProduct> => new Map(products.map((p) => [p.name, p]));

const RAW = product('raw-events', 'ingest', [{ source: 'clicks', type: 'kafka' }]);
const PROFILES = product('profiles', 'crm', [
  { source: 'crm-db', type: 'postgres-cdc' },
  { source: 'raw-events', type: 'data-product', domain: 'ingest' },
]);
const ORDERS = product(
  'orders',
  'shop',
  [
    { source: 'orders-db', type: 'postgres-cdc' },
    { source: 'profiles', type: 'data-product', domain: 'crm' },
  ],
  [{ name: 'id' }, { name: 'customer_id', references: 'profiles' }],
);
const REPORT = product('report', 'finance', [{ source: 'orders', type: 'data-product', domain: 'shop' }]);
const AUDIT = product('audit', 'gov', [], [{ name: 'id' }, { name: 'order_id', references: 'orders' }]);
const UNRELATED = product('unrelated', 'other', [{ source: 'crm-db', type: 'postgres-cdc' }]);
const MESH = mesh(RAW, PROFILES, ORDERS, REPORT, AUDIT, UNRELATED);

describe('a product lineage graph', () => {
  it('goes upstream to the operational sources and downstream to the consumers, transitively', () => {
    const graph = buildLineageGraph(ORDERS, MESH);
    expect(graph.nodes.map((n) => n.id).sort()).toEqual(
      ['product:orders', 'product:profiles', 'product:raw-events', 'product:report', 'product:audit', 'source:crm/crm-db', 'source:ingest/clicks', 'source:shop/orders-db'].sort(),
    );
    expect(graph.edges.filter((e) => e.kind === 'input').map((e) => `${e.from} -> ${e.to}`)).toEqual(
      expect.arrayContaining([
        'source:shop/orders-db -> product:orders',
        'product:profiles -> product:orders',
        'product:raw-events -> product:profiles',
        'source:ingest/clicks -> product:raw-events',
        'product:orders -> product:report',
      ]),
    );
    expect(graph.nodes.find((n) => n.id === 'source:crm/crm-db')).toEqual({ id: 'source:crm/crm-db', kind: 'source', name: 'crm-db', type: 'postgres-cdc', domain: 'crm' });
    expect(graph.nodes.find((n) => n.id === 'product:profiles')).toEqual({ id: 'product:profiles', kind: 'product', name: 'profiles', domain: 'crm' });
  });

  it("draws references one hop each way, naming the fields, and does not follow a consumer's other inputs", () => {
    const graph = buildLineageGraph(ORDERS, MESH);
    expect(graph.edges.filter((e) => e.kind === 'reference')).toEqual([
      { from: 'product:profiles', to: 'product:orders', kind: 'reference', fields: ['customer_id'] },
      { from: 'product:orders', to: 'product:audit', kind: 'reference', fields: ['order_id'] },
    ]);
    expect(graph.nodes.some((n) => n.id === 'product:unrelated')).toBe(false);
  });

  it('shows an upstream product the mesh does not serve as missing, under the domain its input names', () => {
    const lonely = product('lonely', 'x', [{ source: 'gone', type: 'data-product', domain: 'elsewhere' }]);
    expect(buildLineageGraph(lonely, mesh(lonely)).nodes).toContainEqual({ id: 'product:gone', kind: 'product', name: 'gone', domain: 'elsewhere', missing: true });
  });

  it('ends on a cycle of inputs', () => {
    const a = product('a', 'd', [{ source: 'b', type: 'data-product' }]);
    const b = product('b', 'd', [{ source: 'a', type: 'data-product' }]);
    const graph = buildLineageGraph(a, mesh(a, b));
    expect(graph.edges.map((e) => `${e.from} -> ${e.to}`).sort()).toEqual(['product:a -> product:b', 'product:b -> product:a']);
  });

  it("takes column edges from the served versions' records, to the nodes of the graph only", () => {
    const ordersLineage: Lineage = {
      inputs: [],
      columns: [
        { column: 'id', from: [{ source: 'orders-db', column: 'order_id' }], kind: 'copy', complete: true },
        { column: 'customer_id', from: [{ source: 'profiles', column: 'id' }], kind: 'copy', complete: true },
        { column: 'total', from: [], kind: 'transform', complete: false, unresolved: ['"amount" could be a column of o or p'] },
      ],
    };
    const reportLineage: Lineage = { inputs: [], columns: [{ column: 'id', from: [{ source: 'orders', column: 'id' }], kind: 'aggregate', complete: true }] };
    const served = new Map([
      ['orders', { version: 'v000002-20261201T000000Z', lineage: ordersLineage }],
      ['report', { version: 'v000001-20261201T000000Z', lineage: reportLineage }],
    ]);
    const graph = buildLineageGraph(REPORT, MESH, served);
    expect(graph.columns).toEqual([
      { from: { node: 'product:orders', column: 'id' }, to: { node: 'product:report', column: 'id' }, kind: 'aggregate' },
      { from: { node: 'source:shop/orders-db', column: 'order_id' }, to: { node: 'product:orders', column: 'id' }, kind: 'copy' },
      { from: { node: 'product:profiles', column: 'id' }, to: { node: 'product:orders', column: 'customer_id' }, kind: 'copy' },
    ]);
    expect(graph.partial).toEqual([{ node: 'product:orders', column: 'total', unresolved: ['"amount" could be a column of o or p'] }]);
    expect([...graph.withoutColumns].sort()).toEqual(['profiles', 'raw-events']);
    expect(graph.nodes.find((n) => n.id === 'product:orders')).toMatchObject({ version: 'v000002-20261201T000000Z' });
  });
});

describe('the lineage graph drawn', () => {
  const odd = 'we"ird #1 <b> |pipe| [x] {z} \\n end';
  const hostile = product('end', 'subgraph', [{ source: odd, type: odd }], [{ name: 'id' }, { name: 'ref', references: 'end' }]);
  const served = new Map([
    [
      'end',
      { version: 'v1', lineage: { inputs: [], columns: [{ column: 'id', from: [{ source: odd, column: odd }], kind: 'aggregate' as const, complete: false, unresolved: ['?'] }] } },
    ],
  ]);
  const graphs = [buildLineageGraph(ORDERS, MESH), buildLineageGraph(hostile, mesh(hostile), served)];

  it.each([false, true])('is valid DOT, every id quoted, with columns: %s', (columns) => {
    for (const g of graphs) expect(dotProblems(toDot(g, { columns }))).toEqual([]);
  });

  it.each([false, true])('is a valid Mermaid flowchart with escaped labels, with columns: %s', (columns) => {
    for (const g of graphs) expect(mermaidProblems(toMermaid(g, { columns }))).toEqual([]);
  });

  it('escapes quotes, backslashes and entity characters instead of dropping them', () => {
    const [, g] = graphs;
    expect(toDot(g!)).toContain('"source:subgraph/we\\"ird #1 <b> |pipe| [x] {z} \\\\n end"');
    expect(toMermaid(g!)).toContain('we#quot;ird #35;1 #lt;b#gt; |pipe| [x] {z} \\n end');
  });

  it('checks its checkers: broken diagrams are caught', () => {
    expect(dotProblems('digraph "x" {\n  "a -> "b";\n')).not.toEqual([]);
    expect(mermaidProblems('flowchart LR\n  n0["a"b"]\n  n0 --> n1\n')).not.toEqual([]);
  });
});
