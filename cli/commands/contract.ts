/** `meshgate contract`: ODCS v3.0.2 export and import of a product's contract, and the schema registry. */
import { stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { stringify } from 'yaml';
import { formatProblem, loadMesh, productsByName, type DataProduct } from '../../schema/index.js';
import { importOdcs, toOdcs, validateOdcs } from '../../schema/odcs/index.js';
import { normalisedJson } from '../../policies/compatibility/index.js';
import { registerContract } from '../compatibility/registerContract.js';
import { readConfig, REPO_ROOT } from '../config.js';
import { type Command, parseOptions, UsageError } from '../Command.js';

const help = `Usage:
  meshgate contract export --odcs PRODUCT          print PRODUCT's contract as an ODCS v3.0.2 YAML document
  meshgate contract import FILE [--out FILE.json]  read an ODCS v3 contract, validated against the official
                                                   JSON Schema, and print meshgate's contract as JSON
  meshgate contract register PRODUCT... | --all    record the current contract in
                                                   schema-registry/<product>/<version>.json (commit it)

The export validates against the official ODCS v3.0.2 JSON Schema (schema/odcs/) and reads back into the
same contract. Registering refuses a version below the latest, a different contract under a registered
version, and a change that breaks the product's compatibility mode; \`meshgate check --base registry\`
compares the current contracts with the registered ones.

Examples:
  meshgate contract export --odcs orders-enriched > orders-enriched.odcs.yaml
  meshgate contract import orders-enriched.odcs.yaml --out /tmp/orders.json
  meshgate contract register --all`;

/** Loads the mesh the configuration names, by product name. */
async function products(): Promise<{ byName: ReadonlyMap<string, DataProduct>; problems: string[] }> {
  const config = readConfig();
  const mesh = await loadMesh(config.MESHGATE_SUBGRAPHS_DIR, { dataRoot: config.MESHGATE_DATA_DIR });
  return { byName: productsByName(mesh), problems: mesh.problems.map(formatProblem) };
}

/** Finds a product or throws a usage error listing the known ones. */
function productNamed(name: string, byName: ReadonlyMap<string, DataProduct>, problems: readonly string[]): DataProduct {
  const p = byName.get(name);
  if (p) return p;
  const hint = problems.length ? `; declaration problems:\n  ${problems.join('\n  ')}` : '';
  throw new UsageError(`unknown product "${name}": expected one of ${[...byName.keys()].sort().join(', ')}${hint}`);
}

async function exportOdcs(args: readonly string[]): Promise<number> {
  const { values, positionals } = parseOptions(args, { odcs: { type: 'boolean' } });
  if (!values.odcs) throw new UsageError('export needs --odcs (the only export format)');
  if (positionals.length !== 1) throw new UsageError('export takes exactly one PRODUCT');
  const { byName, problems } = await products();
  const product = productNamed(positionals[0]!, byName, problems);
  const doc = toOdcs(product);
  const invalid = validateOdcs(`${product.name} (export)`, doc);
  if (invalid.length) throw new Error(`bug: the ODCS export does not validate: ${invalid.map(formatProblem).join('; ')}`);
  process.stdout.write(`# ODCS v3.0.2 data contract of ${product.name}, exported by meshgate\n${stringify(doc, { lineWidth: 0 })}`);
  return 0;
}

async function importFile(args: readonly string[]): Promise<number> {
  const { values, positionals } = parseOptions(args, { out: { type: 'string' } });
  if (positionals.length !== 1) throw new UsageError('import takes exactly one FILE');
  const file = positionals[0]!;
  if (
    !(await stat(file).then(
      (s) => s.isFile(),
      () => false,
    ))
  )
    throw new UsageError(`no file "${file}": expected an ODCS v3 contract (YAML or JSON)`);
  const contract = await importOdcs(file);
  if (contract.errors) {
    process.stderr.write(
      `meshgate contract import: ${file} is not an ODCS v3.0.2 contract meshgate can read:\n${contract.errors.map((p) => `  ${formatProblem(p)}`).join('\n')}\n`,
    );
    return 1;
  }
  const json = normalisedJson(contract.value);
  if (values.out === undefined) process.stdout.write(json);
  else {
    await writeFile(values.out, json);
    process.stderr.write(`wrote ${path.resolve(values.out)}\n`);
  }
  return 0;
}

async function register(args: readonly string[]): Promise<number> {
  const { values, positionals } = parseOptions(args, { all: { type: 'boolean' } });
  if (!values.all && positionals.length === 0) throw new UsageError('register needs PRODUCT... or --all');
  const { byName, problems } = await products();
  const chosen = values.all ? [...byName.values()] : positionals.map((n) => productNamed(n, byName, problems));
  let refused = 0;
  for (const product of chosen) {
    const r = await registerContract(product, REPO_ROOT);
    if (r.outcome === 'refused') {
      refused++;
      process.stderr.write(`refused ${product.name} ${product.contract.version}: ${r.reasons.join('; ')}\n${r.findings.map((f) => `  ${f.rule}: ${f.message}\n`).join('')}`);
    } else process.stderr.write(`${r.outcome === 'registered' ? 'registered' : 'already registered'} ${product.name} ${product.contract.version}: ${r.file}\n`);
  }
  return refused ? 1 : 0;
}

/** The `contract` command. */
export const command: Command = {
  help,
  async run(args) {
    const [sub, ...rest] = args;
    if (sub === 'export') return exportOdcs(rest);
    if (sub === 'import') return importFile(rest);
    if (sub === 'register') return register(rest);
    throw new UsageError(sub ? `unknown sub-command "${sub}": expected export, import or register` : 'expected a sub-command: export, import or register');
  },
};
