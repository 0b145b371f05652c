/**
 * `meshgate test-contracts [PRODUCT...]`: each product's contract tested against its real Parquet
 * output. A table of every test on stdout (or `--json`), progress and the summary on stderr; exit 1
 * when a test fails, 2 for an unknown product or a bad option.
 */
import { access } from 'node:fs/promises';
import path from 'node:path';
import { formatProblem, loadMesh, productsByName } from '../../schema/index.js';
import { testContracts, type ContractTestResult } from '../../subgraphs/runtime/contracts/index.js';
import { readConfig, REPO_ROOT } from '../config.js';
import { type Command, parseOptions, UsageError } from '../Command.js';

const help = `Usage: meshgate test-contracts [PRODUCT...] [--json] [--data-dir DIR]

Tests each product's contract (every product, or those named) against its Parquet output under the
data root: files present and Parquet, every field present with its declared type, no nulls in
required fields, a unique key, references that resolve (orphans counted), freshness and
completeness against the SLA (freshness from sla.freshness_field when the descriptor names one,
else from when the served version's data is as of (a build's start)), and the contract's ODCS quality rules.

Options:
  --json           print { results, findings, summary } as JSON instead of a table
  --data-dir DIR   the data root (default: MESHGATE_DATA_DIR, else ./data)

Exit codes: 0 every test passed (warnings allowed), 1 a test failed, 2 a usage error.`;

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
const status = (r: ContractTestResult): string => (r.pass ? 'ok' : r.finding?.severity === 'warning' ? 'warn' : 'FAIL');

/** Rows of the table: the passing per-field results of one test and product collapse into one row. */
function tableRows(results: readonly ContractTestResult[]): string[][] {
  const rows: string[][] = [];
  const seen = new Set<string>();
  for (const r of results) {
    const group = results.filter((x) => x.product === r.product && x.test === r.test && x.field !== undefined);
    const collapse = r.pass && r.field !== undefined && group.length > 1 && (r.test === 'field-type' || r.test === 'not-null');
    if (!collapse) {
      rows.push([r.product, r.test, r.field ?? '-', r.expected, r.actual, status(r)]);
      continue;
    }
    if (seen.has(`${r.product}/${r.test}`)) continue;
    seen.add(`${r.product}/${r.test}`);
    const passing = group.filter((x) => x.pass);
    const same = passing.every((x) => x.expected === r.expected && x.actual === r.actual);
    rows.push([r.product, r.test, `${passing.length} fields`, same ? r.expected : 'as declared', same ? r.actual : 'as declared', 'ok']);
  }
  return rows;
}

/** The results as a table, grouped by product (the product named on its first row only). */
function table(results: readonly ContractTestResult[]): string {
  const rows = tableRows(results);
  const head = ['PRODUCT', 'TEST', 'FIELD', 'EXPECTED', 'ACTUAL', 'RESULT'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const lines = [head, ...rows.map((r, i) => (i > 0 && rows[i - 1]![0] === r[0] ? ['', ...r.slice(1)] : r))].map((r) =>
    r
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd(),
  );
  const failures = results
    .filter((r) => r.finding)
    .map((r) => `${r.finding!.severity === 'warning' ? 'warning' : 'FAIL'} ${r.product}${r.field ? `.${r.field}` : ''} ${r.test}: ${r.finding!.message}\n  fix: ${r.finding!.fix}`);
  return `${lines.join('\n')}\n${failures.length ? `\n${failures.join('\n')}\n` : ''}`;
}

/** `meshgate test-contracts`. */
export const command: Command = {
  help,
  async run(args) {
    const { values, positionals } = parseOptions(args, { json: { type: 'boolean' }, 'data-dir': { type: 'string' } });
    if (values['data-dir'] === '') throw new UsageError('--data-dir must be a folder path, got ""');
    const config = readConfig({ ...process.env, ...(values['data-dir'] && { MESHGATE_DATA_DIR: path.resolve(values['data-dir']) }) });
    const dataRoot = path.resolve(config.MESHGATE_DATA_DIR);
    if (
      !(await access(dataRoot).then(
        () => true,
        () => false,
      ))
    )
      throw new UsageError(`no such folder ${dataRoot} (--data-dir or MESHGATE_DATA_DIR): expected the data root the outputs' locations are under`);
    const mesh = await loadMesh(path.resolve(config.MESHGATE_SUBGRAPHS_DIR), { dataRoot }).catch((error: NodeJS.ErrnoException) => {
      throw new UsageError(
        `cannot read MESHGATE_SUBGRAPHS_DIR ${config.MESHGATE_SUBGRAPHS_DIR} (${error.code ?? error.message}): expected the folder of the domains' declarations`,
      );
    });
    for (const p of mesh.problems) process.stderr.write(`note: ${formatProblem(p)}\n`);
    if (mesh.excluded.length) process.stderr.write(`note: left out of the mesh, not tested: ${mesh.excluded.join(', ')} (run \`meshgate check\`)\n`);
    const byName = productsByName(mesh);
    const unknown = positionals.filter((n) => !byName.has(n));
    if (unknown.length)
      throw new UsageError(`unknown product${unknown.length > 1 ? 's' : ''} ${unknown.map((n) => `"${n}"`).join(', ')}: expected one of ${[...byName.keys()].join(', ')}`);
    const chosen = positionals.length ? [...new Set(positionals)].map((n) => byName.get(n)!) : [...byName.values()];
    const started = performance.now();
    const report = await testContracts(chosen, { mesh: byName, baseDir: REPO_ROOT, log: (line) => process.stderr.write(`${line}\n`) });
    const failed = report.results.filter((r) => r.finding?.severity === 'violation').length;
    const warned = report.results.filter((r) => r.finding?.severity === 'warning').length;
    const summary = { tests: report.results.length, passed: report.results.filter((r) => r.pass).length, failed, warnings: warned, products: report.products };
    if (values.json) process.stdout.write(`${JSON.stringify({ results: report.results, findings: report.findings, summary }, null, 2)}\n`);
    else process.stdout.write(table(report.results));
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    process.stderr.write(
      `${plural(summary.tests, 'test')} on ${plural(chosen.length, 'product')}: ${summary.passed} passed, ${failed} failed, ${plural(warned, 'warning')} (${seconds} s)\n`,
    );
    return failed > 0 ? 1 : 0;
  },
};
