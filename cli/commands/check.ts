/**
 * `meshgate check`: the mesh's governance rules (policies/governance.yaml, one rule per file of
 * policies/governance/rules/) over every domain's declarations. Findings go to stdout, grouped by
 * product; the summary to stderr; exit 1 on a violation, 2 on a usage or configuration error.
 */
import { access } from 'node:fs/promises';
import path from 'node:path';
import { formatProblem, loadMesh, type Mesh } from '../../schema/index.js';
import { checkAllCompatibility } from '../compatibility/checkAll.js';
import { loadGovernanceConfig, loadPolicyMasks, runGovernanceRules, type Finding } from '../../policies/governance/index.js';
import { readConfig, REPO_ROOT } from '../config.js';
import { type Command, parseOptions, UsageError } from '../Command.js';

const help = `Usage: meshgate check [--json] [--base DIR_OR_GIT_REF] [--governance FILE]

Runs the mesh's governance rules over every domain's data-product.yaml and contract (the domains
under MESHGATE_SUBGRAPHS_DIR, default ./subgraphs): naming, owners, classification and masks,
SLA baselines, formats, lifecycle, purposes, references, GraphQL names unique across domains,
guesses of meshgate init confirmed, and whether each declaration loads. Every problem is reported
in one run, a domain left out of the mesh included. Prints each finding (product, field, rule,
what is wrong, how to fix it) grouped by product.

Options:
  --json             print { findings, summary } as JSON instead of a table
  --base REF         also check contract compatibility against a folder or a git ref
  --governance FILE  the rules' configuration (default: governance.yaml next to MESHGATE_POLICY_FILE,
                     i.e. policies/governance.yaml)

Exit codes: 0 no violation (warnings allowed), 1 a violation, 2 a usage or configuration error.`;

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** The summary line: `3 violations, 1 warning in 4 products`. */
function summarize(findings: readonly Finding[], mesh: Mesh): { violations: number; warnings: number; products: number; excludedDomains: readonly string[] } {
  const names = new Set([...mesh.domains.flatMap((d) => d.products.map((p) => p.name)), ...findings.map((f) => f.product).filter((p) => p !== 'mesh')]);
  return {
    violations: findings.filter((f) => f.severity === 'violation').length,
    warnings: findings.filter((f) => f.severity === 'warning').length,
    products: names.size,
    excludedDomains: mesh.excluded,
  };
}

/** The findings as a table grouped by product: message and fix stacked in the last column. */
function table(findings: readonly Finding[]): string {
  const rows = findings.map((f) => [f.product, f.field ?? '-', f.rule, f.severity]);
  const head = ['PRODUCT', 'FIELD', 'RULE', 'SEVERITY'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const indent = ' '.repeat(widths.reduce((s, w) => s + w + 2, 0));
  const lines = [`${head.map((h, i) => h.padEnd(widths[i]!)).join('  ')}  MESSAGE / FIX`];
  findings.forEach((f, i) => {
    const row = rows[i]!;
    if (i > 0 && findings[i - 1]!.product !== f.product) lines.push('');
    if (i > 0 && findings[i - 1]!.product === f.product) row[0] = '';
    lines.push(`${row.map((c, j) => c.padEnd(widths[j]!)).join('  ')}  ${f.message}`);
    lines.push(`${indent}fix: ${f.fix}${f.file ? ` [${f.file}]` : ''}`);
  });
  return `${lines.join('\n')}\n`;
}

async function exists(file: string): Promise<boolean> {
  return access(file).then(
    () => true,
    () => false,
  );
}

/** `meshgate check`. */
export const command: Command = {
  help,
  async run(args) {
    const { values, positionals } = parseOptions(args, { json: { type: 'boolean' }, base: { type: 'string' }, governance: { type: 'string' } });
    if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
    if (values.base === '') throw new UsageError('--base expects a folder or a git ref, got ""');
    const config = readConfig();
    const subgraphsDir = path.resolve(config.MESHGATE_SUBGRAPHS_DIR);
    if (!(await exists(subgraphsDir))) {
      process.stderr.write(`meshgate check: no such folder ${subgraphsDir} (MESHGATE_SUBGRAPHS_DIR): expected the folder of the domains' declarations\n`);
      return 2;
    }
    const governanceFile = path.resolve(values.governance ?? path.join(path.dirname(config.MESHGATE_POLICY_FILE), 'governance.yaml'));
    const governance = await loadGovernanceConfig(governanceFile);
    if (governance.errors) {
      process.stderr.write(`meshgate check: the governance configuration cannot be used:\n${governance.errors.map((p) => `  ${formatProblem(p)}`).join('\n')}\n`);
      return 2;
    }
    const mesh = await loadMesh(subgraphsDir, { dataRoot: config.MESHGATE_DATA_DIR });
    const policyFile = path.resolve(config.MESHGATE_POLICY_FILE);
    const masks = await loadPolicyMasks(policyFile);
    const findings = await runGovernanceRules({
      mesh,
      subgraphsDir,
      config: governance.value,
      masks: masks.value ?? {},
      policyFile,
      baseDir: REPO_ROOT,
      ...(masks.errors && { policyProblems: masks.errors }),
    });
    if (values.base !== undefined) {
      const compatibility = await checkAllCompatibility({ current: mesh, base: values.base, repoRoot: REPO_ROOT });
      if ('error' in compatibility) {
        process.stderr.write(`meshgate check: --base ${values.base}: ${compatibility.error}\n`);
        return 2;
      }
      // Grouped by product with the governance findings (a stable sort keeps each one's order).
      findings.push(...compatibility.findings);
      findings.sort((a, b) => a.product.localeCompare(b.product));
    }
    const summary = summarize(findings, mesh);
    if (values.json) process.stdout.write(`${JSON.stringify({ findings, summary }, null, 2)}\n`);
    else if (findings.length) process.stdout.write(table(findings));
    const left = summary.excludedDomains.length ? ` (left out of the mesh: ${summary.excludedDomains.join(', ')})` : '';
    process.stderr.write(`${plural(summary.violations, 'violation')}, ${plural(summary.warnings, 'warning')} in ${plural(summary.products, 'product')}${left}\n`);
    return summary.violations > 0 ? 1 : 0;
  },
};
