import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { checkCompatibility } from '../../policies/compatibility/index.js';
import { checkAllCompatibility } from '../../cli/compatibility/checkAll.js';
import { registerContract } from '../../cli/compatibility/registerContract.js';
import { loadMesh, productsByName, type Mesh } from '../../schema/index.js';
import { copyOfSubgraphs, edit } from './fixtures.js';

const PAYMENTS = 'subgraphs/payments/schemas/payments-v1.odcs.yaml';
const load = (dir: string): Promise<Mesh> => loadMesh(dir, { dataRoot: dir });
const narrowAmountCents = (repo: string): Promise<void> =>
  edit(
    path.join(repo, PAYMENTS),
    '- name: amount_cents\n        logicalType: integer\n        physicalType: BIGINT',
    '- name: amount_cents\n        logicalType: integer\n        physicalType: INTEGER',
  );
/** One property's block of the payments contract, from its `- name:` line to the next property. */
const propertyBlock = (name: string): RegExp => new RegExp(`^ {6}- name: ${name}\\n(?: {8}.*\\n)+`, 'm');
const bumpPayments = (repo: string, to: string): Promise<void> => edit(path.join(repo, PAYMENTS), /^version: 1\.0\.0$/m, `version: ${to}`);
const git = (cwd: string, ...args: string[]): string => execFileSync('git', ['-c', 'user.name=test', '-c', 'user.email=test@example.com', ...args], { cwd, encoding: 'utf8' });

/** A repository root holding a copy of the sample `subgraphs/`. */
async function repoWithSubgraphs(): Promise<string> {
  const repo = await mkdtemp(path.join(tmpdir(), 'meshgate-repo-'));
  await copyOfSubgraphs(path.join(repo, 'subgraphs'));
  return repo;
}

const NARROWED = {
  rule: 'type-narrowed',
  severity: 'violation',
  product: 'payments',
  field: 'amount_cents',
  file: PAYMENTS,
  message: 'field "amount_cents" was narrowed from bigint to integer: breaking under BACKWARD: consumers using the new contract cannot read data written under the old one',
  fix: 'Revert the change, or publish the change as a new major version (a "-v2" product) served beside this one, which you mark deprecated with a successor and a sunset.',
};

describe('checkCompatibility against a base folder', () => {
  it('names a narrowed type and a contract that changed without a new version', async () => {
    const base = await copyOfSubgraphs();
    const repo = await repoWithSubgraphs();
    await narrowAmountCents(repo);
    const r = await checkCompatibility({ current: await load(path.join(repo, 'subgraphs')), base, repoRoot: repo });
    expect(r).toEqual({
      findings: [
        NARROWED,
        expect.objectContaining({ rule: 'version-not-bumped', severity: 'violation', product: 'payments', message: 'the contract changed but its version is still 1.0.0' }),
      ],
    });
  });

  it('accepts a checkout that contains subgraphs/ as the base, and a bumped version', async () => {
    const base = await repoWithSubgraphs();
    const repo = await repoWithSubgraphs();
    await narrowAmountCents(repo);
    await bumpPayments(repo, '1.1.0');
    expect(await checkCompatibility({ current: await load(path.join(repo, 'subgraphs')), base, repoRoot: repo })).toEqual({ findings: [NARROWED] });
  });

  it('finds nothing when nothing changed', async () => {
    const repo = await repoWithSubgraphs();
    expect(await checkCompatibility({ current: await load(path.join(repo, 'subgraphs')), base: await copyOfSubgraphs(), repoRoot: repo })).toEqual({ findings: [] });
  });

  it('calls a product that is no longer served a violation, and fine once its sunset has passed', async () => {
    const base = await repoWithSubgraphs();
    const repo = await repoWithSubgraphs();
    await rm(path.join(repo, 'subgraphs/payments'), { recursive: true });
    const r = await checkCompatibility({ current: await load(path.join(repo, 'subgraphs')), base, repoRoot: repo });
    expect(r).toEqual({
      findings: [
        expect.objectContaining({
          rule: 'product-removed',
          severity: 'violation',
          product: 'payments',
          message:
            'product "payments" (Payment) is no longer served: breaking under BACKWARD: consumers using the new contract cannot read data written under the old one; its consumers lose every field',
        }),
      ],
    });
    await edit(path.join(base, 'subgraphs/payments/data-product.yaml'), 'name: payments\n', 'name: payments\nstatus: deprecated\nsuccessor: orders-enriched\nsunset: 2020-01-31\n');
    const after = await checkCompatibility({ current: await load(path.join(repo, 'subgraphs')), base, repoRoot: repo });
    expect(after).toEqual({
      findings: [
        expect.objectContaining({ rule: 'product-removed', severity: 'warning', message: 'product "payments" (Payment) is no longer served: retired after its sunset 2020-01-31' }),
      ],
    });
  });
  it('does not call the products of a domain with declaration problems removed', async () => {
    const repo = await repoWithSubgraphs();
    await writeFile(path.join(repo, 'subgraphs/payments/data-product.yaml'), 'name: payments\ndomain: payments\nowner: p@x.io\noutputs: []\n');
    const base = await copyOfSubgraphs();
    const r = await checkCompatibility({ current: await load(path.join(repo, 'subgraphs')), base, repoRoot: repo });
    expect(r).toEqual({
      findings: [
        expect.objectContaining({
          rule: 'not-compared',
          severity: 'warning',
          product: 'payments',
          message: `not compared with folder ${base}: its domain "payments" has declaration problems in the current mesh`,
        }),
      ],
    });
  });
});

