/**
 * One build of one product from its input ports: load its inputs, check its transform against its
 * declaration, lock the session down, run the transform into the version's Parquet, and record
 * the lineage; makeVersion.ts does the rest (lock, gate, publish or keep aside).
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { readManifest, type DataProduct, type Lineage } from '../../../schema/index.js';
import { BuildError, type BuildEnv } from './BuildEnv.js';
import { inputTable } from './inputs/InputConnector.js';
import { loadInputs } from './inputs/loadInputs.js';
import { makeVersion, type BuildOutcome } from './makeVersion.js';
import { checkTransform } from './transform/checkTransform.js';
import { columnLineage } from './transform/columnLineage.js';
import { describeInputs } from './transform/describeInputs.js';
import { runTransform } from './transform/runTransform.js';

export type { BuildOutcome } from './makeVersion.js';

/** The lineage a version records: the declared inputs, and the columns where the SQL says. */
function lineageOf(product: DataProduct, columns: Lineage['columns']): Lineage {
  return { inputs: product.inputs.map((i) => ({ source: i.source, type: i.type, ...(i.domain !== undefined && { domain: i.domain }) })), columns };
}

/** Builds `product` once. Never throws for a build that fails: the outcome says why. */
export async function buildProduct(product: DataProduct, env: BuildEnv): Promise<BuildOutcome> {
  const transform = product.transform;
  if (!transform) {
    return {
      product: product.name,
      status: 'failed',
      message: `${product.name}: it declares no transform (outputs[].transform), so the platform cannot build it; publish its files with "meshgate publish ${product.name} --from DIR"`,
      findings: [],
      durationMs: 0,
    };
  }
  return makeVersion(product, env, 'build', async (session, staging) => {
    const sql = await readFile(transform.file, 'utf8').catch(() => {
      throw new BuildError(product.name, `its transform ${transform.declared} cannot be read (expected a SQL file next to its descriptor)`);
    });
    const loaded = await loadInputs({ product, session, env, scratch: staging.scratch, transformSql: sql });
    const checked = await checkTransform(session, product.name, transform.declared, sql, new Map(product.inputs.map((i) => [i.source, inputTable(i.source)])));
    await session.lockDown(staging.root);
    env.log(`${product.name}: running ${transform.declared}...`);
    const { files, rows } = await runTransform(session, product, checked.select, `its transform ${transform.declared}`, staging.data);
    return {
      files,
      rows,
      inputs: loaded.map((l) => l.read),
      lineage: lineageOf(product, columnLineage(checked.tree, product, await describeInputs(session, product))),
      transform: { file: transform.declared, sha256: createHash('sha256').update(sql).digest('hex') },
      commit: async () => {
        for (const l of loaded) await l.commit?.();
      },
    };
  });
}

/** The version a product serves now, if any. */
export async function servedVersion(product: DataProduct): Promise<string | undefined> {
  const read = await readManifest(product.storeDir);
  return read.kind === 'ok' ? read.manifest.version : undefined;
}
