/** `meshgate seed`: the sample mesh's Parquet outputs (subgraphs/sample), behind the CLI's option parsing. */
import path from 'node:path';
import { seedSample } from '../../subgraphs/sample/index.js';
import { REPO_ROOT } from '../config.js';
import { type Command, parseOptions, positiveNumber, UsageError } from '../Command.js';

/**
 * The data root: `--data-dir`, else `MESHGATE_DATA_DIR`, else `<repo>/data`. Read apart from
 * `readConfig`, so a bad serving setting (a port, a secret) does not stop seeding.
 */
function defaultDataRoot(): string {
  return path.resolve(process.env.MESHGATE_DATA_DIR || path.join(REPO_ROOT, 'data'));
}

/** Reads `--seed`: a non-negative integer. */
function seedOption(raw: string | undefined): number {
  if (raw === undefined) return 42;
  const n = raw.trim() === '' ? Number.NaN : Number(raw);
  if (!Number.isSafeInteger(n) || n < 0) throw new UsageError(`--seed must be a non-negative integer, got "${raw}"`);
  return n;
}

function seconds(since: number): string {
  return ((performance.now() - since) / 1000).toFixed(1);
}

/** `meshgate seed`. */
export const command: Command = {
  help: [
    'Usage: meshgate seed [--scale N] [--seed S] [--data-dir DIR] [--if-missing]',
    '',
    "(Re)builds the sample mesh's Parquet outputs (customers, commerce, payments) where their",
    'data-product.yaml declare them. The same scale and seed give the same files, byte for byte,',
    'all through a UTC day (timestamps run up to the start of the current UTC day).',
    '',
    'Options:',
    '  --scale N       size: 1 = 10,000 customers, 100,000 orders, 100,000 payments (default 1; 0.1 works)',
    '  --seed S        seed of every generated value, a non-negative integer (default 42)',
    '  --data-dir DIR  the data root (default: $MESHGATE_DATA_DIR, else <repo>/data)',
    '  --if-missing    keep outputs that already exist (unless an input was rebuilt)',
  ].join('\n'),
  async run(args) {
    const { values, positionals } = parseOptions(args, {
      scale: { type: 'string' },
      seed: { type: 'string' },
      'data-dir': { type: 'string' },
      'if-missing': { type: 'boolean' },
    });
    if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
    const scale = positiveNumber('scale', values.scale, 1);
    const seed = seedOption(values.seed);
    if (values['data-dir'] === '') throw new UsageError('--data-dir must be a folder path, got ""');
    const dataRoot = values['data-dir'] ? path.resolve(values['data-dir']) : defaultDataRoot();
    const started = performance.now();
    const log = (line: string) => process.stderr.write(`${line}\n`);
    const done = await seedSample({ scale, seed, dataRoot, ifMissing: values['if-missing'] ?? false, log });
    const rows = done.reduce((sum, d) => sum + (d.rows ?? 0), 0);
    const built = done.filter((d) => d.rows !== undefined).length;
    process.stdout.write(`seeded ${built} of ${done.length} products (${rows.toLocaleString('en-US')} rows) into ${dataRoot} in ${seconds(started)} s\n`);
    return 0;
  },
};
