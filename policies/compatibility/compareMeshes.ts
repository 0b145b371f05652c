/**
 * Compares every product of the current mesh with its version in the base: contracts field by field
 * under the product's mode, new major versions with their predecessors, products no longer served,
 * and the contract version (it must go up when the contract changes, and never down).
 */
import path from 'node:path';
import { productsByName, type Contract, type DataProduct, type Mesh } from '../../schema/index.js';
import type { Finding } from '../governance/Finding.js';
import { strictestMode } from './compatibilityTable.js';
import { compareContracts, verdict } from './compareContracts.js';
import type { BaseSnapshot } from './loadBase.js';
import { majorVersionFindings, predecessorOf } from './majorVersion.js';
import { compareVersions, normalisedJson } from './registry.js';

/** The contract file of a product (the schema its served output points to), named by `label`. */
export function contractFileOf(p: DataProduct, label: (absolute: string) => string): string {
  const out = p.outputs.find((o) => o.format.toLowerCase() === 'parquet');
  return label(out ? path.resolve(path.dirname(p.descriptorFile), out.schema) : p.descriptorFile);
}

/** What must bump the version: everything but descriptions. */
function signature(c: Contract): string {
  const { description: _d, version: _v, ...rest } = c;
  return normalisedJson({ ...rest, fields: c.fields.map(({ description: _fd, ...f }) => f) } as unknown as Contract);
}

function versionFindings(b: Contract, p: Contract, product: string, file: string): Finding[] {
  const order = compareVersions(p.version, b.version);
  if (order < 0)
    return [
      {
        rule: 'version-decreased',
        severity: 'violation',
        product,
        file,
        message: `the contract version went down from ${b.version} to ${p.version}`,
        fix: `Give the contract a version above ${b.version}.`,
      },
    ];
  if (order === 0 && signature(b) !== signature(p)) {
    return [
      {
        rule: 'version-not-bumped',
        severity: 'violation',
        product,
        file,
        message: `the contract changed but its version is still ${p.version}`,
        fix: `Bump the contract's version (minor for a compatible change, major for a breaking one) and register it with \`meshgate contract register ${product}\`.`,
      },
    ];
  }
  return [];
}

function sameProduct(b: DataProduct, p: DataProduct, file: string): Finding[] {
  const mode = strictestMode(b.contract.compatibility, p.contract.compatibility);
  const findings = compareContracts(b.contract, p.contract, mode, { product: p.name, file });
  if (b.contract.compatibility !== p.contract.compatibility) {
    findings.unshift({
      rule: 'compatibility-mode-changed',
      severity: 'warning',
      product: p.name,
      file,
      message: `the compatibility mode changed from ${b.contract.compatibility} to ${p.contract.compatibility}; this change is judged under ${mode}, the stricter of the two`,
      fix: 'Nothing to do; later changes are judged under the new mode.',
    });
  }
  return [...findings, ...versionFindings(b.contract, p.contract, p.name, file)];
}

/** A product the base served and the current mesh does not: fine only after its sunset. */
export function removedProduct(b: Pick<DataProduct, 'name' | 'status' | 'sunset' | 'contract'>, file: string | undefined, today: string): Finding {
  const at = { product: b.name, ...(file !== undefined && { file }) };
  if ((b.status === 'deprecated' || b.status === 'retired') && b.sunset !== undefined && b.sunset <= today) {
    return {
      rule: 'product-removed',
      severity: 'warning',
      ...at,
      message: `product "${b.name}" (${b.contract.typeName}) is no longer served: retired after its sunset ${b.sunset}`,
      fix: 'Nothing to do.',
    };
  }
  const mode = b.contract.compatibility;
  const breaks = { backward: true, forward: true };
  return {
    rule: 'product-removed',
    severity: mode === 'NONE' ? 'warning' : 'violation',
    ...at,
    message: `product "${b.name}" (${b.contract.typeName}) is no longer served: ${verdict({ breaks }, mode)}; its consumers lose every field`,
    fix: `Keep serving ${b.name}; to retire it, mark it "status: deprecated" with a successor and a "sunset" date, and remove it only after that date.`,
  };
}

/** Compares the current mesh with a base; `today` (YYYY-MM-DD) decides which sunsets have passed. */
export function compareMeshes(current: Mesh, base: BaseSnapshot, repoRoot: string, today = new Date().toISOString().slice(0, 10)): Finding[] {
  const cur = productsByName(current);
  const old = productsByName(base.mesh);
  const here = (abs: string): string => path.relative(repoRoot, abs);
  const findings: Finding[] = [];
  for (const p of cur.values()) {
    const file = contractFileOf(p, here);
    const b = old.get(p.name);
    if (b) {
      findings.push(...sameProduct(b, p, file));
      continue;
    }
    const predecessor = predecessorOf(p, cur);
    if (predecessor) findings.push(...majorVersionFindings(predecessor, p, file));
  }
  for (const b of old.values()) {
    if (cur.has(b.name)) continue;
    if (current.excluded.includes(b.domain)) {
      findings.push({
        rule: 'not-compared',
        severity: 'warning',
        product: b.name,
        message: `not compared with ${base.label}: its domain "${b.domain}" has declaration problems in the current mesh`,
        fix: 'Fix the declaration problems `meshgate check` lists, then check again.',
      });
    } else {
      findings.push(removedProduct(b, contractFileOf(b, base.fileLabel), today));
    }
  }
  for (const domain of base.mesh.excluded) {
    findings.push({
      rule: 'not-compared',
      severity: 'warning',
      product: 'mesh',
      message: `domain "${domain}" could not be read in ${base.label}, so its products were not compared`,
      fix: `Check the base: ${base.mesh.problems.filter((p) => p.file.includes(`/${domain}/`)).map((p) => p.message)[0] ?? 'its declarations do not load'}.`,
    });
  }
  for (const r of base.registeredOnly) {
    // The registry does not know a product's domain: with domains left out, a missing product may be one of theirs.
    if (current.excluded.length)
      findings.push({
        rule: 'not-compared',
        severity: 'warning',
        product: r.product,
        file: r.file,
        message: `registered but not in the current mesh, where domain(s) ${current.excluded.join(', ')} have declaration problems`,
        fix: 'Fix the declaration problems `meshgate check` lists, then check again.',
      });
    else findings.push(removedProduct({ name: r.product, status: 'active', contract: r.contract }, r.file, today));
  }
  for (const name of base.unregistered) {
    findings.push({
      rule: 'not-registered',
      severity: 'warning',
      product: name,
      file: contractFileOf(cur.get(name)!, here),
      message: `${name} has no registered contract version to compare with`,
      fix: `Register it: \`meshgate contract register ${name}\`, and commit schema-registry/${name}/.`,
    });
  }
  return findings;
}
