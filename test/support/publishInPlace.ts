/**
 * Test fixtures write Parquet straight into a product's folder; serving and the contract tests read
 * only what a manifest names. This publishes what a fixture wrote, where it lies, by writing the
 * manifest a real publish would end with, without the gate (the tests of the gate are elsewhere).
 */
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { readManifest, writeManifest, type DataProduct } from '../../schema/index.js';

/** Names every Parquet file under the product's folder in a new manifest; resolves to the files named (none: nothing written). */
export async function publishInPlace(product: DataProduct, at = new Date()): Promise<string[]> {
  const files = (await readdir(product.storeDir, { recursive: true }).catch(() => [] as string[])).filter((f) => f.endsWith('.parquet')).sort();
  if (files.length === 0) return [];
  const previous = await readManifest(product.storeDir);
  // A fixture's data is as current as its newest file, which is what the tests set the times of.
  const asOf = new Date(Math.max(...(await Promise.all(files.map(async (f) => (await stat(path.join(product.storeDir, f))).mtimeMs)))));
  const seq = previous.kind === 'ok' ? Number(/^v(\d+)/.exec(previous.manifest.version)?.[1] ?? 0) + 1 : 1;
  await writeManifest(product.storeDir, {
    format: 'meshgate-manifest/1',
    product: product.name,
    version: `v${String(seq).padStart(6, '0')}-fixture`,
    publishedAt: at.toISOString(),
    dataAsOf: asOf.toISOString(),
    source: 'publish',
    files,
    rows: 0,
    contractVersion: product.contract.version,
  });
  return files.map((f) => path.join(product.storeDir, f));
}
