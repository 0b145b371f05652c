/** Builds small meshes in temporary folders for the governance tests: descriptors and ODCS contracts written from objects. */
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { REPO_ROOT } from '../../cli/config.js';
import { loadMesh } from '../../schema/index.js';
import { loadGovernanceConfig, loadPolicyMasks, runGovernanceRules, type Finding, type GovernanceConfig } from '../../policies/governance/index.js';

/** "Now" of the governance fixtures (sunset dates are compared with it). */
export const NOW = new Date('2026-06-01T12:00:00Z');
type Masks = NonNullable<Awaited<ReturnType<typeof loadPolicyMasks>>['value']>;

/** One product of a fixture mesh: its domain, descriptor and contract (or the contract file's raw text). */
export interface FixtureProduct {
  readonly domain: string;
  readonly descriptor: Record<string, unknown>;
  readonly contract: Record<string, unknown> | string;
}

/** A descriptor that every rule accepts, with `over` merged on top. */
export function descriptor(name: string, domain: string, over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name,
    domain,
    owner: `${domain}-team@company.com`,
    outputs: [{ name: `${name}-v1`, format: 'parquet', location: `${domain}/${name}/`, schema: `schemas/${name}.odcs.yaml` }],
    sla: { freshness: '1h', completeness: '99.5%' },
    ...over,
  };
}

/** An ODCS v3 property; `classification: none` unless given. */
export function property(name: string, over: Record<string, unknown> = {}): Record<string, unknown> {
  return { name, logicalType: 'string', physicalType: 'VARCHAR', required: true, classification: 'none', ...over };
}

/** An ODCS v3 contract with one schema object. */
export function contract(
  typeName: string,
  properties: readonly Record<string, unknown>[],
  over: Record<string, unknown> = {},
  quality: readonly Record<string, unknown>[] = [],
): Record<string, unknown> {
  return {
    apiVersion: 'v3.0.2',
    kind: 'DataContract',
    version: '1.0.0',
    customProperties: [{ property: 'purposes', value: ['analytics'] }],
    schema: [{ name: typeName, properties, ...(quality.length && { quality }) }],
    ...over,
  };
}

/** The customers product of the conforming mesh. */
export const customers = (over: { descriptor?: Record<string, unknown>; properties?: Record<string, unknown>[]; contract?: Record<string, unknown> } = {}): FixtureProduct => ({
  domain: 'customers',
  descriptor: descriptor('customers', 'customers', over.descriptor),
  contract: contract(
    'Customer',
    over.properties ?? [
      property('customer_id', { primaryKey: true }),
      property('email', { classification: 'email', customProperties: [{ property: 'purposes', value: ['analytics'] }] }),
      property('signup_at', { logicalType: 'timestamp', physicalType: 'TIMESTAMP' }),
    ],
    over.contract,
  ),
});

/** The orders product of the conforming mesh: it reads customers and references their key. */
export const orders = (over: { descriptor?: Record<string, unknown>; properties?: Record<string, unknown>[]; contract?: Record<string, unknown> } = {}): FixtureProduct => ({
  domain: 'shop',
  descriptor: descriptor('orders', 'shop', { inputs: [{ source: 'customers', type: 'data-product', domain: 'customers' }], ...over.descriptor }),
  contract: contract(
    'Order',
    over.properties ?? [
      property('order_id', { primaryKey: true }),
      property('customer_id', { customProperties: [{ property: 'references', value: 'customers.customer_id' }] }),
      property('total_amount', { logicalType: 'number', physicalType: 'DOUBLE' }),
      property('order_ts', { logicalType: 'timestamp', physicalType: 'TIMESTAMP' }),
    ],
    over.contract,
  ),
});

/** Writes the products as a mesh folder (`<domain>/<name>.data-product.yaml`, the contract where its first output's `schema` points); resolves to it. */
export async function writeMesh(products: readonly FixtureProduct[]): Promise<string> {
  const root = await mkdtemp(path.join(tmpdir(), 'meshgate-governance-'));
  for (const p of products) {
    const name = String(p.descriptor.name);
    const dir = path.join(root, p.domain);
    const outputs = Array.isArray(p.descriptor.outputs) ? (p.descriptor.outputs as { schema?: unknown }[]) : [];
    const schema = typeof outputs[0]?.schema === 'string' ? outputs[0].schema : `schemas/${name}.odcs.yaml`;
    await mkdir(path.dirname(path.join(dir, schema)), { recursive: true });
    await writeFile(path.join(dir, `${name}.data-product.yaml`), stringify(p.descriptor));
    await writeFile(path.join(dir, schema), typeof p.contract === 'string' ? p.contract : stringify(p.contract));
  }
  return root;
}

/** The repository's governance configuration (policies/governance.yaml). */
export async function repoConfig(): Promise<GovernanceConfig> {
  return (await loadGovernanceConfig(path.join(REPO_ROOT, 'policies/governance.yaml'))).value!;
}

/** The masks of the repository's access policy. */
export async function repoMasks(): Promise<Masks> {
  return (await loadPolicyMasks(path.join(REPO_ROOT, 'policies/access.yaml'))).value!;
}

/** Runs every governance rule over a mesh written from the products; findings name files relative to the mesh folder. */
export async function checkMesh(products: readonly FixtureProduct[], options: { config?: Partial<GovernanceConfig>; masks?: Masks } = {}): Promise<Finding[]> {
  const dir = await writeMesh(products);
  const mesh = await loadMesh(dir, { dataRoot: '/srv/mesh-data' });
  const config = { ...(await repoConfig()), ...options.config };
  return runGovernanceRules({ mesh, subgraphsDir: dir, config, masks: options.masks ?? (await repoMasks()), now: NOW, baseDir: dir });
}
