/**
 * Finds a product's Parquet files and opens them for the tests: each file must exist and be
 * Parquet (its footer is read for the row count); then one view over all of them. Whatever is
 * wrong comes back as results naming the file and what was expected, never as an exception.
 */
import { open, stat } from 'node:fs/promises';
import type { DataProduct } from '../../../schema/index.js';
import { manifestFiles, readManifest } from '../../../schema/index.js';
import { buildDescribeView, buildFileRowCount, buildSourceView } from '../sql/index.js';
import { count, result, type ContractTestResult } from './ContractTestResult.js';
import { DataReadError, numberOf, type DataSession } from './DataSession.js';

/** A product's output, opened: the view to query and what the files say. */
export interface ProductData {
  readonly view: string;
  readonly files: readonly string[];
  readonly rows: number;
  /** Column name to DuckDB type, as the files have them. */
  readonly columns: ReadonlyMap<string, string>;
  /** The newest file's modification time (epoch ms). */
  readonly newestFileMs: number;
  /** How current the version's data is (epoch ms), as its publisher recorded it; freshness is measured from it. */
  readonly dataAsOfMs?: number;
  /** The declared location as messages show it. */
  readonly location: string;
}

/** The opened data, or the results that say why it cannot be tested. */
export type Opened = { readonly data: ProductData; readonly results: ContractTestResult[] } | { readonly data?: undefined; readonly results: ContractTestResult[] };

const REWRITE = 'Publish a new version (meshgate build or meshgate publish): a published version is never rewritten in place.';

/** Why a file cannot be read as Parquet, from its first bytes and DuckDB's complaint. */
async function unreadable(file: string, size: number, complaint: string): Promise<string> {
  if (size === 0) return 'it is empty (0 bytes)';
  const head = Buffer.alloc(4);
  const handle = await open(file, 'r');
  try {
    await handle.read(head, 0, 4, 0);
  } finally {
    await handle.close();
  }
  if (head.toString('latin1') !== 'PAR1') return 'it is not Parquet (it does not start with the PAR1 magic bytes)';
  return `it is truncated or damaged (${complaint.replace(/ '[^']*'$/, '')})`;
}

/** Reads one file's footer; resolves to its rows and time, or to the failed result. */
async function openFile(
  session: DataSession,
  product: DataProduct,
  file: string,
  relative: (f: string) => string,
): Promise<{ rows: number; mtimeMs: number } | ContractTestResult> {
  const shown = relative(file);
  const info = await stat(file).catch(() => undefined);
  if (!info) {
    return result(product, 'data-present', {
      expected: 'a Parquet file',
      actual: 'missing',
      failure: {
        file: shown,
        message: `${shown} does not exist: expected the product's Parquet output there`,
        fix: 'A file of the published version is gone: publish a new version (meshgate build or meshgate publish); never remove files under a served version.',
      },
    });
  }
  try {
    const rows = numberOf((await session.rows(buildFileRowCount(file)))[0]?.row_count) ?? 0;
    return { rows, mtimeMs: info.mtimeMs };
  } catch (error) {
    if (!(error instanceof DataReadError)) throw error;
    const why = await unreadable(file, info.size, error.message);
    return result(product, 'data-readable', {
      expected: 'a Parquet file',
      actual: why.replace(/^it is /, ''),
      failure: { file: shown, message: `${shown}: expected a Parquet file, but ${why}`, fix: REWRITE },
    });
  }
}

/** Which files to test: a version about to be published (a build's gate), or else the version the manifest serves. */
export interface DataFiles {
  readonly files: readonly string[];
  /** How messages name where they are. */
  readonly location: string;
  /** How current the data is (epoch ms), when its publisher says. */
  readonly dataAsOfMs?: number;
}

/** The served version's files, or the result that says why there are none to test. */
async function servedFiles(product: DataProduct, relative: (f: string) => string): Promise<DataFiles | ContractTestResult> {
  const location = `${relative(product.storeDir)}/`;
  const read = await readManifest(product.storeDir);
  if (read.kind === 'ok') return { files: manifestFiles(product.storeDir, read.manifest), location, dataAsOfMs: Date.parse(read.manifest.dataAsOf) };
  if (read.kind === 'bad') {
    return result(product, 'data-present', {
      expected: 'a published version',
      actual: 'a bad manifest',
      failure: { file: location, message: `${location}: ${read.reason}`, fix: 'Publish a new version (meshgate build or meshgate publish): never edit the manifest by hand.' },
    });
  }
  return result(product, 'data-present', {
    expected: 'a published version',
    actual: 'none',
    failure: {
      severity: 'warning',
      file: location,
      message: `no version of it is published at ${location} yet, so its data was not tested`,
      fix: product.transform
        ? `Build it (meshgate build ${product.name}), or publish its files (meshgate publish ${product.name} --from DIR).`
        : `Publish its files (meshgate publish ${product.name} --from DIR), or let its domain's job publish it (the mesh runs it).`,
    },
  });
}

/** Opens a product's files (`given`, or the served version's) as the view `view`. */
export async function openProductData(session: DataSession, product: DataProduct, view: string, relative: (f: string) => string, given?: DataFiles): Promise<Opened> {
  const source = given ?? (await servedFiles(product, relative));
  if ('test' in source) return { results: [source] };
  const { files, location, dataAsOfMs } = source;
  if (files.length === 0) {
    return {
      results: [
        result(product, 'data-present', {
          expected: 'at least 1 Parquet file',
          actual: 'none',
          failure: { file: location, message: `the version at ${location} lists no Parquet file`, fix: 'Publish a version with its data files.' },
        }),
      ],
    };
  }
  const opened = await Promise.all(files.map((f) => openFile(session, product, f, relative)));
  const failed = opened.filter((o): o is ContractTestResult => 'test' in o);
  if (failed.length) return { results: failed };
  const good = opened as { rows: number; mtimeMs: number }[];
  const present = result(product, 'data-present', { expected: 'at least 1 Parquet file', actual: count(files.length, 'file') });
  try {
    await session.rows(buildSourceView(view, files));
    const described = await session.rows(buildDescribeView(view));
    const columns = new Map(described.map((r) => [String(r.column_name), String(r.column_type)]));
    const rows = good.reduce((sum, f) => sum + f.rows, 0);
    return {
      data: { view, files, rows, columns, newestFileMs: Math.max(...good.map((f) => f.mtimeMs)), location, ...(dataAsOfMs !== undefined && { dataAsOfMs }) },
      results: [present],
    };
  } catch (error) {
    if (!(error instanceof DataReadError)) throw error;
    return {
      results: [
        present,
        result(product, 'data-readable', {
          expected: 'files that read as one table',
          actual: 'unreadable',
          failure: {
            file: location,
            message: `the files at ${location} cannot be read as one table: ${error.message}`,
            fix: "Rewrite the files with one schema (the contract's).",
          },
        }),
      ],
    };
  }
}
