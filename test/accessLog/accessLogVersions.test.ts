/**
 * access-log-v2 is a new major version of access-log, served beside it: the versioning rules of
 * `meshgate check` accept its breaking changes only because v1 is deprecated in its favour with a
 * sunset, and the GraphQL API tells v1's clients so on every root field.
 */
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { checkAllCompatibility } from '../../cli/compatibility/checkAll.js';
import { REPO_ROOT } from '../../cli/config.js';
import { buildSubgraphSdl, loadMesh, meshShapes, type Mesh } from '../../schema/index.js';
import { copyOfSubgraphs, edit } from '../compatibility/fixtures.js';
import { cli } from '../support/cli.js';

const SUNSET = '2027-06-30';
const REASON = `access-log is deprecated: sunset ${SUNSET}; use access-log-v2`;
const DEPRECATION = /status: deprecated\nsuccessor: access-log-v2\nsunset: \d{4}-\d{2}-\d{2}\n/;
const load = (dir: string): Promise<Mesh> => loadMesh(dir, { dataRoot: dir });
const current = path.join(REPO_ROOT, 'subgraphs');

/** The mesh as it was before v2: v1 active, no v2. */
async function beforeV2(): Promise<string> {
  const dir = await copyOfSubgraphs();
  await rm(path.join(dir, 'governance', 'v2'), { recursive: true });
  await rm(path.join(dir, 'governance', 'schemas', 'access-log-v2.odcs.yaml'));
  await edit(path.join(dir, 'governance', 'data-product.yaml'), DEPRECATION, '');
  return dir;
}

describe('access-log-v2 beside the deprecated access-log', () => {
  it('declares v1 deprecated, its successor v2 and a sunset date', async () => {
    const mesh = await load(current);
    const products = new Map(mesh.domains.flatMap((d) => d.products).map((p) => [p.name, p]));
    expect(products.get('access-log')).toMatchObject({ status: 'deprecated', successor: 'access-log-v2', sunset: SUNSET });
    expect(products.get('access-log-v2')).toMatchObject({ status: 'active', domain: 'governance' });
    expect(products.get('access-log-v2')!.contract).toMatchObject({ version: '2.0.0', typeName: 'AccessEventV2', listField: 'accessLogV2', keys: ['event_id'] });
    expect(products.get('access-log-v2')!.contract.fields.find((f) => f.name === 'products')).toMatchObject({ type: 'list', items: { type: 'string', nullable: false } });
  });

  it('passes `meshgate check`', async () => {
    const r = await cli(['check']);
    expect(r.stdout + r.stderr).toMatch(/0 violations, \d+ warnings in 7 products/);
    expect(r.code).toBe(0);
  });

  it("lets v2 break v1's contract only as a new major version while v1 is served: warnings, no violation", async () => {
    const r = await checkAllCompatibility({ current: await load(current), base: await beforeV2(), repoRoot: REPO_ROOT });
    if (!('findings' in r)) throw new Error(r.error);
    expect(r.findings.filter((f) => f.severity === 'violation')).toEqual([]);
    expect(r.findings).toContainEqual(
      expect.objectContaining({
        rule: 'major-version',
        severity: 'warning',
        product: 'access-log-v2',
        message: `access-log-v2 is a new major version of access-log (deprecated, sunset ${SUNSET}); 9 breaking change(s) allowed while both are served`,
      }),
    );
    expect(r.findings).toContainEqual(expect.objectContaining({ rule: 'type-changed', severity: 'warning', product: 'access-log-v2', field: 'products' }));
  });

  it('refuses v2 when v1 is not deprecated in its favour with a sunset, saying how to fix it', async () => {
    const dir = await copyOfSubgraphs();
    await edit(path.join(dir, 'governance', 'data-product.yaml'), DEPRECATION, '');
    const r = await checkAllCompatibility({ current: await load(dir), base: await beforeV2(), repoRoot: path.dirname(dir) });
    if (!('findings' in r)) throw new Error(r.error);
    const violations = r.findings.filter((f) => f.severity === 'violation');
    expect(violations.length).toBe(9);
    expect(violations).toContainEqual(
      expect.objectContaining({
        rule: 'type-changed',
        product: 'access-log-v2',
        field: 'products',
        fix: 'Mark access-log "status: deprecated", "successor: access-log-v2" and "sunset: YYYY-MM-DD" in its descriptor, and keep serving it until then.',
      }),
    );
  });

  it('prints @deprecated with the sunset and the successor on every v1 root field, none on v2', async () => {
    const sdl = buildSubgraphSdl('governance', meshShapes(await load(current)));
    for (const [field, successor] of [
      ['accessLog', 'accessLogV2'],
      ['accessLogConnection', 'accessLogV2Connection'],
      ['accessLogAggregate', 'accessLogV2Aggregate'],
    ])
      expect(sdl).toMatch(new RegExp(`\\n  ${field}\\(.*\\): .* @deprecated\\(reason: "${REASON} \\(${successor}\\)"\\)\\n`));
    expect(sdl).toMatch(
      /\n {2}accessEvent\(eventId: ID!\): AccessEvent @deprecated\(reason: "access-log is deprecated: sunset 2027-06-30; use access-log-v2 \(accessEventV2\)"\)\n/,
    );
    expect(sdl).toMatch(/\n {2}accessLogV2\(.*\): \[AccessEventV2!\]!\n/);
    expect(sdl).not.toMatch(/accessLogV2[A-Za-z]*\(.*@deprecated/);
  });
});
