/**
 * `meshgate contract register`: records a product's current contract in the repository's schema
 * registry (`schema-registry/<product>/<version>.json`), refusing what a schema registry refuses: a
 * version below the latest, a different contract under a registered version, and a change that
 * breaks the product's compatibility mode against the latest registered version.
 */
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { DataProduct } from '../../schema/index.js';
import { compareContracts, compareVersions, normalisedJson, readLatestRegistered, REGISTRY_DIR, strictestMode } from '../../policies/compatibility/index.js';
import type { Finding } from '../../policies/index.js';

/** What registering one product did: written, already there, or refused with the reasons. */
export type Registration =
  | { readonly outcome: 'registered' | 'unchanged'; readonly file: string }
  | { readonly outcome: 'refused'; readonly file: string; readonly reasons: readonly string[]; readonly findings: readonly Finding[] };

const readIfExists = (file: string): Promise<string | undefined> => readFile(file, 'utf8').catch(() => undefined);

/** Registers `product`'s contract under `repoRoot/schema-registry/`. */
export async function registerContract(product: DataProduct, repoRoot: string): Promise<Registration> {
  const c = product.contract;
  const folder = path.join(repoRoot, REGISTRY_DIR, product.name);
  const file = path.join(REGISTRY_DIR, product.name, `${c.version}.json`);
  const text = normalisedJson(c);
  const existing = await readIfExists(path.join(repoRoot, file));
  if (existing === text) return { outcome: 'unchanged', file };
  if (existing !== undefined) {
    return {
      outcome: 'refused',
      file,
      findings: [],
      reasons: [`version ${c.version} of ${product.name} is already registered with a different contract: bump the contract's version`],
    };
  }
  const versions = (await readdir(folder).catch(() => [] as string[])).filter((n) => n.endsWith('.json')).map((n) => n.slice(0, -5));
  const latest = versions.sort(compareVersions).at(-1);
  if (latest !== undefined && compareVersions(c.version, latest) < 0) {
    return { outcome: 'refused', file, findings: [], reasons: [`version ${c.version} is below ${latest}, the latest registered version of ${product.name}`] };
  }
  if (latest !== undefined) {
    const registered = await readLatestRegistered(repoRoot);
    if ('error' in registered) return { outcome: 'refused', file, findings: [], reasons: [registered.error] };
    const before = registered.value.get(product.name)!.contract;
    const mode = strictestMode(before.compatibility, c.compatibility);
    const breaking = compareContracts(before, c, mode, { product: product.name, file }).filter((f) => f.severity === 'violation');
    if (breaking.length) {
      return {
        outcome: 'refused',
        file,
        findings: breaking,
        reasons: [`the contract breaks ${mode} compatibility with version ${latest}: publish it as a new major version (a "-v2" product) instead`],
      };
    }
  }
  await mkdir(folder, { recursive: true });
  await writeFile(path.join(repoRoot, file), text);
  return { outcome: 'registered', file };
}
