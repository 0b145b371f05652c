/** `type: files`: a landing folder of CSV, JSON lines or Parquet files under the data root (the embedded default needs no server). */
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { buildLoadFiles, buildRowCount, type LandingFormat } from '../../sql/index.js';
import { BuildError } from '../BuildEnv.js';
import type { InputConnector } from './InputConnector.js';

const EXTENSIONS: Record<LandingFormat, readonly string[]> = { csv: ['.csv'], jsonl: ['.jsonl', '.ndjson', '.json'], parquet: ['.parquet'] };

/** The landing folder of an input: declared, or `landing/<domain>/<source>/`; never outside the data root. */
export function landingFolder(dataRoot: string, domain: string, input: { readonly source: string; readonly path?: string }): string {
  const root = path.resolve(dataRoot);
  const dir = path.resolve(root, input.path ?? path.join('landing', domain, input.source));
  if (dir !== root && !dir.startsWith(`${root}${path.sep}`)) throw new TypeError(`input ${input.source}: its path leaves the data root`);
  return dir;
}

/** Every file of a format below `dir`, in name order; none when the folder is missing. */
export async function landingFiles(dir: string, format: LandingFormat): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries
    .filter((e) => e.isFile() && EXTENSIONS[format].includes(path.extname(e.name).toLowerCase()) && !e.name.startsWith('.'))
    .map((e) => path.join(e.parentPath, e.name))
    .sort();
}

/** Loads every landing file of the input, as one table (columns matched by name). */
export const filesInput: InputConnector = async ({ product, input, table, session, env }) => {
  const format = input.format!;
  const dir = landingFolder(env.dataRoot, product.domain, input);
  const shown = path.relative(env.dataRoot, dir) || '.';
  const files = await landingFiles(dir, format);
  if (files.length === 0) throw new BuildError(product.name, `input ${input.source} (files): no ${format} file in ${shown}/ under the data root`);
  try {
    await session.run(buildLoadFiles(table, files, format));
  } catch (error) {
    throw new BuildError(product.name, `input ${input.source} (files): the ${format} files in ${shown}/ cannot be read: ${(error as Error).message.split('\n')[0]}`, {
      cause: error,
    });
  }
  const [count] = await session.rows(buildRowCount(table));
  return { read: { source: input.source, type: 'files', rows: Number(count?.rows ?? 0), checkpoint: `${files.length} file(s)` } };
};
