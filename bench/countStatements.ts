/**
 * Counts the SQL statements one request of each scenario costs, through the gateway and straight to
 * the subgraph, on an in-process mesh (whose database counter this process can read), and records
 * the statements themselves so the floor can be checked against them.
 */
import type { Config } from '../cli/config.js';
import { startMesh } from '../cli/startMesh.js';
import type { SqlQuery } from '../subgraphs/runtime/sql/index.js';
import { requestBody, type BenchInputs, type Scenario } from './scenarios.js';

/** What one request of a scenario cost on one target. */
export interface StatementTally {
  readonly scenario: string;
  readonly target: 'gateway' | 'subgraph';
  /** The runtime's statement counter, after minus before. */
  readonly statements: number;
  /** Statements per domain, by the table each one reads. */
  readonly byDomain: Readonly<Record<string, number>>;
  /** The statements, in the order they ran. */
  readonly sql: readonly SqlQuery[];
}

/** Starts an in-process mesh, runs every scenario's first request once per target, and closes it. */
export async function countStatements(config: Config, scenarios: readonly Scenario[], inputs: BenchInputs): Promise<StatementTally[]> {
  const running = await startMesh({ config, ephemeralPorts: true, log: () => undefined });
  const { db } = running;
  const query = db.query;
  const seen: SqlQuery[] = [];
  db.query = (q) => (seen.push(q), query.call(db, q));
  const domainOf = new Map(running.mesh.domains.flatMap((d) => d.products.map((p) => [p.name, d.name] as const)));
  try {
    const tallies: StatementTally[] = [];
    for (const scenario of scenarios) {
      for (const target of ['gateway', 'subgraph'] as const) {
        const subgraph = running.subgraphs.get(scenario.direct.domain);
        if (!subgraph) throw new Error(`bench: the mesh has no "${scenario.direct.domain}" subgraph`);
        const url = target === 'gateway' ? running.gateway.graphqlUrl : subgraph.url;
        seen.length = 0;
        const before = db.statements;
        await postOnce(url, requestBody(scenario, target, 0, inputs), `${scenario.title}, ${target}`);
        const byDomain: Record<string, number> = {};
        for (const q of seen) {
          const domain = domainOf.get(/ FROM "([^"]+)__v\d+"/.exec(q.text)?.[1] ?? '') ?? 'unknown';
          byDomain[domain] = (byDomain[domain] ?? 0) + 1;
        }
        tallies.push({ scenario: scenario.id, target, statements: db.statements - before, byDomain, sql: [...seen] });
      }
    }
    return tallies;
  } finally {
    db.query = query;
    await running.close();
  }
}

/** Sends one GraphQL request and throws unless it answers 200 with data and no errors. */
async function postOnce(url: string, body: string, label: string): Promise<void> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body, signal: AbortSignal.timeout(30_000) });
  const text = await res.text();
  let parsed: { data?: unknown; errors?: unknown } = {};
  try {
    parsed = JSON.parse(text) as typeof parsed;
  } catch {
    // reported below
  }
  if (res.status !== 200 || parsed.errors || !parsed.data) throw new Error(`${label}: the request failed (HTTP ${res.status}): ${text.slice(0, 500)}`);
}
