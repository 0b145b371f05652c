/**
 * What the GraphiQL page says and offers, without a browser: the welcome tab in dev mode, in
 * production and with access off; the examples (each one named operation that fits the sample
 * mesh's graph, or left off the page when it does not fit); the policy as the page tells it; and
 * the page's HTML (the guide's settings escaped, the token control only with an issuer).
 */
import { buildSchema, parse, type OperationDefinitionNode } from 'graphql';
import { CATALOG_EXAMPLES, EXAMPLES, MESH_EXAMPLES, WELCOME_EXAMPLE } from '../../gateway/graphiql/examples.js';
import { exampleProblem, graphiqlContent } from '../../gateway/graphiql/graphiqlContent.js';
import { describeRules, offeredPurposes, offeredRoles } from '../../gateway/graphiql/policyGuide.js';
import { renderGraphiQLPage, type GuideAssets } from '../../gateway/graphiql/renderGraphiQLPage.js';
import { operationName, welcomeTab } from '../../gateway/graphiql/welcomeTab.js';
import { loadSampleMesh, sampleApiSchema, type SampleMesh } from '../support/sampleMesh.js';

let sample: SampleMesh;
let schema: ReturnType<typeof sampleApiSchema>;
beforeAll(async () => {
  sample = await loadSampleMesh();
  schema = sampleApiSchema(sample.mesh);
});

const ASSETS: GuideAssets = { script: '/* guide */', style: '/* style */' };
const issuer = { roles: ['analyst'], purposes: [], mint: () => Promise.resolve('t') };