describe('checkCompatibility against a git ref', () => {
  let repo: string;
  beforeAll(async () => {
    repo = await mkdtemp(path.join(tmpdir(), 'meshgate-git-'));
    git(repo, 'init', '--quiet');
    await writeFile(path.join(repo, 'README.md'), 'a mesh\n');
    git(repo, 'add', '.');
    git(repo, 'commit', '--quiet', '-m', 'start');
    await copyOfSubgraphs(path.join(repo, 'subgraphs'));
    git(repo, 'add', '.');
    git(repo, 'commit', '--quiet', '-m', 'the sample mesh');
    git(repo, 'tag', 'v1');
    await narrowAmountCents(repo);
    await bumpPayments(repo, '1.1.0');
    git(repo, 'commit', '--quiet', '-am', 'narrow amount_cents');
  });

  it('materialises an earlier commit and names what broke since', async () => {
    const current = await load(path.join(repo, 'subgraphs'));
    expect(await checkCompatibility({ current, base: 'HEAD~1', repoRoot: repo })).toEqual({ findings: [NARROWED] });
    expect(await checkCompatibility({ current, base: 'v1', repoRoot: repo })).toEqual({ findings: [NARROWED] });
    expect(await checkCompatibility({ current, base: 'HEAD', repoRoot: repo })).toEqual({ findings: [] });
  });

  it('names a removed product by the ref and path it had there', async () => {
    const current = await load(path.join(repo, 'subgraphs'));
    const fewer: Mesh = { ...current, domains: current.domains.filter((d) => d.name !== 'governance') };
    const r = await checkCompatibility({ current: fewer, base: 'v1', repoRoot: repo });
    expect(r).toEqual({
      findings: [
        NARROWED,
        expect.objectContaining({ rule: 'product-removed', product: 'access-log', file: 'v1:subgraphs/governance/schemas/access-log-v1.odcs.yaml' }),
        expect.objectContaining({ rule: 'product-removed', product: 'access-log-v2', file: 'v1:subgraphs/governance/schemas/access-log-v2.odcs.yaml' }),
      ],
    });
  });

  it('says what was expected for a ref that does not exist', async () => {
    const r = await checkCompatibility({ current: await load(path.join(repo, 'subgraphs')), base: 'no-such-branch', repoRoot: repo });
    expect(r).toEqual({
      error:
        'no git ref or folder "no-such-branch": expected a folder of data-product descriptors (a subgraphs/ folder, or a checkout that contains one), "registry", or a git ref of the repository such as main, HEAD~1 or a commit id',
    });
  });

  it('refuses a ref that looks like an option, and a commit without subgraphs/', async () => {
    const current = await load(path.join(repo, 'subgraphs'));
    expect(await checkCompatibility({ current, base: '--output=/tmp/x', repoRoot: repo })).toEqual({
      error: expect.stringMatching(/^no git ref or folder "--output=\/tmp\/x": expected /),
    });
    expect(await checkCompatibility({ current, base: 'HEAD~2', repoRoot: repo })).toEqual({
      error: expect.stringMatching(/^git ref "HEAD~2" has no subgraphs\/ folder to compare with: expected /),
    });
  });

  it('says so when the repository root is not a git repository', async () => {
    const plain = await repoWithSubgraphs();
    const r = await checkCompatibility({ current: await load(path.join(plain, 'subgraphs')), base: 'main', repoRoot: plain });
    expect(r).toEqual({ error: expect.stringContaining(`(${plain} is not a git repository)`) });
  });
});

