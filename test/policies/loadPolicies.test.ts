import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from '../../cli/config.js';
import { loadPolicies, policyJsonSchema } from '../../policies/index.js';
import { formatProblem, loadMesh, type DataProduct, type DeclarationProblem } from '../../schema/index.js';
import { readFile } from 'node:fs/promises';

let products: DataProduct[];
beforeAll(async () => {
  products = (await loadMesh(path.join(REPO_ROOT, 'subgraphs'), { dataRoot: '/data' })).domains.flatMap((d) => d.products);
});

async function load(yaml: string): Promise<{ errors?: readonly DeclarationProblem[]; warnings: DeclarationProblem[]; file: string }> {
  const file = path.join(await mkdtemp(path.join(tmpdir(), 'meshgate-policy-')), 'access.yaml');
  await writeFile(file, yaml);
  const warnings: DeclarationProblem[] = [];
  const r = await loadPolicies(file, products, (w) => warnings.push(w));
  return { ...(r.errors && { errors: r.errors }), warnings, file };
}

const MASKS = 'masks: { name: redact, email: email, phone: last4, date-of-birth: year, pan: last4, person-id: hash, address: redact }\n';

describe('loading access policies', () => {
  it('accepts the sample policy file', async () => {
    const r = await loadPolicies(path.join(REPO_ROOT, 'policies/access.yaml'), products);
    expect(r.errors).toBeUndefined();
  });

  it('names the file and the path of a malformed rule', async () => {
    const r = await load(`version: 1\n${MASKS}rules:\n  - { id: Bad Id, roles: [], products: [x], unmask: everything }\n`);
    const lines = r.errors!.map(formatProblem);
    expect(lines).toContain(`${r.file}: rules[0].id: a kebab-case rule id`);
    expect(lines.some((l) => l.startsWith(`${r.file}: rules[0].roles:`))).toBe(true);
    expect(lines.some((l) => l.startsWith(`${r.file}: rules[0].unmask:`))).toBe(true);
  });

  it('refuses a misspelt column in denyFields, which would otherwise deny nothing', async () => {
    const r = await load(`version: 1\n${MASKS}rules:\n  - { id: a, roles: [x], products: [customer-profiles], denyFields: [emial] }\n`);
    expect(r.errors?.map(formatProblem)).toEqual([`${r.file}: rules[0]: no granted product has a column "emial"`]);
  });

  it('refuses a name in aggregate that is neither a column nor a measure of a granted product, and accepts both', async () => {
    const r = await load(`version: 1\n${MASKS}rules:\n  - { id: a, roles: [x], products: [customer-profiles], aggregate: [emial] }\n`);
    expect(r.errors?.map(formatProblem)).toEqual([
      `${r.file}: rules[0].aggregate: no granted product has a column or measure "emial": name a column or a measure of the contract, in snake_case`,
    ]);
    const ok = await load(`version: 1\n${MASKS}rules:\n  - { id: a, roles: [x], products: ["*"], aggregate: [email, revenue] }\n`);
    expect(ok.errors).toBeUndefined();
  });

  it('refuses a classification in use without a mask', async () => {
    const r = await load('version: 1\nmasks: { name: redact }\nrules: []\n');
    expect(r.errors?.map((e) => e.message)).toContain('expected a mask for classification "email" (used by customer-profiles.email)');
  });

  it('refuses a mask that does not fit the field type', async () => {
    const r = await load('version: 1\nmasks: { name: redact, email: email, phone: last4, date-of-birth: last4, pan: last4, person-id: hash, address: redact }\nrules: []\n');
    expect(r.errors?.[0]).toMatchObject({ path: 'masks.date-of-birth', message: expect.stringContaining('the "last4" mask applies to string fields, not date') });
  });

  it('warns, without refusing, about a grant of a product that is not served', async () => {
    const r = await load(`version: 1\n${MASKS}rules:\n  - { id: a, roles: [x], products: [legacy-orders] }\n`);
    expect(r.errors).toBeUndefined();
    expect(r.warnings.map((w) => w.message)).toEqual(['no product "legacy-orders" is served, so this grants nothing']);
  });

  it('keeps the committed JSON Schema for editors up to date', async () => {
    expect(await readFile(path.join(REPO_ROOT, 'policies/access-policy.schema.json'), 'utf8')).toBe(policyJsonSchema());
  });
});
