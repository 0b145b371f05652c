/**
 * `meshgate lineage` on a small mesh in a temporary folder, built for real by `meshgate build`
 * (landing files, an upstream product read through its contract, DuckDB): the declared lineage,
 * the column lineage each version recorded at build time, in each format, and its misuse.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { productNodeId, readManifest, VERSION_RECORD_FILE, type LineageGraph, type VersionRecord } from '../../schema/index.js';
import { cli } from '../support/cli.js';
import { dotProblems, mermaidProblems } from '../support/diagramSyntax.js';
import { writeLineageMesh, type LineageMesh } from './lineageMesh.js';

let mesh: LineageMesh;
let build: Awaited<ReturnType<typeof cli>>;

beforeAll(async () => {
  mesh = await writeLineageMesh();
  build = await cli(['build'], mesh.env);
}, 120_000);

const lineage = (...args: string[]): ReturnType<typeof cli> => cli(['lineage', ...args], mesh.env);

describe('meshgate lineage', () => {
  it('builds the fixture: two products publish, the one with a kafka input cannot', () => {
    expect(build.stdout).toMatch(/^published customer-profiles v000001-/m);
    expect(build.stdout).toMatch(/^published orders-enriched v000001-/m);
    expect(build.stdout).toMatch(/^FAILED revenue: input fx-rates is of type "kafka"/m);
  });

  it("stores each built version's column lineage in its record", async () => {
    const dir = path.join(mesh.data, 'shop/orders-enriched');
    const read = await readManifest(dir);
    if (read.kind !== 'ok') throw new Error(`no manifest: ${read.kind}`);
    const record = JSON.parse(await readFile(path.join(dir, 'versions', read.manifest.version, VERSION_RECORD_FILE), 'utf8')) as VersionRecord;
    expect(record.lineage).toEqual({
      inputs: [
        { source: 'orders-db', type: 'files' },
        { source: 'customer-profiles', type: 'data-product', domain: 'crm' },
      ],
      columns: [
        { column: 'order_id', from: [{ source: 'orders-db', column: 'order_id' }], kind: 'copy', complete: true },
        { column: 'customer_id', from: [{ source: 'orders-db', column: 'customer_id' }], kind: 'copy', complete: true },
        { column: 'customer_name', from: [{ source: 'customer-profiles', column: 'name' }], kind: 'copy', complete: true },
        {
          column: 'total_amount',
          from: [
            { source: 'orders-db', column: 'amount' },
            { source: 'orders-db', column: 'tax_rate' },
          ],
          kind: 'transform',
          complete: true,
        },
        { column: 'order_ts', from: [{ source: 'orders-db', column: 'ordered_at' }], kind: 'transform', complete: true },
      ],
    });
  });

  it('prints the declared lineage as JSON: upstream to the sources, downstream to the consumers', async () => {
    const run = await lineage('orders-enriched');
    expect(run).toMatchObject({ code: 0, stderr: '' });
    const graph = JSON.parse(run.stdout) as LineageGraph;
    expect(Object.keys(graph)).toEqual(['product', 'nodes', 'edges']);
    expect(graph.nodes.map((n) => ({ id: n.id, kind: n.kind, domain: n.domain, ...('type' in n && { type: n.type }), ...('version' in n && { built: true }) }))).toEqual([
      { id: 'product:orders-enriched', kind: 'product', domain: 'shop', built: true },
      { id: 'source:shop/orders-db', kind: 'source', domain: 'shop', type: 'files' },
      { id: 'product:customer-profiles', kind: 'product', domain: 'crm', built: true },
      { id: 'source:crm/crm-accounts', kind: 'source', domain: 'crm', type: 'files' },
      { id: 'product:revenue', kind: 'product', domain: 'finance' },
    ]);
    expect(graph.edges).toEqual([
      { from: 'source:shop/orders-db', to: 'product:orders-enriched', kind: 'input' },
      { from: 'product:customer-profiles', to: 'product:orders-enriched', kind: 'input' },
      { from: 'source:crm/crm-accounts', to: 'product:customer-profiles', kind: 'input' },
      { from: 'product:orders-enriched', to: 'product:revenue', kind: 'input' },
      { from: 'product:customer-profiles', to: 'product:orders-enriched', kind: 'reference', fields: ['customer_id'] },
    ]);
  });

  it('adds the column edges with --columns, down to the landing files, and names what is partial or missing', async () => {
    const run = await lineage('orders-enriched', '--columns', '--format', 'json');
    expect(run.code).toBe(0);
    const graph = JSON.parse(run.stdout) as LineageGraph;
    const edges = graph.columns.map((e) => `${e.from.node}.${e.from.column} -${e.kind}-> ${e.to.node}.${e.to.column}`);
    expect(edges).toEqual(
      expect.arrayContaining([
        'product:customer-profiles.name -copy-> product:orders-enriched.customer_name',
        'source:shop/orders-db.tax_rate -transform-> product:orders-enriched.total_amount',
        'source:crm/crm-accounts.first_name -transform-> product:customer-profiles.name',
        'source:crm/crm-accounts.account_id -copy-> product:customer-profiles.customer_id',
      ]),
    );
    expect(graph.partial).toEqual([
      {
        node: productNodeId('customer-profiles'),
        column: 'country',
        unresolved: ['COLUMNS(...) and * LIKE pick their columns when DuckDB binds the query, which the SQL alone does not show'],
      },
    ]);
    expect(graph.withoutColumns).toEqual(['revenue']);
    expect(run.stderr).toContain('note: no column lineage recorded for revenue (never built, or published from files)');
    expect(run.stderr).toContain('note: 1 column(s) with partial lineage: customer-profiles.country');
  });

  it.each([[[]], [['--columns']]])('prints valid DOT (%j)', async (extra) => {
    const run = await lineage('orders-enriched', '--format', 'dot', ...extra);
    expect(run.code).toBe(0);
    expect(dotProblems(run.stdout)).toEqual([]);
    expect(run.stdout).toContain(
      extra.length ? '"product:customer-profiles#name" -> "product:orders-enriched#customer_name";' : '"product:customer-profiles" -> "product:orders-enriched";',
    );
  });

  it.each([[[]], [['--columns']]])('prints a valid Mermaid flowchart (%j)', async (extra) => {
    const run = await lineage('orders-enriched', '--format', 'mermaid', ...extra);
    expect(run.code).toBe(0);
    expect(run.stdout.startsWith('flowchart LR\n')).toBe(true);
    expect(mermaidProblems(run.stdout)).toEqual([]);
    expect(run.stdout).toContain(extra.length ? '["country (partial)"]' : '[("orders-db<br/>files source, shop")]');
  });

  it('prints the declared lineage of a product never built, and says no version records its column lineage', async () => {
    const run = await lineage('revenue', '--format', 'mermaid');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('["revenue<br/>finance, not built"]');
    expect(run.stdout).toContain('[("fx-rates<br/>kafka source, finance")]');
    expect(run.stderr).toBe(
      'note: revenue has never been built (no published version), so no version records its column lineage yet: this is its declared lineage (run "meshgate build revenue")\n',
    );
  });

  it('refuses an unknown product with exit 2, listing the known ones', async () => {
    const run = await lineage('orders');
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^meshgate lineage: unknown product "orders": expected one of customer-profiles, orders-enriched, revenue\n/);
  });

  it.each([
    [['orders-enriched', '--format', 'svg'], '--format must be one of json, dot, mermaid, got "svg"'],
    [[], 'expected one PRODUCT, got none'],
    [['orders-enriched', 'revenue'], 'expected one PRODUCT, got "orders-enriched" "revenue"'],
    [['orders-enriched', '--depth', '2'], "Unknown option '--depth'"],
  ])('refuses %j with exit 2', async (args, message) => {
    const run = await lineage(...args);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
  });

  it('has help, and is listed in the usage', async () => {
    expect((await lineage('--help')).stdout).toContain('Usage: meshgate lineage PRODUCT [--format json|dot|mermaid] [--columns]');
    expect((await cli(['--help'])).stdout).toContain('  lineage   ');
  });
});
