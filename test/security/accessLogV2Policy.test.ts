/**
 * access-log-v2 is the access log too: the sample policy must refuse it to everyone it refuses v1 to,
 * and give stewards its subject hashed, whatever root field, filter or connection a caller tries.
 * Decided over the sample mesh's real schema, policy and descriptors (no server: the list fields
 * are served by the types work, the decision is not theirs).
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { GraphQLSchema } from 'graphql';
import { parse } from 'yaml';
import { REPO_ROOT } from '../../cli/config.js';
import { ProductIndex } from '../../gateway/access/ProductIndex.js';
import { evaluateAccess, type PolicyFile, type Principal } from '../../policies/index.js';
import { decide, refusalOf } from '../support/decide.js';
import { CALLERS, loadSampleMesh, principal, sampleApiSchema, type SampleMesh } from '../support/sampleMesh.js';

let sample: SampleMesh;
let schema: GraphQLSchema;
let index: ProductIndex;
let policy: PolicyFile;
beforeAll(async () => {
  sample = await loadSampleMesh();
  schema = sampleApiSchema(sample.mesh);
  index = new ProductIndex(sample.shapes);
  policy = sample.policy;
});
const run = (who: Principal, query: string) => decide(schema, index, policy, who, query);

describe('access-log-v2 under the access log policy', () => {
  it("is refused to analysts, other domains' owners, apps and partners exactly as v1 is", () => {
    const v1 = sample.shape('access-log').product;
    const v2 = sample.shape('access-log-v2').product;
    for (const roles of [['analyst'], ['customers-owner'], ['commerce-owner'], ['payments-owner'], ['app'], ['partner'], []]) {
      const who = { sub: 's', roles, scopes: [], claims: {} };
      expect({ roles, v2: evaluateAccess(policy, who, v2).allowed }).toEqual({ roles, v2: false });
      expect({ roles, v1: evaluateAccess(policy, who, v1).allowed }).toEqual({ roles, v1: false });
    }
  });

  it.each([
    '{ accessLogV2(limit: 1) { eventId } }',
    '{ accessLogV2Connection { totalCount } }',
    '{ accessLogV2Aggregate { count } }',
    '{ accessLogV2(where: { decision: { eq: "deny" } }) { seq } }',
    '{ accessLog(limit: 1) { eventId } accessLogV2(limit: 1) { eventId } }',
  ])('refuses an analyst %s (FORBIDDEN)', (query) => {
    const o = run(CALLERS.analyst, query);
    expect(o).toMatchObject({ code: 'FORBIDDEN' });
    expect(['access-log', 'access-log-v2']).toContain(refusalOf(o));
  });

  it('refuses an analyst v2 alone, naming it', () => {
    expect(run(CALLERS.analyst, '{ accessLogV2Connection { totalCount } }')).toEqual({
      refused: 'access-log-v2',
      code: 'FORBIDDEN',
      message: 'You may not read the data product "access-log-v2": no access rule grants it to your roles.',
    });
  });

  it('grants stewards v2 with the subject hashed, as v1', () => {
    const granted = { masks: { subject: 'hash' }, denied: [], rows: null };
    expect(run(CALLERS.steward, '{ accessLogV2 { seq subject decision } }')).toEqual({ granted: { 'access-log-v2': granted } });
    expect(run(CALLERS.steward, '{ accessLog { seq subject } accessLogV2 { seq subject } }')).toEqual({ granted: { 'access-log': granted, 'access-log-v2': granted } });
    expect(evaluateAccess(policy, CALLERS.steward, sample.shape('access-log-v2').product)).toMatchObject({
      allowed: true,
      grantedBy: ['stewards-read-everything'],
      masks: { subject: { mask: 'hash' } },
    });
  });

  it('refuses a steward filtering, sorting or grouping v2 by the hashed subject', () => {
    expect(refusalOf(run(CALLERS.steward, '{ accessLogV2(where: { subject: { eq: "ana" } }) { seq } }'))).toBe('access-log-v2.subject');
    expect(refusalOf(run(CALLERS.steward, '{ accessLogV2(orderBy: [{ subject: ASC }]) { seq } }'))).toBe('access-log-v2.subject');
    expect(refusalOf(run(CALLERS.steward, '{ accessLogV2Aggregate(groupBy: [SUBJECT]) { count } }'))).toBe('access-log-v2.subject');
  });

  it("lets the governance domain's owners read v2 in the clear, as v1 (their own domain's product)", () => {
    const owner = principal('gov', ['governance-owner']);
    expect(run(owner, '{ accessLogV2 { subject } }')).toEqual({ granted: { 'access-log-v2': { masks: {}, denied: [], rows: null } } });
    expect(run(owner, '{ accessLog { subject } }')).toEqual({ granted: { 'access-log': { masks: {}, denied: [], rows: null } } });
  });

  it('names access-log-v2 in every rule of policies/access.yaml that names access-log', async () => {
    const text = await readFile(path.join(REPO_ROOT, 'policies/access.yaml'), 'utf8');
    const rules = (parse(text) as { rules: { id: string; products?: string[]; exceptProducts?: string[] }[] }).rules;
    const naming = rules.filter((r) => [...(r.products ?? []), ...(r.exceptProducts ?? [])].includes('access-log'));
    expect(naming.length).toBeGreaterThan(0);
    for (const r of naming)
      expect({ id: r.id, products: r.products?.includes('access-log-v2') ?? false, except: r.exceptProducts?.includes('access-log-v2') ?? false }).toEqual({
        id: r.id,
        products: r.products?.includes('access-log') ?? false,
        except: r.exceptProducts?.includes('access-log') ?? false,
      });
  });
});
