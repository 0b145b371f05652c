/**
 * `meshgate init DOMAIN --from FILE.parquet|FILE.avsc`: scaffolds a new product's descriptor and
 * contract from a file the domain already has, so onboarding starts from its real columns. Types
 * are inferred; classifications and the key are guessed and every guess is marked for review, so
 * `meshgate check` refuses the scaffold until a person has confirmed each one.
 */
import { access, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { formatDuration, loadGovernanceConfig } from '../../policies/governance/index.js';
import { readConfig } from '../config.js';
import { type Command, parseOptions, UsageError } from '../Command.js';
import { inferFromAvro, inferFromParquet } from '../onboarding/inferContract.js';
import { contractText, descriptorText } from '../onboarding/scaffold.js';

const help = `Usage: meshgate init DOMAIN --from FILE.parquet|FILE.avsc [--name PRODUCT] [--out DIR] [--force]

Scaffolds a new data product of DOMAIN from a file the domain already has:
  DIR/DOMAIN/data-product.yaml        the descriptor (owner placeholder, one Parquet output, the SLA
                                      baseline, schedule manual: data arrives by meshgate publish)
  DIR/DOMAIN/schemas/PRODUCT-v1.avsc  the contract, types inferred from the file

From Parquet, DuckDB reads the column types, counts each column (nulls, a unique key) and samples
a few values of text columns to guess their classification (email, phone, card number, IP
address...); from .avsc, the schema's own types are kept and classifications are guessed from the
names. Every guess (classification, key, order) is marked with a "...Guessed" attribute saying why:
meshgate check refuses the product until each is confirmed and its mark deleted. Sampled values are
never printed nor written.

Options:
  --from FILE     the Parquet file or Avro schema to start from (required)
  --name PRODUCT  the product's name (default: the file's name in kebab-case)
  --out DIR       the folder of the domains' declarations (default: MESHGATE_SUBGRAPHS_DIR, ./subgraphs)
  --force         overwrite files that exist

Prints the files written; exit 0 written, 1 the file cannot be read or a file exists, 2 a usage error.`;

const KEBAB = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

/** `touch_points.v2.parquet` → `touch-points`. */
function productNameOf(file: string): string {
  return path
    .basename(file)
    .replace(/\..*$/, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

const exists = (file: string): Promise<boolean> =>
  access(file).then(
    () => true,
    () => false,
  );

/** The mesh's freshness baseline, for the scaffold's SLA (24h when the governance file cannot be read). */
async function freshnessBaseline(policyFile: string): Promise<string> {
  const governance = await loadGovernanceConfig(path.join(path.dirname(path.resolve(policyFile)), 'governance.yaml'));
  return governance.value ? formatDuration(governance.value.sla.maxFreshness) : '24h';
}

/** `meshgate init`. */
export const command: Command = {
  help,
  async run(args) {
    const { values, positionals } = parseOptions(args, { from: { type: 'string' }, name: { type: 'string' }, out: { type: 'string' }, force: { type: 'boolean' } });
    if (positionals.length !== 1) throw new UsageError(positionals.length === 0 ? 'expected the DOMAIN the product belongs to' : `unexpected argument "${positionals[1]}"`);
    const domain = positionals[0]!;
    if (!KEBAB.test(domain)) throw new UsageError(`DOMAIN must be a kebab-case name such as "marketing", got "${domain}"`);
    if (!values.from) throw new UsageError('--from FILE is required: the Parquet file or Avro schema (.avsc) to start from');
    const from = path.resolve(values.from);
    const kind = /\.parquet$/i.test(from) ? 'parquet' : /\.avsc$/i.test(from) ? 'avsc' : undefined;
    if (!kind) throw new UsageError(`--from expects a .parquet file or an .avsc Avro schema, got "${values.from}"`);
    const product = values.name ?? productNameOf(from);
    if (!KEBAB.test(product)) throw new UsageError(`--name must be a kebab-case product name such as "touch-points", got "${product}"`);
    if (!(await exists(from))) {
      process.stderr.write(`meshgate init: no such file ${from}: expected the domain's Parquet file or Avro schema\n`);
      return 1;
    }
    const config = readConfig();
    const domainDir = path.join(path.resolve(values.out ?? config.MESHGATE_SUBGRAPHS_DIR), domain);
    const descriptorFile = path.join(domainDir, 'data-product.yaml');
    const contractFile = path.join(domainDir, 'schemas', `${product}-v1.avsc`);
    if (!values.force) {
      const taken = [];
      for (const f of [descriptorFile, contractFile]) if (await exists(f)) taken.push(f);
      if (taken.length) {
        process.stderr.write(`meshgate init: ${taken.join(' and ')} already exist${taken.length === 1 ? 's' : ''}: pass --force to overwrite, or --out another folder\n`);
        return 1;
      }
    }
    let inferred;
    if (kind === 'parquet') inferred = await inferFromParquet(from, product);
    else {
      let json: unknown;
      try {
        json = JSON.parse(await readFile(from, 'utf8'));
      } catch (error) {
        process.stderr.write(`meshgate init: ${from} is not valid JSON: ${(error as Error).message.split('\n')[0]}\n`);
        return 1;
      }
      inferred = inferFromAvro(json, product);
    }
    if ('error' in inferred) {
      process.stderr.write(`meshgate init: ${inferred.error}\n`);
      return 1;
    }
    const input = { domain, product, from: path.basename(from), inferred, freshness: await freshnessBaseline(config.MESHGATE_POLICY_FILE) };
    await mkdir(path.dirname(contractFile), { recursive: true });
    await writeFile(descriptorFile, descriptorText(input));
    await writeFile(contractFile, contractText(input));
    process.stdout.write(`${descriptorFile}\n${contractFile}\n`);
    const guesses = inferred.columns.filter((c) => c.declared?.classification === undefined).length + (inferred.key ? 1 : 0) + (inferred.order ? 1 : 0);
    process.stderr.write(
      `meshgate init: scaffolded ${product} (${inferred.columns.length} columns${inferred.rows !== undefined ? `, ${inferred.rows} rows read` : ''}) with ${guesses} guesses to confirm: set the owner in ${path.basename(descriptorFile)}, confirm each "...Guessed" mark of the contract and delete it, then run meshgate check\n`,
    );
    return 0;
  },
};
