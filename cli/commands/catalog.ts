/**
 * `meshgate catalog`: the catalog in a terminal, as a client of the running gateway's graph (the
 * same policies, the same access log as the page and GraphiQL): the product list with search and
 * filters, and one product's page. Tables on stdout (`--json` for machines), notes on stderr.
 */
import { userInfo } from 'node:os';
import path from 'node:path';
import { mintDevToken } from '../../gateway/index.js';
import { readConfig } from '../config.js';
import { cut, show, textTable } from '../textTable.js';
import { type Command, parseOptions, UsageError } from '../Command.js';

const help = `Usage: meshgate catalog [--search TEXT] [--domain D] [--owner O] [--tag T] [--pii | --no-pii] [--json]
       meshgate catalog show PRODUCT [--json]

The mesh's data products you may read, from the running gateway: best match first with --search
(names, descriptions, field names and descriptions, tags, owners), filtered by domain, owner, tag or
whether they hold personal data. "show" prints one product: owner, status, SLA measured now, the
served version and its contract tests, every field with what you would get of it (clear, masked
and how, denied), its column profile, lineage, usage and a masked sample.

Options:
  --url URL       the gateway's GraphQL endpoint (default: $MESHGATE_GATEWAY_URL, else
                  http://127.0.0.1:<MESHGATE_GATEWAY_PORT>/graphql)
  --token JWT     your token (default: $MESHGATE_TOKEN); without one, in dev mode, a dev token for
                  --roles (default analyst) is minted, and stderr says so
  --roles a,b     the roles of that dev token
  --json          the GraphQL answer's data as JSON

Exit codes: 0 shown, 1 the gateway refused or could not be reached, 2 a usage error (an unknown product too).`;

const ENTRY = `name domain owner description tags version status sunset successor pii graphqlType
  slaStatus { ok fresh ageSeconds freshnessTargetSeconds completeness problems } currentVersion { version testsPassed testsFailed dataAsOf }`;
const LIST_QUERY = `query CatalogList($search: String, $domain: String, $owner: String, $tag: String, $pii: Boolean) {
  dataProducts(search: $search, domain: $domain, owner: $owner, tag: $tag, pii: $pii) { ${ENTRY} } }`;
const SHOW_QUERY = `query CatalogShow($name: String!) { dataProduct(name: $name) { ${ENTRY}
  rootFields { list connection byKey aggregate }
  fields { name type classification access mask nullable key references description }
  inputs { source type domain purpose } sla { freshness availability completeness qualityScore }
  versions(limit: 5) { version status serving createdAt rows testsPassed testsFailed findings { severity message } }
  profile { rows columns { field nullShare distinctCount min max withheld } }
  usage { last7Days { queries refused consumers } last30Days { queries refused consumers topConsumers { name count } topOperations { name count } } }
  lineage { nodes { id kind name } edges { from to kind } }
  sample(limit: 5) { fields rows } } }`;

/** A GraphQL answer, as far as the command reads it. */
interface Answer {
  readonly data?: Record<string, unknown> | null;
  readonly errors?: readonly { message: string; extensions?: { code?: string } }[];
}

/** Where to ask and with which token (minting a dev one when none is given and dev mode allows it). */
async function connection(values: { url?: string; token?: string; roles?: string }, note: (line: string) => void): Promise<{ url: string; token: string }> {
  const config = readConfig();
  const url = values.url ?? process.env.MESHGATE_GATEWAY_URL ?? `http://127.0.0.1:${config.MESHGATE_GATEWAY_PORT}/graphql`;
  const given = values.token ?? process.env.MESHGATE_TOKEN;
  if (given) return { url, token: given };
  if (config.NODE_ENV === 'production' || (config.MESHGATE_AUTH_MODE ?? 'dev') !== 'dev') throw new UsageError('a token is required: pass --token JWT or set MESHGATE_TOKEN');
  const roles = (values.roles ?? 'analyst').split(',').map((r) => r.trim());
  if (!roles.every((r) => /^[A-Za-z0-9_.:-]{1,64}$/.test(r))) throw new UsageError(`--roles expects a comma-separated list of roles, got "${values.roles}"`);
  const sub = userInfo().username || 'cli-user';
  note(`using a dev token for ${sub} with roles ${roles.join(',')} (pass --token or set MESHGATE_TOKEN to use your own)`);
  return { url, token: await mintDevToken(path.join(config.MESHGATE_STATE_DIR, 'dev-keys'), { sub, roles, ttlS: 600 }) };
}

