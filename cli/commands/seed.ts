/** `meshgate seed`: the sample mesh's raw operational sources (subgraphs/sample), behind the CLI's option parsing; `meshgate build` makes the products. */
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
    "Writes the sample mesh's raw operational sources, not its products, where the domains'",
    'data-product.yaml inputs read them (under DIR/landing/):',
    '  customers/crm-accounts/      the CRM account exports (CSV: a full export, then the changes)',
    "  commerce/orders-db/          the orders table's change stream (JSON lines: a snapshot, then",
    '                               creates, updates and deletes, as a CDC tool writes them)',
    '  commerce/orders-db.sql       a dump of the orders table, for psql -f (the PostgreSQL path)',
    "  payments/psp-settlements/    the payment provider's settlement records (JSON lines, by month)",
    'Then `meshgate build` makes customer-profiles, orders-enriched and payments from them with the',
    "domains' transforms. The same scale and seed give the same files, byte for byte, all through a",
    'UTC day (times run up to the start of the current UTC day).',
    '',
    'Options:',
    '  --scale N       size: 1 = 10,000 customers, 100,000 orders, 100,000 payments (default 1; 0.1 works)',
    '  --seed S        seed of every generated value, a non-negative integer (default 42)',
    '  --data-dir DIR  the data root (default: $MESHGATE_DATA_DIR, else <repo>/data)',
    '  --if-missing    keep the sources that already exist (unless one they depend on was written again)',
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
    const records = done.reduce((sum, d) => sum + (d.records ?? 0), 0);
    const files = done.reduce((sum, d) => sum + d.files.length, 0);
    const written = done.filter((d) => d.records !== undefined).length;
    process.stdout.write(
      `seeded the raw sources of ${written} of ${done.length} domains (${records.toLocaleString('en-US')} records in ${files} files) into ${dataRoot} in ${seconds(started)} s; ` +
        '`meshgate build` makes the products from them\n',
    );
    return 0;
  },
};
