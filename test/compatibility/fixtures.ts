/** Contracts and meshes the compatibility tests change one thing at a time. */
import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from '../../cli/config.js';
import type { Contract, FieldContract } from '../../schema/index.js';

/** A contract field with defaults: a required, non-key, non-PII string. */
export const field = (name: string, over: Partial<FieldContract> = {}): FieldContract => ({
  name,
  type: 'string',
  nullable: false,
  key: false,
  classification: 'none',
  purposes: [],
  ...over,
});

/** An orders contract with one field of every kind the changes touch. */
export const ORDERS: Contract = {
  typeName: 'Order',
  listField: 'orders',
  version: '1.0.0',
  description: 'One row per order.',
  fields: [
    field('order_id', { key: true, description: 'Order identifier.' }),
    field('customer_id', { references: { product: 'customer-profiles', field: 'customer_id' }, description: 'The customer who ordered.' }),
    field('email', { classification: 'email', description: 'Contact email.' }),
    field('status', { enum: ['placed', 'paid', 'cancelled'], description: 'Lifecycle status.' }),
    field('channel', { description: 'Sales channel.' }),
    field('item_count', { type: 'bigint', description: 'Number of items.' }),
    field('total_amount', { type: 'double', description: 'Order total.' }),
    field('net_amount', { type: 'decimal', precision: 12, scale: 2, description: 'Net total.' }),
    field('order_ts', { type: 'timestamp', description: 'When the order was placed.' }),
    field('discount', { type: 'double', nullable: true, description: 'Discount granted.' }),
    field('note', { nullable: true, description: 'Free note.' }),
  ],
  keys: ['order_id'],
  compatibility: 'BACKWARD',
  purposes: ['analytics'],
  quality: [],
  order: [],
  references: [],
  measures: [],
};

/** `contract` with one field changed. */
export const changing = (contract: Contract, name: string, over: Partial<FieldContract>): Contract => ({
  ...contract,
  fields: contract.fields.map((f) => (f.name === name ? { ...f, ...over } : f)),
});

/** `contract` without one field. */
export const without = (contract: Contract, name: string): Contract => ({ ...contract, fields: contract.fields.filter((f) => f.name !== name) });

/** A copy of the sample mesh's `subgraphs/` (no runtime) in a temporary folder, to change declarations in. */
export async function copyOfSubgraphs(into?: string): Promise<string> {
  const dir = into ?? path.join(await mkdtemp(path.join(tmpdir(), 'meshgate-compat-')), 'subgraphs');
  await cp(path.join(REPO_ROOT, 'subgraphs'), dir, { recursive: true, filter: (src) => !src.includes(`${path.sep}runtime`) && !src.endsWith('.ts') });
  return dir;
}

/** Replaces `from` by `to` in a file (once; fails the test if `from` is not there). */
export async function edit(file: string, from: string | RegExp, to: string | ((match: string) => string)): Promise<void> {
  const text = await readFile(file, 'utf8');
  const next = typeof to === 'string' ? text.replace(from, to) : text.replace(from, to);
  if (next === text) throw new Error(`${file}: nothing to replace for ${String(from)}`);
  await writeFile(file, next);
}
