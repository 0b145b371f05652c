/**
 * `meshgate publish PRODUCT --from DIR`: a domain that writes Parquet with its own tools publishes
 * it through the same gate as a build. The files are read as one table, must hold exactly the
 * contract's columns in types it can hold, and are rewritten as the version's Parquet (contract
 * types, key order); then the contract tests and anomaly checks decide, as for a build.
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { DataProduct } from '../../../schema/index.js';
import { buildLoadFiles, buildSelectAll } from '../sql/index.js';
import { BuildError, type BuildEnv } from './BuildEnv.js';
import { landingFiles } from './inputs/filesInput.js';
import { makeVersion, type BuildOutcome } from './makeVersion.js';
import { runTransform } from './transform/runTransform.js';

const PUBLISHED = '__published';

/** Publishes the Parquet files under `dir` (or the one file `dir` names) as a new version of `product`. */
export async function publishFiles(product: DataProduct, dir: string, env: BuildEnv): Promise<BuildOutcome> {
  return makeVersion(product, env, 'publish', async (session, staging) => {
    const info = await stat(dir).catch(() => undefined);
    if (!info) throw new BuildError(product.name, `${dir} does not exist: expected a folder of Parquet files (or one .parquet file) to publish`);
    const files = info.isDirectory() ? await landingFiles(dir, 'parquet') : [dir];
    if (files.length === 0) throw new BuildError(product.name, `${dir} holds no .parquet file to publish`);
    try {
      await session.run(buildLoadFiles(PUBLISHED, files, 'parquet'));
    } catch (error) {
      throw new BuildError(product.name, `the files in ${dir} cannot be read as one Parquet table: ${(error as Error).message.split('\n')[0]}`);
    }
    await session.lockDown(staging.root);
    const written = await runTransform(session, product, buildSelectAll(PUBLISHED), `the files in ${path.basename(dir)}`, staging.data);
    return { ...written, inputs: [{ source: path.resolve(dir), type: 'files', rows: written.rows, checkpoint: `${files.length} file(s)` }] };
  });
}