/** Posts one operation; a network failure or a refusal becomes a message for people (exit 1). */
async function ask(url: string, token: string, query: string, variables: Record<string, unknown>): Promise<Record<string, unknown>> {
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'apollographql-client-name': 'meshgate-cli' },
      body: JSON.stringify({ query, variables }),
      signal: AbortSignal.timeout(30_000),
    });
  } catch {
    throw new GatewayError(`cannot reach the gateway at ${url}: start the mesh with "npm start", or pass --url`);
  }
  const answer = (await res.json().catch(() => ({}))) as Answer;
  const error = answer.errors?.[0];
  if (error) {
    const hint = error.extensions?.code === 'UNAUTHENTICATED' ? ' (get a token with "meshgate token --sub you --roles analyst")' : '';
    throw new GatewayError(`the gateway answered ${error.extensions?.code ?? res.status}: ${error.message}${hint}`);
  }
  if (!res.ok || !answer.data) throw new GatewayError(`the gateway answered HTTP ${res.status}`);
  return answer.data;
}

/** The gateway refused or could not be reached (exit 1). */
class GatewayError extends Error {
  override readonly name = 'GatewayError';
}

const pct = (share: unknown): string => (typeof share === 'number' ? `${(share * 100).toFixed(share >= 0.9995 ? 0 : 1)}%` : '-');
const age = (s: unknown): string => (typeof s !== 'number' ? '-' : s >= 7200 ? `${Math.floor(s / 3600)} h` : s >= 120 ? `${Math.floor(s / 60)} min` : `${s} s`);

/** One product's answer to LIST_QUERY. */
interface Entry {
  name: string;
  domain: string;
  owner: string;
  pii: boolean;
  status: string;
  sunset: string | null;
  tags: string[];
  slaStatus: { ok: boolean; fresh: boolean | null; ageSeconds: number | null; freshnessTargetSeconds: number | null; problems: string[] };
  currentVersion: { version: string; testsPassed: number | null; testsFailed: number | null } | null;
}

const status = (e: Entry): string => (e.status === 'DEPRECATED' ? `deprecated${e.sunset ? ` (sunset ${e.sunset})` : ''}` : e.status.toLowerCase());
const tests = (v: { testsPassed: number | null; testsFailed: number | null } | null): string =>
  !v ? '-' : v.testsPassed === null ? 'none (published without a gate)' : `${v.testsPassed} passed, ${v.testsFailed} failed`;
const sla = (e: Entry): string => (e.slaStatus.ok ? 'ok' : e.slaStatus.fresh === false ? 'stale' : 'not ok');

function listTable(entries: readonly Entry[]): string {
  if (entries.length === 0) return '';
  return textTable(
    ['product', 'domain', 'owner', 'pii', 'sla', 'age', 'status', 'tests', 'tags'],
    entries.map((e) => [
      e.name,
      show(e.domain),
      cut(show(e.owner), 34),
      e.pii ? 'yes' : 'no',
      sla(e),
      age(e.slaStatus.ageSeconds),
      status(e),
      tests(e.currentVersion),
      cut(e.tags.join(','), 40),
    ]),
  );
}

