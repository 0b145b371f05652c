/**
 * The composition root: the `meshgate` command. Each command is a module of `commands/` exporting a
 * {@link Command}; this file only dispatches. Exit codes: 0 success, 1 a check failed, 2 usage error.
 */
import type { Command } from './Command.js';
import { UsageError } from './Command.js';

const COMMANDS: Record<string, () => Promise<{ command: Command }>> = {
  up: () => import('./commands/up.js'),
  seed: () => import('./commands/seed.js'),
  subgraph: () => import('./commands/subgraph.js'),
  gateway: () => import('./commands/gateway.js'),
  token: () => import('./commands/token.js'),
  keys: () => import('./commands/keys.js'),
  env: () => import('./commands/env.js'),
  'policy-schema': () => import('./commands/policySchema.js'),
  check: () => import('./commands/check.js'),
  'test-contracts': () => import('./commands/testContracts.js'),
  contract: () => import('./commands/contract.js'),
  bench: () => import('./commands/bench.js'),
  audit: () => import('./commands/audit.js'),
  build: () => import('./commands/build.js'),
  publish: () => import('./commands/publish.js'),
  init: () => import('./commands/init.js'),
  lineage: () => import('./commands/lineage.js'),
  catalog: () => import('./commands/catalog.js'),
  config: () => import('./commands/config.js'),
};

function usage(): string {
  return [
    'meshgate: a data mesh access layer (federated GraphQL over DuckDB and Parquet)',
    '',
    'Usage: meshgate <command> [options]',
    '',
    'Commands:',
    '  up        build the sample data if missing, start every subgraph and the gateway',
    '  seed      (re)build the sample Parquet outputs: meshgate seed [--scale N]',
    "  subgraph  serve one domain's subgraph alone: meshgate subgraph --domain NAME",
    '  gateway   serve the gateway alone, over subgraphs running elsewhere',
    '  token     print a dev JWT: meshgate token --sub S --roles a,b [--purpose P] [--countries DE,FR]; or one signed by a deployment key: --key FILE',
    "  keys      a deployment's own token issuer: meshgate keys generate --out DIR (private key and the JWKS the gateway trusts)",
    '  env       print a ready .env for docker-compose (.env.example with fresh secrets): meshgate env > .env',
    '  policy-schema  print the JSON Schema of the access-policy file (for editors)',
    '  check     governance rules and contract compatibility: meshgate check [--base DIR_OR_GIT_REF] [--json]',
    '  test-contracts  the contracts tested against the real Parquet outputs: meshgate test-contracts [PRODUCT...]',
    '  contract  ODCS v3 export and import: meshgate contract export --odcs PRODUCT | import FILE',
    '  bench     run the benchmark suite and write bench/results/latest.json',
    '  audit     the access log: meshgate audit query [--since 7d --pii-only ...] | meshgate audit verify',
    '  build     build products from their inputs, gate and publish each new version: meshgate build [PRODUCT...]',
    "  publish   publish a domain's own Parquet through the same gate: meshgate publish PRODUCT --from DIR",
    '  init      scaffold a new product from a Parquet file or Avro schema, every guess marked for review: meshgate init DOMAIN --from FILE',
    '  catalog   the products you may read, from the running gateway: meshgate catalog [--search TEXT] [--domain D] [--json] | catalog show PRODUCT',
    '  config    the effective configuration, secrets redacted: meshgate config [--json] | meshgate config --json-schema',
    "  lineage   a product's lineage, upstream to its sources and downstream to its consumers: meshgate lineage PRODUCT [--format json|dot|mermaid] [--columns]",
    '',
    "Run `meshgate <command> --help` for a command's options.",
  ].join('\n');
}

/** Runs the CLI with the given arguments and resolves to the process exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`${usage()}\n`);
    return name ? 0 : 2;
  }
  const load = COMMANDS[name];
  if (!load) {
    process.stderr.write(`meshgate: unknown command "${name}"\n\n${usage()}\n`);
    return 2;
  }
  const { command } = await load();
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(`${command.help}\n`);
    return 0;
  }
  try {
    return await command.run(rest);
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`meshgate ${name}: ${error.message}\n\n${command.help}\n`);
      return 2;
    }
    process.stderr.write(`meshgate ${name}: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}
