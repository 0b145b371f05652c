/**
 * Runs each product's contract against its real Parquet output: the files are present and
 * Parquet; every field is a column of a compatible type; required fields hold no nulls; the key
 * is unique; references resolve (orphans counted); freshness and completeness meet the SLA; the
 * contract's ODCS quality rules hold. Bad data is a result with a finding, never an exception.
 */
import path from 'node:path';
import type { DataProduct } from '../../../schema/index.js';
import type { Finding } from '../../../policies/index.js';
import { count, result, type ContractTestResult } from './ContractTestResult.js';
import { DataReadError, DataSession } from './DataSession.js';
import { freshnessTest } from './freshnessTest.js';
import { openProductData, type DataFiles, type Opened } from './openProductData.js';
import { qualityTests } from './qualityTests.js';
import { referenceTests, type Target } from './referenceTests.js';
import { schemaTests } from './schemaTests.js';
import { valueTests } from './valueTests.js';

/** What the tests need besides the products to test. */
export interface ContractTestOptions {
  /** Every product of the mesh by name, to resolve references (the tested ones among them). */
  readonly mesh: ReadonlyMap<string, DataProduct>;
  /** "Now", for freshness (default: the current time). */
  readonly now?: Date;
  /** Findings and messages name files relative to this folder when inside it (default: the working directory). */
  readonly baseDir?: string;
  /** Receives one progress line per product. */
  readonly log?: (line: string) => void;
  /** Files to test instead of a product's served version (a build's new version, before its gate lets it through). */
  readonly files?: ReadonlyMap<string, DataFiles>;
}

/** Everything one run found. */
export interface ContractTestReport {
  readonly results: readonly ContractTestResult[];
  /** The findings of the results that did not pass, in order. */
  readonly findings: readonly Finding[];
  /** Each tested product with its rows (null when its output could not be read). */
  readonly products: readonly { readonly name: string; readonly rows: number | null }[];
}

/** Tests the products' outputs against their contracts, one product after the other. */
export async function testContracts(products: readonly DataProduct[], options: ContractTestOptions): Promise<ContractTestReport> {
  const baseDir = path.resolve(options.baseDir ?? process.cwd());
  const relative = (file: string): string => {
    const r = path.relative(baseDir, file);
    return r && !r.startsWith('..') && !path.isAbsolute(r) ? r : file;
  };
  const now = (options.now ?? new Date()).getTime();
  const session = await DataSession.open();
  const opened = new Map<string, Promise<Opened>>();
  const open = (p: DataProduct): Promise<Opened> => {
    if (!opened.has(p.name)) opened.set(p.name, openProductData(session, p, `product_${opened.size}`, relative, options.files?.get(p.name)));
    return opened.get(p.name)!;
  };
  const target = async (name: string): Promise<Target> => {
    const p = options.mesh.get(name);
    if (!p) return { reason: `"${name}" is not a product of the mesh` };
    const o = await open(p);
    return o.data ? { product: p, data: o.data } : { reason: `its output cannot be read (${o.results.find((r) => !r.pass)?.finding?.message ?? 'no data'})` };
  };
  const results: ContractTestResult[] = [];
  const tested: { name: string; rows: number | null }[] = [];
  try {
    for (const product of products) {
      const o = await open(product);
      options.log?.(o.data ? `testing ${product.name} (${count(o.data.rows, 'row')})...` : `testing ${product.name}...`);
      tested.push({ name: product.name, rows: o.data?.rows ?? null });
      results.push(...o.results);
      if (!o.data) continue;
      const data = o.data;
      try {
        const schema = schemaTests(product, data);
        results.push(...schema.results);
        results.push(...(await valueTests(session, product, data, schema.usable)));
        results.push(...(await referenceTests(session, product, data, schema.usable, target)));
        results.push(...(await freshnessTest(session, product, data, schema.usable, now)));
        results.push(...(await qualityTests(session, product, data, schema.usable)));
      } catch (error) {
        if (!(error instanceof DataReadError)) throw error;
        results.push(
          result(product, 'data-readable', {
            expected: 'readable Parquet',
            actual: 'unreadable',
            failure: { file: data.location, message: `the output at ${data.location} cannot be read: ${error.message}`, fix: "Rebuild the product's files with its job." },
          }),
        );
      }
    }
  } finally {
    session.close();
  }
  const shown = results.map((r) => (r.finding?.file && path.isAbsolute(r.finding.file) ? { ...r, finding: { ...r.finding, file: relative(r.finding.file) } } : r));
  return { results: shown, findings: shown.flatMap((r) => (r.finding ? [r.finding] : [])), products: tested };
}