describe('checkCompatibility against the schema registry', () => {
  it('passes the sample mesh against the registry committed in this repository', async () => {
    const { REPO_ROOT } = await import('../../cli/config.js');
    expect(await checkCompatibility({ current: await load(path.join(REPO_ROOT, 'subgraphs')), base: 'registry', repoRoot: REPO_ROOT })).toEqual({ findings: [] });
  });

  it('refuses a contract whose fields changed under the same version, and a version that went down', async () => {
    const repo = await repoWithSubgraphs();
    for (const p of productsByName(await load(path.join(repo, 'subgraphs'))).values()) expect((await registerContract(p, repo)).outcome).toBe('registered');
    await narrowAmountCents(repo);
    const same = await checkCompatibility({ current: await load(path.join(repo, 'subgraphs')), base: 'registry', repoRoot: repo });
    expect(same).toEqual({ findings: [expect.objectContaining({ rule: 'type-narrowed' }), expect.objectContaining({ rule: 'version-not-bumped', product: 'payments' })] });
    await bumpPayments(repo, '0.9.0');
    const lower = await checkCompatibility({ current: await load(path.join(repo, 'subgraphs')), base: 'registry', repoRoot: repo });
    expect(lower).toEqual({
      findings: [
        expect.objectContaining({ rule: 'type-narrowed' }),
        expect.objectContaining({ rule: 'version-decreased', severity: 'violation', message: 'the contract version went down from 1.0.0 to 0.9.0' }),
      ],
    });
  });

  it('warns about a product never registered and refuses one registered but no longer served', async () => {
    const repo = await repoWithSubgraphs();
    const mesh = await load(path.join(repo, 'subgraphs'));
    for (const p of productsByName(mesh).values()) if (p.name !== 'access-log') await registerContract(p, repo);
    const fewer: Mesh = { ...mesh, domains: mesh.domains.filter((d) => d.name !== 'payments') };
    const r = await checkCompatibility({ current: fewer, base: 'registry', repoRoot: repo });
    expect(r).toEqual({
      findings: [
        expect.objectContaining({ rule: 'product-removed', severity: 'violation', product: 'payments', file: 'schema-registry/payments/1.0.0.json' }),
        expect.objectContaining({ rule: 'not-registered', severity: 'warning', product: 'access-log' }),
      ],
    });
  });

  it('says what was expected when there is no registry', async () => {
    const repo = await repoWithSubgraphs();
    const r = await checkCompatibility({ current: await load(path.join(repo, 'subgraphs')), base: 'registry', repoRoot: repo });
    expect(r).toEqual({
      error: `no schema registry at ${repo}/schema-registry: expected a "schema-registry/<product>/<version>.json" folder (create it with \`meshgate contract register PRODUCT\`)`,
    });
  });
});

describe('checkAllCompatibility: contracts and the composed GraphQL API', () => {
  it('names the breaking GraphQL changes of a removed field on the product that owns them', async () => {
    const base = await copyOfSubgraphs();
    const repo = await repoWithSubgraphs();
    await edit(path.join(repo, PAYMENTS), propertyBlock('card_number'), '');
    await bumpPayments(repo, '1.1.0');
    const r = await checkAllCompatibility({ current: await load(path.join(repo, 'subgraphs')), base, repoRoot: repo });
    if (!('findings' in r)) throw new Error(r.error);
    expect(r.findings[0]).toEqual(expect.objectContaining({ rule: 'field-removed', severity: 'warning', field: 'card_number' }));
    const graphql = r.findings.filter((f) => f.rule === 'graphql-breaking-change');
    expect(graphql).toContainEqual(
      expect.objectContaining({ severity: 'violation', product: 'payments', field: 'Payment.cardNumber', message: 'GraphQL FIELD_REMOVED: Payment.cardNumber was removed.' }),
    );
    expect(graphql).toContainEqual(
      expect.objectContaining({ severity: 'violation', product: 'payments', message: 'GraphQL VALUE_REMOVED_FROM_ENUM: CARD_NUMBER was removed from enum type PaymentField.' }),
    );
    expect(new Set(graphql.map((f) => f.product))).toEqual(new Set(['payments']));
    const contractsOnly = await checkCompatibility({ current: await load(path.join(repo, 'subgraphs')), base, repoRoot: repo });
    expect(contractsOnly).toEqual({ findings: [r.findings[0]] });
  });

  it('reports the enum value a new field adds as a dangerous GraphQL change, a warning', async () => {
    const base = await copyOfSubgraphs();
    const repo = await repoWithSubgraphs();
    await edit(
      path.join(repo, PAYMENTS),
      propertyBlock('currency'),
      (m: string) => `${m}${m.replace('name: currency', 'name: fee_currency').replace('required: true', 'required: false')}`,
    );
    await bumpPayments(repo, '1.1.0');
    const r = await checkAllCompatibility({ current: await load(path.join(repo, 'subgraphs')), base, repoRoot: repo });
    expect(r).toEqual({
      findings: [
        expect.objectContaining({
          rule: 'graphql-dangerous-change',
          severity: 'warning',
          product: 'payments',
          message: 'GraphQL VALUE_ADDED_TO_ENUM: FEE_CURRENCY was added to enum type PaymentField.',
        }),
      ],
    });
  });
});