/** One product's answer to SHOW_QUERY. */
interface Page extends Entry {
  readonly graphqlType: string;
  readonly description: string | null;
  readonly owner: string;
  readonly domain: string;
  readonly successor: string | null;
  readonly rootFields: { list: string; connection: string; byKey: string | null; aggregate: string };
  readonly sla: { freshness: string | null; availability: number | null; completeness: number | null };
  readonly slaStatus: Entry['slaStatus'] & { completeness: number | null };
  readonly inputs: { source: string; type: string; purpose: string | null }[];
  readonly fields: {
    name: string;
    type: string;
    classification: string;
    access: string;
    mask: string | null;
    nullable: boolean;
    key: boolean;
    references: string | null;
    description: string | null;
  }[];
  readonly versions: {
    version: string;
    status: string;
    serving: boolean;
    createdAt: string;
    rows: number;
    testsPassed: number | null;
    testsFailed: number | null;
    findings: { severity: string; message: string }[];
  }[];
  readonly profile: {
    rows: number;
    columns: { field: string; nullShare: number | null; distinctCount: number | null; min: string | null; max: string | null; withheld: string | null }[];
  } | null;
  readonly usage: Record<'last7Days' | 'last30Days', { queries: number; refused: number; consumers: number; topConsumers?: Ranked; topOperations?: Ranked }>;
  readonly lineage: { nodes: { id: string; kind: string; name: string }[]; edges: { from: string; to: string; kind: string }[] };
  readonly sample: { fields: string[]; rows: (string | null)[][] };
}
type Ranked = { name: string | null; count: number }[] | null;

const ranked = (list: Ranked): string => list?.map((c) => `${show(c.name)} (${c.count})`).join(', ') || '-';
const ARROWS: Record<string, string> = { INPUT: '→', READS: '⇢ read by', REFERENCE: '↔ referenced by' };

function productPage(p: Page): string {
  const out: string[] = [];
  const line = (k: string, v: string): void => void out.push(`${`${k}:`.padEnd(14)}${v}\n`);
  out.push(`${p.name}  (${show(p.domain)} domain, GraphQL type ${p.graphqlType})\n`);
  if (p.description) out.push(`${show(p.description)}\n`);
  out.push('\n');
  line('owner', show(p.owner));
  line('status', `${status(p)}${p.successor ? `, use ${p.successor}` : ''}`);
  line('tags', show(p.tags.join(', ')));
  line('query with', [p.rootFields.list, p.rootFields.connection, p.rootFields.byKey, p.rootFields.aggregate].filter(Boolean).join(', '));
  line('sla', `freshness ${show(p.sla.freshness)}, completeness ${pct(p.sla.completeness)}, availability ${pct(p.sla.availability)}`);
  const problems = p.slaStatus.problems.length ? ` (${p.slaStatus.problems.join('; ')})` : '';
  line('now', `${sla(p)}: data ${age(p.slaStatus.ageSeconds)} old, completeness ${pct(p.slaStatus.completeness)}${problems}`);
  const v = p.currentVersion;
  line('version', v ? `${v.version}, contract tests: ${tests(v)}` : 'none served');
  line('inputs', p.inputs.map((i) => `${i.source} (${i.type}${i.purpose ? `, for ${i.purpose}` : ''})`).join(', ') || '-');
  const u = p.usage;
  line(
    'usage',
    `7 d: ${u.last7Days.queries} queries by ${u.last7Days.consumers} callers, ${u.last7Days.refused} refused; 30 d: ${u.last30Days.queries} queries by ${u.last30Days.consumers}`,
  );
  if (u.last30Days.topConsumers) line('top readers', ranked(u.last30Days.topConsumers));
  if (u.last30Days.topOperations) line('top ops', ranked(u.last30Days.topOperations));
  const profile = new Map((p.profile?.columns ?? []).map((c) => [c.field, c]));
  out.push(`\nfields (what you get of each${p.profile ? `; profile over your ${p.profile.rows} rows` : ''}):\n`);
  const fieldRow = (f: Page['fields'][number]): string[] => {
    const c = profile.get(f.name);
    return [
      `${f.name}${f.key ? ' (key)' : ''}${f.references ? ` → ${f.references}` : ''}`,
      `${f.type}${f.nullable ? '' : '!'}`,
      f.classification === 'none' ? '-' : f.classification,
      f.access === 'MASKED' ? `masked (${f.mask})` : f.access.toLowerCase(),
      c?.withheld ? 'withheld' : pct(c?.nullShare),
      show(c?.distinctCount),
      cut(show(c?.min), 26),
      cut(show(c?.max), 26),
      cut(show(f.description), 50),
    ];
  };
  out.push(textTable(['field', 'type', 'pii', 'you get', 'nulls', 'distinct', 'min', 'max', 'description'], p.fields.map(fieldRow)));
  out.push('\nversions (* served):\n');
  const versionRow = (x: Page['versions'][number]): string[] => [
    `${x.version}${x.serving ? ' *' : ''}`,
    x.status.toLowerCase(),
    x.createdAt.slice(0, 19),
    String(x.rows),
    tests(x),
    cut(x.findings.map((f) => `${f.severity}: ${show(f.message)}`).join('; ') || '-', 60),
  ];
  out.push(textTable(['version', 'status', 'created', 'rows', 'tests', 'findings'], p.versions.map(versionRow)));
  const names = new Map(p.lineage.nodes.map((n) => [n.id, `${n.name}${n.kind === 'PRODUCT' ? '' : ` (${n.kind.toLowerCase()})`}`]));
  out.push('\nlineage:\n');
  for (const e of p.lineage.edges) out.push(`  ${names.get(e.from)} ${ARROWS[e.kind] ?? e.kind} ${names.get(e.to)}\n`);
  out.push('\nsample (as you would read it):\n');
  out.push(
    textTable(
      p.sample.fields,
      p.sample.rows.map((r) => r.map((x) => cut(show(x), 30))),
    ),
  );
  return out.join('');
}

