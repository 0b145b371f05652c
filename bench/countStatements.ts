/**
 * Counts the SQL statements one request costs, through the gateway and straight to a subgraph, on
 * an in-process mesh (whose database counter this process can read), and records the statements
 * themselves so the floor can be checked against them. Requests carry the same headers as under
 * load: a bearer token for the gateway, a signed access context for a subgraph.
 */
import type { Config } from '../cli/config.js';
import { startMesh } from '../cli/mesh/index.js';
import type { SqlQuery } from '../subgraphs/runtime/sql/index.js';

/** One request whose statements are counted. */
export interface StatementProbe {
  readonly scenario: string;
  /** `gateway`, `open`, `subgraph`, `owner`, `analyst`: which request it was. */
  readonly target: string;
  /** `gateway`, or the domain whose subgraph is called directly. */
  readonly endpoint: string;
  readonly body: string;
  /** The request's headers, built right before it is sent (a signed access context expires). */
  headers(): Promise<Readonly<Record<string, string>>>;
}

/** What one request cost on one target. */
export interface StatementTally {
  readonly scenario: string;
  readonly target: string;
  /** The runtime's statement counter, after minus before. */
  readonly statements: number;
  /** Statements per domain, by the table each one reads. */
  readonly byDomain: Readonly<Record<string, number>>;
  /** The statements, in the order they ran. */
  readonly sql: readonly SqlQuery[];
}

/** Starts an in-process mesh with `config` (no build after start), sends each probe once, and closes it. */
export async function countStatements(config: Config, probes: readonly StatementProbe[]): Promise<StatementTally[]> {
  const running = await startMesh({ config, ephemeralPorts: true, log: () => undefined, buildTimers: false });
  const { db } = running;
  const query = db.query;
  const seen: SqlQuery[] = [];
  db.query = (q) => (seen.push(q), query.call(db, q));
  const domainOf = new Map(running.mesh.domains.flatMap((d) => d.products.map((p) => [p.name, d.name] as const)));
  try {
    const tallies: StatementTally[] = [];
    for (const probe of probes) {
      const url = probe.endpoint === 'gateway' ? running.gateway.graphqlUrl : running.subgraphs.get(probe.endpoint)?.url;
      if (!url) throw new Error(`bench: the mesh has no "${probe.endpoint}" subgraph`);
      const headers = await probe.headers();
      seen.length = 0;
      const before = db.statements;
      await postOnce(url, probe.body, headers, `${probe.scenario}, ${probe.target}`);
      const byDomain: Record<string, number> = {};
      for (const q of seen) {
        const domain = domainOf.get(/ FROM "([^"]+)__v\d+"/.exec(q.text)?.[1] ?? '') ?? 'unknown';
        byDomain[domain] = (byDomain[domain] ?? 0) + 1;
      }
      tallies.push({ scenario: probe.scenario, target: probe.target, statements: db.statements - before, byDomain, sql: [...seen] });
    }
    return tallies;
  } finally {
    db.query = query;
    await running.close();
  }
}

/** Sends one GraphQL request and throws unless it answers 200 with data and no errors. */
async function postOnce(url: string, body: string, headers: Readonly<Record<string, string>>, label: string): Promise<void> {
  const res = await fetch(url, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body, signal: AbortSignal.timeout(30_000) });
  const text = await res.text();
  let parsed: { data?: unknown; errors?: unknown } = {};
  try {
    parsed = JSON.parse(text) as typeof parsed;
  } catch {
    // reported below
  }
  if (res.status !== 200 || parsed.errors || !parsed.data) throw new Error(`${label}: the request failed (HTTP ${res.status}): ${text.slice(0, 500)}`);
}
