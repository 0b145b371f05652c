import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { registerContract } from '../../cli/compatibility/registerContract.js';
import { REPO_ROOT } from '../../cli/config.js';
import { normalisedJson } from '../../policies/compatibility/index.js';
import { loadMesh, productsByName, type DataProduct } from '../../schema/index.js';
import { changing, field } from './fixtures.js';

let payments: DataProduct;
beforeAll(async () => {
  payments = productsByName(await loadMesh(path.join(REPO_ROOT, 'subgraphs'), { dataRoot: REPO_ROOT })).get('payments')!;
});

const withContract = (p: DataProduct, over: Partial<DataProduct['contract']>): DataProduct => ({ ...p, contract: { ...p.contract, ...over } });

describe('meshgate contract register', () => {
  it('writes the contract as normalised JSON under schema-registry/<product>/<version>.json, once', async () => {
    const root = await mkdtemp(path.join(tmpdir(), 'meshgate-registry-'));
    expect(await registerContract(payments, root)).toEqual({ outcome: 'registered', file: 'schema-registry/payments/1.0.0.json' });
    expect(await readFile(path.join(root, 'schema-registry/payments/1.0.0.json'), 'utf8')).toBe(normalisedJson(payments.contract));
    expect(await registerContract(payments, root)).toEqual({ outcome: 'unchanged', file: 'schema-registry/payments/1.0.0.json' });
  });

  it("keeps the sample mesh's registry in the repository up to date", async () => {
    for (const p of productsByName(await loadMesh(path.join(REPO_ROOT, 'subgraphs'), { dataRoot: REPO_ROOT })).values()) {
      expect(await readFile(path.join(REPO_ROOT, 'schema-registry', p.name, `${p.contract.version}.json`), 'utf8')).toBe(normalisedJson(p.contract));
    }
  });

  it('refuses a different contract under a registered version, and a lower version', async () => {
    const root = await mkdtemp(path.join(tmpdir(), 'meshgate-registry-'));
    await registerContract(payments, root);
    const added = withContract(payments, { fields: [...payments.contract.fields, field('fee', { type: 'double', nullable: true })] });
    expect(await registerContract(added, root)).toEqual(
      expect.objectContaining({ outcome: 'refused', reasons: ["version 1.0.0 of payments is already registered with a different contract: bump the contract's version"] }),
    );
    expect(await registerContract(withContract(added, { version: '1.1.0' }), root)).toEqual({ outcome: 'registered', file: 'schema-registry/payments/1.1.0.json' });
    expect(await registerContract(withContract(payments, { version: '1.0.1' }), root)).toEqual(
      expect.objectContaining({ outcome: 'refused', reasons: ['version 1.0.1 is below 1.1.0, the latest registered version of payments'] }),
    );
  });

  it("refuses a change that breaks the product's mode, naming it", async () => {
    const root = await mkdtemp(path.join(tmpdir(), 'meshgate-registry-'));
    await registerContract(payments, root);
    const narrowed = withContract(payments, { ...changing(payments.contract, 'amount_cents', { type: 'integer' }), version: '1.1.0' });
    const r = await registerContract(narrowed, root);
    expect(r).toEqual({
      outcome: 'refused',
      file: 'schema-registry/payments/1.1.0.json',
      reasons: ['the contract breaks BACKWARD compatibility with version 1.0.0: publish it as a new major version (a "-v2" product) instead'],
      findings: [expect.objectContaining({ rule: 'type-narrowed', field: 'amount_cents' })],
    });
  });
});
