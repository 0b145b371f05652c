/**
 * `meshgate publish PRODUCT --from DIR`: publishes Parquet a domain wrote with its own tools through
 * the same gate as a build (contract tests, anomaly checks, atomic manifest swap).
 */
import path from 'node:path';
import { productsByName } from '../../schema/index.js';
import { publishFiles } from '../../subgraphs/runtime/index.js';
import { readConfig } from '../config.js';
import { type Command, parseOptions, UsageError } from '../Command.js';
import { buildEnv } from '../mesh/buildEnv.js';
import { loadServedMesh } from '../mesh/loadServedMesh.js';
import { loadSecurity } from '../security.js';

const help = `Usage: meshgate publish PRODUCT --from DIR [--json]

Publishes the Parquet files under DIR (or the one .parquet file DIR names) as a new version of
PRODUCT: the files must hold exactly the contract's columns, in types it can hold; they are
rewritten as the version's Parquet, tested against the contract and compared with the served
version's profile, and published by an atomic manifest swap only if that passes. A version that
fails is kept aside under failed/ with its report; the served version keeps serving.

Exit codes: 0 published, 1 the gate refused the version, 2 a usage error.`;

/** The `publish` command. */
export const command: Command = {
  help,
  async run(args) {
    const { values, positionals } = parseOptions(args, { from: { type: 'string' }, json: { type: 'boolean' } });
    if (positionals.length !== 1) throw new UsageError('expected exactly one PRODUCT');
    if (!values.from) throw new UsageError('--from DIR is required: the folder of Parquet files to publish');
    const config = readConfig();
    const log = (l: string): void => void process.stderr.write(`${l}\n`);
    const mesh = await loadServedMesh(config, log);
    const product = productsByName(mesh).get(positionals[0]!);
    if (!product) throw new UsageError(`unknown product "${positionals[0]}": expected one of ${[...productsByName(mesh).keys()].join(', ')}`);
    const security = await loadSecurity(config, mesh, log);
    // A publish reads no other product, so it records nothing in the access log.
    const outcome = await publishFiles(
      product,
      path.resolve(values.from),
      buildEnv(config, mesh, security, async () => undefined, log),
    );
    if (values.json) process.stdout.write(`${JSON.stringify(outcome)}\n`);
    else process.stdout.write(outcome.status === 'published' ? `published ${outcome.product} ${outcome.version} (${outcome.rows} rows)\n` : `FAILED ${outcome.message}\n`);
    return outcome.status === 'published' ? 0 : 1;
  },
};
