/** The DOT that `meshgate lineage` prints, laid out by Graphviz itself (its WebAssembly build, shipped in @viz-js/viz): no syntax error, no warning about the graph. */
import { instance, type Viz } from '@viz-js/viz';
import { buildLineageGraph, toDot, type DataProduct } from '../../schema/index.js';

let viz: Viz;
beforeAll(async () => {
  viz = await instance();
});

const odd = 'we"ird #1 <b> |pipe| [x] {z} \\n end';
const product = { name: 'orders', domain: odd, inputs: [{ source: odd, type: 'kafka' }], contract: { fields: [{ name: 'id' }], references: [] } } as unknown as DataProduct;
const served = new Map([
  [
    'orders',
    { version: 'v1', lineage: { inputs: [], columns: [{ column: 'id', from: [{ source: odd, column: odd }], kind: 'aggregate' as const, complete: false, unresolved: ['?'] }] } },
  ],
]);

describe('the lineage as DOT, read by Graphviz', () => {
  it.each([false, true])('lays out, with hostile names, with columns: %s', (columns) => {
    const dot = toDot(buildLineageGraph(product, new Map([['orders', product]]), served), { columns });
    const result = viz.render(dot, { format: 'svg' });
    expect(result.errors).toEqual([]);
    expect(result.status).toBe('success');
  });

  it('refuses a broken graph (the check can fail)', () => {
    expect(viz.render('digraph { "a" -> }', { format: 'svg' }).status).toBe('failure');
  });
});
