/** `meshgate check` from the outside: the sample mesh passes, a broken mesh fails with its findings, misuse is exit 2. */
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from '../../cli/config.js';
import type { Finding } from '../../policies/governance/index.js';
import { cli } from '../support/cli.js';
import { contract, customers, orders, property, writeMesh } from './meshFixture.js';

const SAMPLE = { MESHGATE_SUBGRAPHS_DIR: path.join(REPO_ROOT, 'subgraphs'), MESHGATE_POLICY_FILE: path.join(REPO_ROOT, 'policies/access.yaml') };
let broken: string;

beforeAll(async () => {
  const unclassified = [property('customer_id', { primaryKey: true }), property('phone', { classification: undefined })];
  broken = await writeMesh([
    customers(),
    orders({ descriptor: { owner: 'shop people', sla: { freshness: '2d' } } }),
    {
      ...customers({ properties: unclassified }),
      // A type of its own: two products generating `Customer` would clash in the gateway's schema.
      contract: contract('Lead', unclassified),
      domain: 'crm',
      descriptor: {
        ...customers().descriptor,
        name: 'leads',
        domain: 'crm',
        outputs: [{ name: 'leads-v1', format: 'parquet', location: 'crm/leads/', schema: 'schemas/leads.odcs.yaml' }],
      },
    },
  ]);
});

describe('meshgate check on the sample mesh', () => {
  it('finds no violation and exits 0', async () => {
    const run = await cli(['check'], SAMPLE);
    expect(run).toEqual({ code: 0, stdout: '', stderr: '0 violations, 0 warnings in 7 products\n' });
  });

  it('prints an empty list of findings with --json', async () => {
    const run = await cli(['check', '--json'], SAMPLE);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ findings: [], summary: { violations: 0, warnings: 0, products: 7, excludedDomains: [] } });
  });
});

describe('meshgate check on a broken mesh', () => {
  it('exits 1 and prints each finding grouped by product, with the summary on stderr', async () => {
    const run = await cli(['check'], { ...SAMPLE, MESHGATE_SUBGRAPHS_DIR: broken });
    expect(run.code).toBe(1);
    expect(run.stderr).toBe('3 violations, 0 warnings in 3 products (left out of the mesh: crm)\n');
    const lines = run.stdout.split('\n');
    expect(lines[0]).toMatch(/^PRODUCT\s+FIELD\s+RULE\s+SEVERITY\s+MESSAGE \/ FIX$/);
    expect(lines[1]).toMatch(/^leads\s+phone\s+fields-classified\s+violation\s+schema\[0\]\.properties\[1\] phone: no classification: add "classification": "none" or a PII kind/);
    expect(lines[2]).toMatch(/^\s+fix: Classify phone: "none" if it is not personal data, .* \[.*crm\/schemas\/leads\.odcs\.yaml\]$/);
    expect(lines[3]).toBe('');
    expect(lines[4]).toMatch(/^orders\s+-\s+product-has-owner\s+violation\s+owner "shop people" cannot be reached: expected an email address or a @team handle$/);
    expect(lines[6]).toMatch(/^\s+-\s+sla-baseline\s+violation\s+freshness 2d is looser than the mesh's baseline of 24h$/);
  });

  it('prints the exact findings with --json', async () => {
    const run = await cli(['check', '--json'], { ...SAMPLE, MESHGATE_SUBGRAPHS_DIR: broken });
    expect(run.code).toBe(1);
    const { findings, summary } = JSON.parse(run.stdout) as { findings: Finding[]; summary: unknown };
    expect(summary).toEqual({ violations: 3, warnings: 0, products: 3, excludedDomains: ['crm'] });
    expect(findings.map((f) => [f.product, f.rule, f.field ?? null])).toEqual([
      ['leads', 'fields-classified', 'phone'],
      ['orders', 'product-has-owner', null],
      ['orders', 'sla-baseline', null],
    ]);
    expect(findings[1]).toEqual({
      rule: 'product-has-owner',
      severity: 'violation',
      product: 'orders',
      file: path.join(broken, 'shop/orders.data-product.yaml'),
      message: 'owner "shop people" cannot be reached: expected an email address or a @team handle',
      fix: "Set owner to the owning team's email address (e.g. commerce-data-team@company.com) or @team handle (e.g. @commerce-data).",
    });
  });

  it('exits 0 when the governance configuration makes the violations warnings', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'meshgate-check-'));
    const config = (await readFile(path.join(REPO_ROOT, 'policies/governance.yaml'), 'utf8')).replace(
      'rules: {}',
      'rules: { product-has-owner: warning, sla-baseline: warning, fields-classified: warning }',
    );
    await writeFile(path.join(dir, 'governance.yaml'), config);
    const run = await cli(['check', '--governance', path.join(dir, 'governance.yaml')], { ...SAMPLE, MESHGATE_SUBGRAPHS_DIR: broken });
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/^0 violations, 3 warnings in 3 products/);
  });
});

describe('meshgate check misused', () => {
  it('exits 2 on an unknown option, naming it', async () => {
    const run = await cli(['check', '--strict'], SAMPLE);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^meshgate check: .*Unknown option '--strict'/);
  });

  it('exits 2 on an unexpected argument', async () => {
    const run = await cli(['check', 'orders'], SAMPLE);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^meshgate check: unexpected argument "orders"/);
  });

  it('exits 2 when the declarations folder does not exist', async () => {
    const run = await cli(['check'], { ...SAMPLE, MESHGATE_SUBGRAPHS_DIR: '/nonexistent/subgraphs' });
    expect(run).toEqual({
      code: 2,
      stdout: '',
      stderr: "meshgate check: no such folder /nonexistent/subgraphs (MESHGATE_SUBGRAPHS_DIR): expected the folder of the domains' declarations\n",
    });
  });

  it('exits 2 on a governance configuration that is not valid, naming the file and the path', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'meshgate-check-'));
    const file = path.join(dir, 'governance.yaml');
    await writeFile(
      file,
      'version: 1\nnaming: { product: { pattern: "([", example: x }, field: { pattern: "^[a-z_]+$", example: x } }\nowners: [email]\nsla: { maxFreshness: 1 day, minCompleteness: 99% }\nformats: [parquet]\npurposes: [analytics]\nlifecycle: {}\nrules: { no-such-rule: off }\n',
    );
    const run = await cli(['check', '--governance', file], SAMPLE);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      [
        'meshgate check: the governance configuration cannot be used:',
        `  ${file}: naming.product.pattern: a valid regular expression`,
        `  ${file}: sla.maxFreshness: a duration such as "24h"`,
        '',
      ].join('\n'),
    );
  });

  it('exits 2 on a rule id the configuration does not know', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'meshgate-check-'));
    const file = path.join(dir, 'governance.yaml');
    const text = await readFile(path.join(REPO_ROOT, 'policies/governance.yaml'), 'utf8');
    await writeFile(file, text.replace('rules: {}', 'rules: { owner-reachable: off }'));
    const run = await cli(['check', '--governance', file], SAMPLE);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      new RegExp(
        `^meshgate check: the governance configuration cannot be used:\\n  ${file}: rules.owner-reachable: expected the id of a rule \\(product-name, .*\\), got "owner-reachable"\\n$`,
      ),
    );
  });

  it('exits 2 when --base names neither a folder nor a git ref', async () => {
    const run = await cli(['check', '--base', 'no-such-ref-anywhere'], SAMPLE);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^meshgate check: --base no-such-ref-anywhere: no git ref or folder "no-such-ref-anywhere"/);
  });
});