/** The `catalog` command. */
export const command: Command = {
  help,
  async run(args) {
    const { values, positionals } = parseOptions(args, {
      search: { type: 'string' },
      domain: { type: 'string' },
      owner: { type: 'string' },
      tag: { type: 'string' },
      pii: { type: 'boolean' },
      'no-pii': { type: 'boolean' },
      json: { type: 'boolean' },
      url: { type: 'string' },
      token: { type: 'string' },
      roles: { type: 'string' },
    });
    const note = (line: string): void => void process.stderr.write(`${line}\n`);
    const [sub, name, ...rest] = positionals;
    if (sub !== undefined && sub !== 'show') throw new UsageError(`unknown sub-command "${sub}": expected "show PRODUCT" or options only`);
    if (sub === 'show' && (!name || rest.length)) throw new UsageError('usage: meshgate catalog show PRODUCT');
    if (values.pii && values['no-pii']) throw new UsageError('--pii and --no-pii exclude each other');
    const { url, token } = await connection(values, note);
    try {
      if (sub === 'show') {
        const data = await ask(url, token, SHOW_QUERY, { name });
        if (!data.dataProduct) {
          note(`meshgate catalog: there is no data product "${name}" you may read (see "meshgate catalog")`);
          return 2;
        }
        process.stdout.write(values.json ? `${JSON.stringify(data.dataProduct, null, 2)}\n` : productPage(data.dataProduct as Page));
        return 0;
      }
      const pii = values.pii ? true : values['no-pii'] ? false : undefined;
      const data = await ask(url, token, LIST_QUERY, { search: values.search, domain: values.domain, owner: values.owner, tag: values.tag, pii });
      const entries = data.dataProducts as Entry[];
      if (values.json) process.stdout.write(`${JSON.stringify(entries, null, 2)}\n`);
      else {
        process.stdout.write(listTable(entries));
        note(entries.length ? `${entries.length} product(s); "meshgate catalog show PRODUCT" for one` : 'no product you may read matches');
      }
      return 0;
    } catch (error) {
      if (!(error instanceof GatewayError)) throw error;
      note(`meshgate catalog: ${error.message}`);
      return 1;
    }
  },
};
