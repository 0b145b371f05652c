/**
 * `meshgate bench`, end to end: seed, open the floor, count statements on an in-process mesh, then
 * load the floor, the subgraph and the gateway (in a child process) scenario by scenario.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { readConfig, REPO_ROOT } from '../cli/config.js';
import { seedSample } from '../cli/commands/seed.js';
import { startChildMesh, type ChildMesh } from './childMesh.js';
import { countStatements, type StatementTally } from './countStatements.js';
import { CONCURRENCY, openFloor, type Floor } from './floor.js';
import { failureCount, httpLoad } from './httpLoad.js';
import { checkTargets, compareToFloor, formatChecks, formatTable, type RawRow } from './report.js';
import { requestBody, SCENARIOS, type Scenario } from './scenarios.js';
import type { Measurement } from './stats.js';
import type { SqlQuery } from '../subgraphs/runtime/sql/index.js';

/** What `meshgate bench` was asked for. */
export interface BenchOptions {
  readonly scale: number;
  readonly durationS: number;
  /** Print the JSON report on stdout instead of the table. */
  readonly json: boolean;
}

/** Discarded warm-up run before each measured one. */
const WARMUP_S = 1;
/** Where the report is written. */
export const RESULTS_FILE = path.join(REPO_ROOT, 'bench', 'results', 'latest.json');

const log = (line: string): void => void process.stderr.write(`${line}\n`);
const quiet = (): void => undefined;
const summary = (m: Measurement): string => `${m.reqPerSec.toFixed(0)} req/s, p50 ${m.p50Ms.toFixed(2)} ms, p99 ${m.p99Ms.toFixed(2)} ms`;

/** Runs the whole suite; resolves to the exit code (0, even when a performance target is missed). */
export async function runBench(options: BenchOptions): Promise<number> {
  const dataRoot = path.join(REPO_ROOT, 'bench', 'data', `scale-${options.scale}`);
  const loadavgAtStart = os.loadavg();
  await seedSample({ scale: options.scale, seed: 42, dataRoot, ifMissing: true, log });
  const config = readConfig({ ...process.env, MESHGATE_HOST: '127.0.0.1', MESHGATE_DATA_DIR: dataRoot });
  const floor = await openFloor(config, quiet);
  let child: ChildMesh | undefined;
  const onSignal = (signal: NodeJS.Signals): void => {
    log(`\n${signal}: stopping the mesh under test...`);
    void (child?.stop() ?? Promise.resolve()).finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    log('counting SQL statements per request (in-process mesh)...');
    const tallies = await countStatements(config, SCENARIOS, floor.inputs);
    const floorSql = await checkFloorIsRuntime(floor, tallies);
    log('starting the mesh under test (child process)...');
    child = await startChildMesh({ dataRoot, domains: floor.domains });
    log(`mesh under test: pid ${child.pid}, gateway ${child.graphqlUrl}`);
    const raw: RawRow[] = [];
    for (const [k, scenario] of SCENARIOS.entries()) raw.push(...(await runScenario(scenario, `scenario ${k + 1}/${SCENARIOS.length}`, floor, child, tallies, floorSql, options.durationS)));
    await child.stop();
    child = undefined;
    const rows = compareToFloor(raw);
    const join = tallies.find((t) => t.scenario === 'orders-with-customers' && t.target === 'gateway')!;
    const targets = checkTargets(rows, 'point-lookup', join);
    const report = {
      timestamp: new Date().toISOString(),
      machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? 'unknown', memoryGiB: +(os.totalmem() / 2 ** 30).toFixed(1), node: process.version, platform: `${process.platform}-${process.arch}`, loadavgAtStart, loadavgAtEnd: os.loadavg() },
      options: { scale: options.scale, durationS: options.durationS, warmupS: WARMUP_S, connections: CONCURRENCY },
      rows,
      targets,
      statements: tallies.map((t) => ({ scenario: t.scenario, target: t.target, statements: t.statements, byDomain: t.byDomain, sql: t.sql.map((q) => q.text) })),
    };
    await mkdir(path.dirname(RESULTS_FILE), { recursive: true });
    await writeFile(RESULTS_FILE, `${JSON.stringify(report, null, 2)}\n`);
    const text = options.json ? JSON.stringify(report, null, 2) : `${formatTable(rows)}\n\n${formatChecks(targets)}\n\nwrote ${path.relative(process.cwd(), RESULTS_FILE)}`;
    process.stdout.write(`${text}\n`);
    return 0;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await child?.stop();
    floor.close();
  }
}