describe('the examples', () => {
  it.each([WELCOME_EXAMPLE, ...EXAMPLES].map((e) => [operationName(e.query) ?? e.title, e] as const))('%s is one named operation that fits the sample graph', (_name, example) => {
    const operations = parse(example.query).definitions.filter((d): d is OperationDefinitionNode => d.kind === 'OperationDefinition');
    expect(operations).toHaveLength(1);
    expect(operations[0]!.name?.value).toMatch(/^[A-Z][A-Za-z]+$/);
    expect(exampleProblem(example, schema)).toBeUndefined();
  });

  it('are the mesh examples then the catalog examples, with distinct names (GraphiQL names a tab after its operation)', () => {
    expect(EXAMPLES).toEqual([...MESH_EXAMPLES, ...CATALOG_EXAMPLES]);
    const names = [WELCOME_EXAMPLE, ...EXAMPLES].map((e) => operationName(e.query));
    expect(new Set(names).size).toBe(names.length);
    expect(names[0]).toBe('Welcome');
  });

  it('cover orders with their customers, a connection page, an aggregate and a payment with its order', () => {
    const queries = MESH_EXAMPLES.map((e) => e.query).join('\n');
    for (const needle of [/orders\(.*\{[\s\S]*customer \{[\s\S]*email/, /ordersConnection\(/, /ordersAggregate\(/, /payments\([\s\S]*order \{/]) expect(queries).toMatch(needle);
  });
});

describe('the page content', () => {
  it('leaves off, and logs, an example that does not fit the served graph', () => {
    const logged: string[] = [];
    const other = buildSchema('type Query { orders: [String] }');
    const content = graphiqlContent({ endpoint: '/graphql', schema: other, log: (l) => logged.push(l), guide: { examples: EXAMPLES, welcome: WELCOME_EXAMPLE } });
    expect(content.tabs).toHaveLength(1);
    expect(content.tabs[0]!.query).toContain('query Welcome {\n  __typename\n}');
    expect(logged).toContainEqual(expect.stringMatching(/^GraphiQL: the example "Orders shipped to Germany.*" is left off the page, as it does not fit the served graph: /));
  });

  it('in dev mode: the welcome tab, then a tab per example with its title and variables, and the token control', () => {
    const content = graphiqlContent({
      endpoint: '/graphql',
      schema,
      log: () => undefined,
      policy: sample.policy,
      guide: { examples: EXAMPLES, welcome: WELCOME_EXAMPLE, devTokens: issuer },
    });
    expect(content.tabs.map((t) => operationName(t.query))).toEqual(['Welcome', ...EXAMPLES.map((e) => operationName(e.query))]);
    const page = content.tabs.find((t) => t.query.includes('query OrdersPage'))!;
    expect(page.query).toMatch(/^# A page of orders/);
    expect(JSON.parse(page.variables!)).toEqual({ first: 10, after: null });
    expect(content.devToken).toEqual({ url: '/dev/token', roles: ['analyst'], purposes: [] });
  });
});

describe('the welcome tab', () => {
  const dev = () => welcomeTab({ access: true, devTokens: true, policy: sample.policy, examples: EXAMPLES, query: WELCOME_EXAMPLE.query });

  it('in dev mode says what meshgate is, how to get a token two ways and where to put it', () => {
    const text = dev();
    expect(text).toMatch(/^# Welcome to meshgate\n#\n# meshgate is this data mesh's access layer/);
    expect(text).toContain('press\n#      "Get dev token"');
    expect(text).toContain('#        npx meshgate token --sub you --roles analyst');
    expect(text).toContain('#        {"Authorization": "Bearer <token>"}');
    expect(text).toMatch(/fetched again\n# {4}whenever the Authorization header changes/);
  });

  it('lists every example tab and every role of the policy people hold, with what it may read', () => {
    const text = dev();
    for (const e of EXAMPLES) expect(text).toContain(`#      - ${operationName(e.query)}\n`);
    expect(text).toContain('#      - analyst: every product but access-log, access-log-v2;\n#        PII masked.');
    expect(text).toContain('#      - steward: every product; PII masked.');
    expect(text).toMatch(/- <domain>-owner: every product of the role's own domain;\n# {8}unmasked\./);
    expect(text).toMatch(/- app with purpose fulfillment:/);
    expect(text).toMatch(/- partner: orders-enriched, only the rows your token's\n# {8}countries allow/);
    expect(text).not.toContain('service:');
  });

  it('is comments above its one query, in lines that fit the editor pane', () => {
    const text = dev();
    const [guide, query] = text.split('\n\n');
    expect(guide!.split('\n').every((l) => l.startsWith('#'))).toBe(true);
    expect(Math.max(...guide!.split('\n').map((l) => l.length))).toBeLessThanOrEqual(64);
    expect(query!.trimEnd()).toBe(WELCOME_EXAMPLE.query);
  });

  it('outside dev mode says to get a token from the identity provider, and says nothing of dev tokens or the policy', () => {
    const text = welcomeTab({ access: true, devTokens: false, examples: [], query: 'query Welcome {\n  __typename\n}' });
    expect(text).toMatch(/Get a bearer token from your organisation's identity\s+#\s+provider/);
    expect(text).toContain('{"Authorization": "Bearer <token>"}');
    expect(text).not.toMatch(/dev token|npx meshgate token|analyst|steward/);
  });

  it('with access off says no token is needed', () => {
    expect(welcomeTab({ access: false, devTokens: false, examples: [], query: 'query Welcome { __typename }' })).toMatch(
      /Access control is off on this gateway \(MESHGATE_ACCESS=off\):\s+# no token is needed/,
    );
  });
});

describe('the policy as the page tells it', () => {
  it('offers the roles people hold, {domain} expanded, and no service role', () => {
    expect(offeredRoles(sample.policy, ['customers', 'commerce'])).toEqual(['analyst', 'steward', 'customers-owner', 'commerce-owner', 'payments-owner', 'app', 'partner']);
    expect(offeredPurposes(sample.policy)).toEqual(['fulfillment']);
  });

  it("describes each rule that grants people, with the rule's description", () => {
    expect(describeRules(sample.policy)).toContainEqual({
      grant: 'analyst: every product but access-log, access-log-v2; PII masked.',
      description: 'Analysts explore the mesh; PII stays masked.',
    });
    expect(describeRules(sample.policy).map((r) => r.grant)).not.toContainEqual(expect.stringContaining('service:'));
  });
});

describe('the page', () => {
  it('carries its settings in a JSON script element that no value can close', () => {
    const html = renderGraphiQLPage({ endpoint: '/graphql', tabs: [{ query: '# </script><script>alert(1)</script>\nquery Welcome { __typename }' }] }, ASSETS);
    const config = /<script id="meshgate-config" type="application\/json">(.*?)<\/script>/s.exec(html)![1]!;
    expect(config).not.toContain('<');
    expect(JSON.parse(config).graphiql.defaultTabs[0].query).toContain('</script><script>alert(1)</script>');
    expect(html).not.toContain('<script>alert(1)');
  });

  it('shows the token control only with an issuer, its roles escaped, and otherwise says where the token goes', () => {
    const withControl = renderGraphiQLPage({ endpoint: '/graphql', tabs: [], devToken: { url: '/dev/token', roles: ['analyst', '"><b>x'], purposes: ['fulfillment'] } }, ASSETS);
    expect(withControl).toContain('<form id="meshgate-dev-token"');
    expect(withControl).toContain('<option value="&quot;&gt;&lt;b&gt;x">&quot;&gt;&lt;b&gt;x</option>');
    const without = renderGraphiQLPage({ endpoint: '/graphql', tabs: [] }, ASSETS);
    expect(without).not.toContain('meshgate-dev-token"');
    expect(without).toContain('Put <code>{"Authorization": "Bearer &lt;token&gt;"}</code>, a token from your identity provider, into the Headers pane');
    expect(without).toContain('id="meshgate-reload-schema"');
    const open = renderGraphiQLPage({ endpoint: '/graphql', tabs: [], access: false }, ASSETS);
    expect(open).toContain('Access control is off on this gateway: no token is needed.');
    expect(open).not.toContain('identity provider');
  });
});
