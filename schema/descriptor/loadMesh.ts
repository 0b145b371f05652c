/**
 * Loads every domain's descriptors under a folder (`subgraphs/<domain>/**\/data-product.yaml`).
 * A domain with any bad descriptor is left out whole and the rest of the mesh still loads; the
 * problems say what was left out and why.
 */
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import type { DeclarationProblem } from '../errors.js';
import type { DataProduct } from './DataProduct.js';
import { loadDataProduct, type LoadOptions } from './loadDataProduct.js';

/** The products of one domain. */
export interface Domain {
  readonly name: string;
  readonly products: readonly DataProduct[];
}

/** The loaded mesh: the domains that can be served, and what was left out. */
export interface Mesh {
  readonly domains: readonly Domain[];
  readonly problems: readonly DeclarationProblem[];
  /** Domains left out because of a problem in one of their declarations. */
  readonly excluded: readonly string[];
}

const DESCRIPTOR = /(^|\.)data-product\.ya?ml$/;
const SKIP = new Set(['node_modules', 'runtime', '.git']);

/** Finds descriptor files below a domain folder. */
async function findDescriptors(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const found: string[] = [];
  for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    if (e.isDirectory() && !SKIP.has(e.name)) found.push(...(await findDescriptors(path.join(dir, e.name))));
    else if (e.isFile() && DESCRIPTOR.test(e.name)) found.push(path.join(dir, e.name));
  }
  return found;
}

/** Loads one domain folder; any problem excludes the whole domain. */
async function loadDomain(dir: string, options: LoadOptions): Promise<{ domain?: Domain; problems: DeclarationProblem[] }> {
  const name = path.basename(dir);
  const problems: DeclarationProblem[] = [];
  const products: DataProduct[] = [];
  for (const file of await findDescriptors(dir)) {
    const r = await loadDataProduct(file, options);
    if (r.errors) problems.push(...r.errors);
    else if (r.value.domain !== name) problems.push({ file, path: 'domain', message: `expected "${name}" (the domain folder it lives in), got "${r.value.domain}"` });
    else products.push(r.value);
  }
  if (problems.length || products.length === 0) return { problems };
  return { domain: { name, products }, problems };
}

/** Checks what only the whole mesh can show: unique names, and references that resolve. */
function crossCheck(domains: Domain[]): DeclarationProblem[] {
  const problems: DeclarationProblem[] = [];
  const byName = new Map<string, DataProduct>();
  const types = new Map<string, DataProduct>();
  for (const p of domains.flatMap((d) => d.products)) {
    const clash = byName.get(p.name) ?? types.get(p.contract.typeName);
    if (clash) problems.push({ file: p.descriptorFile, path: 'name', message: `"${p.name}" (type ${p.contract.typeName}) clashes with ${clash.descriptorFile}` });
    byName.set(p.name, p);
    types.set(p.contract.typeName, p);
  }
  for (const p of byName.values()) {
    for (const f of p.contract.fields) {
      if (!f.references) continue;
      const target = byName.get(f.references.product);
      if (!target)
        problems.push({
          file: p.descriptorFile,
          path: `fields.${f.name}.references`,
          message: `"${f.references.product}" is not a product being served, so the reference is served as a plain value`,
        });
      else if (target.contract.keys.length !== 1)
        problems.push({
          file: p.descriptorFile,
          path: `fields.${f.name}.references`,
          message: target.contract.keys.length
            ? `"${target.name}" has a composite key (${target.contract.keys.join(', ')}), which one column cannot reference: declare a record-level "references": [{"product": "${target.name}", "columns": [...]}] naming one column per key column`
            : `"${target.name}" has no key, so nothing can reference it: drop the reference, or give "${target.name}" a key`,
        });
      else if (!target.contract.keys.includes(f.references.field))
        problems.push({
          file: p.descriptorFile,
          path: `fields.${f.name}.references`,
          message: `expected the key of "${target.name}" (${target.contract.keys.join(', ')}), got "${f.references.field}"`,
        });
    }
  }
  return problems;
}

/** Loads every domain below `root`. */
export async function loadMesh(root: string, options: LoadOptions): Promise<Mesh> {
  const entries = await readdir(root, { withFileTypes: true });
  const domains: Domain[] = [];
  const problems: DeclarationProblem[] = [];
  const excluded: string[] = [];
  for (const e of entries.filter((x) => x.isDirectory() && !SKIP.has(x.name)).sort((a, b) => a.name.localeCompare(b.name))) {
    const r = await loadDomain(path.join(root, e.name), options);
    problems.push(...r.problems);
    if (r.domain) domains.push(r.domain);
    else if (r.problems.length) excluded.push(e.name);
  }
  problems.push(...crossCheck(domains));
  return { domains, problems, excluded };
}

/** Every product of the mesh, by descriptor name. */
export function productsByName(mesh: Mesh): ReadonlyMap<string, DataProduct> {
  return new Map(mesh.domains.flatMap((d) => d.products.map((p) => [p.name, p] as const)));
}