/** Measures one scenario on the floor, the subgraph and the gateway, each after a discarded warm-up. */
async function runScenario(s: Scenario, label: string, floor: Floor, child: ChildMesh, tallies: readonly StatementTally[], floorSql: ReadonlyMap<string, number>, durationS: number): Promise<RawRow[]> {
  const sqlOf = (target: 'gateway' | 'subgraph'): number => tallies.find((t) => t.scenario === s.id && t.target === target)!.statements;
  const rows: RawRow[] = [];
  log(`${label}: ${s.title}, floor...`);
  await floor.measure(s, WARMUP_S);
  const m = await floor.measure(s, durationS);
  log(`  ${summary(m)}`);
  rows.push({ scenarioId: s.id, scenario: s.title, target: 'floor', measurement: m, sqlPerRequest: floorSql.get(s.id)! });
  for (const target of ['subgraph', 'gateway'] as const) {
    log(`${label}: ${s.title}, ${target}...`);
    const url = target === 'gateway' ? child.graphqlUrl : child.subgraphUrls.get(s.direct.domain)!;
    const rotating = s.variables(0, floor.inputs) !== undefined;
    const load = async (seconds: number): Promise<Measurement> => {
      const run = await httpLoad({ url, body: (i) => requestBody(s, target, i, floor.inputs), rotating, connections: CONCURRENCY, durationS: seconds });
      const f = run.failures;
      if (failureCount(f) > 0) {
        throw new Error(`${s.title}, ${target}: ${f.non200} non-200, ${f.graphqlErrors} with GraphQL errors, ${f.connectionErrors} connection errors, ${f.timeouts} timeouts; first: ${f.sample ?? '-'}\nmesh under test:\n${child.logTail()}`);
      }
      return run.measurement;
    };
    await load(WARMUP_S);
    const measured = await load(durationS);
    log(`  ${summary(measured)}`);
    const footnote = target === 'subgraph' ? s.direct.footnote : undefined;
    rows.push({ scenarioId: s.id, scenario: s.title, target, measurement: measured, sqlPerRequest: sqlOf(target), ...(footnote !== undefined && { footnote }) });
  }
  return rows;
}

const normalise = (q: SqlQuery): string => JSON.stringify([q.text.replace(/__v\d+"/g, '__v*"'), q.values], (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v));

/**
 * Checks that the floor runs exactly the statements the runtime ran for each scenario's first
 * request through the gateway (text and bound values); resolves to the floor's statements per request.
 */
async function checkFloorIsRuntime(floor: Floor, tallies: readonly StatementTally[]): Promise<Map<string, number>> {
  const perRequest = new Map<string, number>();
  for (const s of SCENARIOS) {
    const ours = (await floor.statements(s, 0)).map(normalise);
    const theirs = tallies.find((t) => t.scenario === s.id && t.target === 'gateway')!.sql.map(normalise);
    if (ours.join('\n') !== theirs.join('\n')) {
      throw new Error(`the floor of "${s.title}" is not what the runtime runs, so it would measure something else.\nruntime:\n  ${theirs.join('\n  ')}\nfloor:\n  ${ours.join('\n  ')}`);
    }
    perRequest.set(s.id, ours.length);
  }
  return perRequest;
}
