/**
 * A small mesh for the lineage tests, written to a temporary folder: customer-profiles (crm) built
 * from landing CSV, orders-enriched (shop) from landing JSON lines and customer-profiles, and
 * revenue (finance), which also reads a kafka input and so can never be built here.
 */
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';

/** One product: its domain, descriptor fields, contract properties and transform. */
interface Spec {
  readonly domain: string;
  readonly name: string;
  readonly typeName: string;
  readonly inputs: readonly Record<string, unknown>[];
  readonly properties: readonly Record<string, unknown>[];
  readonly transform: string;
}

const prop = (name: string, over: Record<string, unknown> = {}): Record<string, unknown> => ({
  name,
  logicalType: 'string',
  physicalType: 'VARCHAR',
  required: true,
  classification: 'none',
  ...over,
});

const SPECS: readonly Spec[] = [
  {
    domain: 'crm',
    name: 'customer-profiles',
    typeName: 'CustomerProfile',
    inputs: [{ source: 'crm-accounts', type: 'files', format: 'csv' }],
    properties: [prop('customer_id', { primaryKey: true }), prop('name'), prop('email'), prop('country')],
    // COLUMNS('country') picks its column when DuckDB binds the query: its lineage stays partial.
    transform: "SELECT account_id AS customer_id, trim(first_name) || ' ' || trim(last_name) AS name, lower(email) AS email, COLUMNS('country') FROM crm_accounts",
  },
  {
    domain: 'shop',
    name: 'orders-enriched',
    typeName: 'EnrichedOrder',
    inputs: [
      { source: 'orders-db', type: 'files', format: 'jsonl' },
      { source: 'customer-profiles', type: 'data-product', domain: 'crm', purpose: 'analytics' },
    ],
    properties: [
      prop('order_id', { primaryKey: true, logicalType: 'integer', physicalType: 'BIGINT' }),
      prop('customer_id', { customProperties: [{ property: 'references', value: 'customer-profiles.customer_id' }] }),
      prop('customer_name'),
      prop('total_amount', { logicalType: 'number', physicalType: 'DOUBLE' }),
      prop('order_ts', { logicalType: 'timestamp', physicalType: 'TIMESTAMP' }),
    ],
    // Unqualified names over two tables: the build's DESCRIBEd input columns resolve them.
    transform:
      'SELECT order_id, customer_id, name AS customer_name, amount * (1 + tax_rate) AS total_amount, CAST(ordered_at AS TIMESTAMP) AS order_ts\nFROM orders_db JOIN customer_profiles USING (customer_id)',
  },
  {
    domain: 'finance',
    name: 'revenue',
    typeName: 'Revenue',
    inputs: [
      { source: 'orders-enriched', type: 'data-product', domain: 'shop', purpose: 'analytics' },
      { source: 'fx-rates', type: 'kafka' },
    ],
    properties: [prop('customer_id', { primaryKey: true }), prop('revenue', { logicalType: 'number', physicalType: 'DOUBLE' })],
    transform: 'SELECT customer_id, sum(total_amount * rate) AS revenue FROM orders_enriched, fx_rates GROUP BY customer_id',
  },
];

/** The fixture's folders: the declarations (MESHGATE_SUBGRAPHS_DIR) and the data root (MESHGATE_DATA_DIR). */
export interface LineageMesh {
  readonly subgraphs: string;
  readonly data: string;
  readonly env: Readonly<Record<string, string>>;
}

/** Writes the mesh and its landing files; resolves to its folders and the environment a CLI run needs. */
export async function writeLineageMesh(): Promise<LineageMesh> {
  const root = await mkdtemp(path.join(tmpdir(), 'meshgate-lineage-'));
  const subgraphs = path.join(root, 'subgraphs');
  const data = path.join(root, 'data');
  for (const s of SPECS) {
    const dir = path.join(subgraphs, s.domain);
    await mkdir(path.join(dir, 'schemas'), { recursive: true });
    const descriptor = {
      name: s.name,
      domain: s.domain,
      owner: `${s.domain}-team@company.com`,
      inputs: s.inputs,
      outputs: [{ name: `${s.name}-v1`, format: 'parquet', location: `${s.domain}/${s.name}/`, schema: `schemas/${s.name}.odcs.yaml`, transform: `${s.name}.sql` }],
      sla: { freshness: '24h' },
      schedule: 'manual',
    };
    const contract = {
      apiVersion: 'v3.0.2',
      kind: 'DataContract',
      version: '1.0.0',
      customProperties: [{ property: 'purposes', value: ['analytics'] }],
      schema: [{ name: s.typeName, properties: s.properties }],
    };
    await writeFile(path.join(dir, `${s.name}.data-product.yaml`), stringify(descriptor));
    await writeFile(path.join(dir, 'schemas', `${s.name}.odcs.yaml`), stringify(contract));
    await writeFile(path.join(dir, `${s.name}.sql`), `${s.transform}\n`);
  }
  await mkdir(path.join(data, 'landing/crm/crm-accounts'), { recursive: true });
  await writeFile(
    path.join(data, 'landing/crm/crm-accounts/accounts.csv'),
    'account_id,first_name,last_name,email,country\nc1,Ada,Lovelace,ADA@example.com,GB\nc2,Alan,Turing,alan@example.com,GB\n',
  );
  await mkdir(path.join(data, 'landing/shop/orders-db'), { recursive: true });
  const orders = [
    { order_id: 1, customer_id: 'c1', amount: 10, tax_rate: 0.2, ordered_at: '2026-11-30T10:00:00Z' },
    { order_id: 2, customer_id: 'c2', amount: 20, tax_rate: 0.1, ordered_at: '2026-11-30T11:00:00Z' },
  ];
  await writeFile(path.join(data, 'landing/shop/orders-db/orders.jsonl'), orders.map((o) => JSON.stringify(o)).join('\n'));
  const env = { MESHGATE_SUBGRAPHS_DIR: subgraphs, MESHGATE_DATA_DIR: data, MESHGATE_STATE_DIR: path.join(root, 'state'), MESHGATE_ACCESS: 'off', MESHGATE_ACCESS_LOG: 'off' };
  return { subgraphs, data, env };
}
