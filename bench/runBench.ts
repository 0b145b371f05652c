/**
 * `meshgate bench`, end to end: seed, open the floor, time token signing and verification, count
 * statements on in-process meshes (access control on, then off), time one durable append, then load
 * the floor, the subgraph and the open, enforced and logged gateways (three child processes) group
 * by group.
 */
import { cp, mkdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { readConfig, REPO_ROOT, type Config } from '../cli/config.js';
import { seedSample } from '../subgraphs/sample/index.js';
import { benchEnv, benchLogDir, openBenchAccess, OWNER_ROLES, type BenchAccess } from './benchAccess.js';
import { checkAccessLog, checkEnforcement, checkJoin, checkLookupLatency, checkVerification, compareVariants, formatChecks } from './checks.js';
import { startChildMesh, type ChildMesh } from './childMesh.js';
import { countStatements, type StatementProbe, type StatementTally } from './countStatements.js';
import { CONCURRENCY, openFloor, type Floor } from './floor.js';
import {
  FRESH_TOKEN_ID,
  LATENCY_ID,
  logLatencyId,
  measureFreshTokens,
  measureLatency,
  measureLogLatency,
  measureMaskedPii,
  measurePublishing,
  measureCatalog,
  CATALOG_LOAD_ID,
  measureShape,
  PUBLISHING_ID,
  type BenchSetup,
} from './measureGroups.js';
import { measureBuilds, measureSwap, publishingLoads, type BuildTiming } from './publishBench.js';
import { runBuilds } from '../cli/mesh/runBuilds.js';
import { readManifest } from '../schema/index.js';
import { measureFsync } from './fsyncCost.js';
import { compareRows, formatTable, TARGET, type RawRow, type Target } from './report.js';
import { CATALOG_LIST, CATALOG_PRODUCT, MASKED_PII, POINT_LOOKUP, requestBody, SCENARIOS } from './scenarios.js';
import { mintAndTimeTokens } from './tokenCost.js';
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
/** Distinct tokens whose verification is timed; the first {@link FRESH_TOKENS} also serve the fresh-token run. */
const TIMED_TOKENS = 20_000;
const FRESH_TOKENS = 5_000;
/** Where the report is written. */
export const RESULTS_FILE = path.join(REPO_ROOT, 'bench', 'results', 'latest.json');
/** The state folder (dev key, dev secrets) of every mesh the bench starts. */
export const STATE_DIR = path.join(REPO_ROOT, 'bench', 'data', 'state');

const log = (line: string): void => void process.stderr.write(`${line}\n`);

/** Runs the whole suite; resolves to the exit code (0, even when a performance target is missed). */
export async function runBench(options: BenchOptions): Promise<number> {
  const dataRoot = path.join(REPO_ROOT, 'bench', 'data', `scale-${options.scale}`);
  const loadavgAtStart = os.loadavg();
  await seedSample({ scale: options.scale, seed: 42, dataRoot, ifMissing: true, log });
  await buildIfMissing(readConfig({ ...benchEnv(process.env, STATE_DIR, 'on'), MESHGATE_DATA_DIR: dataRoot, MESHGATE_ACCESS_LOG: 'off' }));
  const configOf = (access: 'on' | 'off'): Config => readConfig({ ...benchEnv(process.env, STATE_DIR, access), MESHGATE_HOST: '127.0.0.1', MESHGATE_DATA_DIR: dataRoot });
  const floor = await openFloor(configOf('on'), () => undefined);
  const children: ChildMesh[] = [];
  let loggedRoot: string | undefined;
  const stopAll = (): Promise<unknown> => Promise.all(children.splice(0).map((c) => c.stop()));
  const onSignal = (signal: NodeJS.Signals): void => {
    log(`\n${signal}: stopping the meshes under test...`);
    void stopAll().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const access = await openBenchAccess(STATE_DIR, floor.products);
    log(`signing ${TIMED_TOKENS.toLocaleString('en-US')} distinct tokens and timing their verification (in-process)...`);
    const { tokens, cost } = await mintAndTimeTokens(access.devKeyDir, TIMED_TOKENS, OWNER_ROLES);
    log(`  ES256 sign ${cost.signCpuUs.toFixed(0)} µs CPU, verification ${cost.verifyCpuUs.toFixed(0)} µs CPU (${cost.verifyWallUs.toFixed(0)} µs wall)`);
    log('counting SQL statements per request (in-process meshes, access control on, then off)...');
    const tallies = [...(await countStatements(configOf('on'), enforcedProbes(floor, access))), ...(await countStatements(configOf('off'), openProbes(floor, access)))];
    const floorSql = await checkFloorIsRuntime(floor, tallies);
    log('starting the meshes under test (child processes: access control on, off, and on with the access log)...');
    log("timing a durable append (1 KB written and fdatasynced) on the access log's disk (in-process)...");
    await mkdir(STATE_DIR, { recursive: true });
    const fsync = await measureFsync(STATE_DIR);
    log(`  ${(fsync.p50WallUs / 1000).toFixed(2)} ms p50, ${fsync.cpuUsPerAppend.toFixed(0)} µs of CPU per append`);
    loggedRoot = await copyForLog(dataRoot);
    const started = await Promise.allSettled([
      startChildMesh({ label: 'enforced', dataRoot, domains: floor.domains, stateDir: STATE_DIR, access: 'on' }),
      startChildMesh({ label: 'open', dataRoot, domains: floor.domains, stateDir: STATE_DIR, access: 'off' }),
      startChildMesh({ label: 'logged', dataRoot: loggedRoot, domains: floor.domains, stateDir: STATE_DIR, access: 'on', accessLog: 'on' }),
    ]);
    for (const s of started) if (s.status === 'fulfilled') children.push(s.value);
    const failed = started.find((s) => s.status === 'rejected');
    if (failed) throw failed.reason;
    const [enforced, open, logged] = children as [ChildMesh, ChildMesh, ChildMesh];
    for (const c of children) log(`${c.label} mesh: pid ${c.pid}, gateway ${c.graphqlUrl}`);
    const sqlOf = (scenarioId: string, asked: Target): number => {
      // The logged gateway runs the same SQL as the enforced one (the log is a file, not a statement).
      const target = asked === TARGET.logged ? TARGET.gateway : asked;
      const n = target === TARGET.floor ? floorSql.get(scenarioId) : tallies.find((t) => t.scenario === scenarioId && t.target === target)?.statements;
      if (n === undefined) throw new Error(`bench: no statement count for "${scenarioId}", ${target}`);
      return n;
    };
    const setup: BenchSetup = {
      floor,
      enforced,
      open,
      logged,
      access,
      freshTokens: tokens.slice(0, FRESH_TOKENS),
      sqlOf,
      timing: { warmupS: WARMUP_S, durationS: options.durationS, log },
    };
    const raw: RawRow[] = [];
    for (const [k, s] of SCENARIOS.entries()) {
      log(`-- shape ${k + 1}/${SCENARIOS.length}: ${s.title}`);
      raw.push(...(await measureShape(setup, s)));
    }
    log('-- masked PII');
    raw.push(...(await measureMaskedPii(setup)));
    log('-- fresh token on every request');
    raw.push(...(await measureFreshTokens(setup)));
    log('-- latency pass: one connection');
    raw.push(...(await measureLatency(setup)));
    log('-- the access log at one connection, each shape');
    raw.push(...(await measureLogLatency(setup, SCENARIOS)));
    log('-- publishing: the swap, a publish until it is served, and queries while new versions are published');
    const publishSetup = { dataRoot, stateDir: STATE_DIR, mesh: enforced, headers: access.owner };
    const swap = await measureSwap(publishSetup, log);
    raw.push(...(await measurePublishing(setup, (base) => publishingLoads(publishSetup, base))));
    log('-- the catalog: its list and a product page at one connection, and data queries while it is browsed');
    raw.push(...(await measureCatalog(setup)));
    await stopAll();
    log('-- building the sample from its raw sources (the meshes stopped)');
    const builds: BuildTiming[] = [];
    for (const scale of BUILD_SCALES) builds.push(await measureBuilds(scale, STATE_DIR, log));
    const rows = compareRows(raw);
    const join = tallies.find((t) => t.scenario === 'orders-with-customers' && t.target === TARGET.gateway)!;
    const targets = [
      checkLookupLatency(rows, LATENCY_ID, { scenarioId: POINT_LOOKUP.id, connections: CONCURRENCY }),
      checkJoin(join),
      ...checkEnforcement(
        rows,
        SCENARIOS.map((s) => s.id),
      ),
      ...checkAccessLog(
        rows,
        SCENARIOS.map((s) => s.id),
        logLatencyId,
        fsync,
      ),
      checkVerification(cost),
      compareVariants(rows, MASKED_PII.id, TARGET.analyst),
      compareVariants(rows, FRESH_TOKEN_ID, TARGET.freshToken),
      compareVariants(rows, PUBLISHING_ID, TARGET.publishing),
      compareVariants(rows, CATALOG_LOAD_ID, TARGET.catalogLoad),
    ];
    const report = {
      timestamp: new Date().toISOString(),
      machine: {
        cpus: os.cpus().length,
        cpuModel: os.cpus()[0]?.model ?? 'unknown',
        memoryGiB: +(os.totalmem() / 2 ** 30).toFixed(1),
        node: process.version,
        platform: `${process.platform}-${process.arch}`,
        loadavgAtStart,
        loadavgAtEnd: os.loadavg(),
      },
      options: {
        scale: options.scale,
        durationS: options.durationS,
        warmupS: WARMUP_S,
        connections: CONCURRENCY,
        freshTokens: FRESH_TOKENS,
        timedTokens: TIMED_TOKENS,
        accessLog: 'off, but on in the logged mesh',
      },
      rows,
      targets,
      tokenCost: cost,
      fsyncCost: fsync,
      publishing: { swap, builds },
      statements: tallies.map((t) => ({ scenario: t.scenario, target: t.target, statements: t.statements, byDomain: t.byDomain, sql: t.sql.map((q) => q.text) })),
    };
    await mkdir(path.dirname(RESULTS_FILE), { recursive: true });
    await writeFile(RESULTS_FILE, `${JSON.stringify(report, null, 2)}\n`);
    const machine = `access log off but in the "${TARGET.logged}" mesh (which runs over its own copy of the data); ${report.machine.cpus} CPUs, load average ${loadavgAtStart[0]!.toFixed(1)} at start, ${report.machine.loadavgAtEnd[0]!.toFixed(1)} at end (anything above the mesh's own load is other work sharing the machine)`;
    const text = options.json
      ? JSON.stringify(report, null, 2)
      : `${formatTable(rows)}\n\n${formatChecks(targets)}\n\n${formatPublishing(swap, builds)}\n\n${machine}\nwrote ${path.relative(process.cwd(), RESULTS_FILE)}`;
    process.stdout.write(`${text}\n`);
    return 0;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await stopAll();
    floor.close();
    if (loggedRoot) await rm(loggedRoot, { recursive: true, force: true });
    await rm(benchLogDir(STATE_DIR, 'on'), { recursive: true, force: true });
  }
}

/** The scales the sample's build is timed at. */
const BUILD_SCALES = [1, 10] as const;

/** Builds the sample's products where no version of one is published yet (a fresh bench data root). */
async function buildIfMissing(config: Config): Promise<void> {
  const stores = ['customers/customer-profiles', 'commerce/orders-enriched', 'payments/payments'].map((d) => path.join(config.MESHGATE_DATA_DIR, d));
  const missing = (await Promise.all(stores.map(readManifest))).some((m) => m.kind !== 'ok');
  if (!missing) return;
  log('building the sample products from their raw sources...');
  const run = await runBuilds(config, [], log);
  if ('cycle' in run || run.outcomes.some((o) => o.status === 'failed')) throw new Error('bench: the sample does not build (see above)');
}

/** The publishing figures as lines. */
function formatPublishing(swap: Awaited<ReturnType<typeof measureSwap>>, builds: readonly BuildTiming[]): string {
  const lines = [
    `publishing: the manifest swap ${swap.swapP50Ms.toFixed(2)} ms p50 (50 swaps); a publish of customer-profiles, gate included, ${swap.publishP50Ms.toFixed(0)} ms p50; published to served ${swap.servedP50Ms.toFixed(0)} ms p50 (a product table looks at its manifest every 2 s)`,
  ];
  for (const b of builds) {
    const per = (r: BuildTiming['first']) => r.products.map((p) => `${p.product} ${p.seconds.toFixed(1)} s (${p.rows.toLocaleString('en-US')} rows)`).join(', ');
    lines.push(
      `building the sample at scale ${b.scale}: seed ${b.seedSeconds.toFixed(1)} s (raw sources, kept when present); first build ${b.first.seconds.toFixed(1)} s: ${per(b.first)}; again with no new changes ${b.again.seconds.toFixed(1)} s`,
    );
  }
  return lines.join('\n');
}

/** A copy of the seeded products (not the governance output) for the mesh that writes an access log. */
async function copyForLog(dataRoot: string): Promise<string> {
  const copy = `${dataRoot}-logged-${process.pid}`;
  await rm(copy, { recursive: true, force: true });
  await cp(dataRoot, copy, { recursive: true, filter: (src) => !src.includes(`${path.sep}governance`) });
  return copy;
}

/** Each shape through the enforced gateway as the owner and straight to its subgraph, and the masked-PII page as both callers. */
function enforcedProbes(floor: Floor, access: BenchAccess): StatementProbe[] {
  const headers = (h: Readonly<Record<string, string>>) => async (): Promise<Readonly<Record<string, string>>> => h;
  return [
    ...SCENARIOS.flatMap((s): StatementProbe[] => [
      { scenario: s.id, target: TARGET.gateway, endpoint: 'gateway', body: requestBody(s, 'gateway', 0, floor.inputs), headers: headers(access.owner) },
      { scenario: s.id, target: TARGET.subgraph, endpoint: s.direct.domain, body: requestBody(s, 'subgraph', 0, floor.inputs), headers: () => access.contextHeaders() },
    ]),
    { scenario: MASKED_PII.id, target: TARGET.owner, endpoint: 'gateway', body: requestBody(MASKED_PII, 'gateway', 0, floor.inputs), headers: headers(access.owner) },
    { scenario: MASKED_PII.id, target: TARGET.analyst, endpoint: 'gateway', body: requestBody(MASKED_PII, 'gateway', 0, floor.inputs), headers: headers(access.analyst) },
    ...[CATALOG_LIST, CATALOG_PRODUCT].map((s): StatementProbe => ({
      scenario: s.id,
      target: TARGET.analyst,
      endpoint: 'gateway',
      body: requestBody(s, 'gateway', 0, floor.inputs),
      headers: headers(access.analyst),
    })),
  ];
}

/** Each shape through the open gateway, with the owner's token as under load (the open gateway ignores it). */
function openProbes(floor: Floor, access: BenchAccess): StatementProbe[] {
  return SCENARIOS.map((s) => ({ scenario: s.id, target: TARGET.open, endpoint: 'gateway', body: requestBody(s, 'gateway', 0, floor.inputs), headers: async () => access.owner }));
}

const normalise = (q: SqlQuery): string => JSON.stringify([q.text.replace(/__v\d+"/g, '__v*"'), q.values], (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v));

/**
 * Checks that the floor runs exactly the statements (text and bound values) the runtime ran for
 * each shape's first request through the enforced gateway as the owner, and through the open
 * gateway, so every ratio compares the same SQL; resolves to the floor's statements per request.
 */
async function checkFloorIsRuntime(floor: Floor, tallies: readonly StatementTally[]): Promise<Map<string, number>> {
  const perRequest = new Map<string, number>();
  for (const s of SCENARIOS) {
    const statements = await floor.statements(s, 0);
    const ours = statements.map(normalise).join('\n  ');
    for (const target of [TARGET.gateway, TARGET.open]) {
      const theirs = tallies
        .find((t) => t.scenario === s.id && t.target === target)!
        .sql.map(normalise)
        .join('\n  ');
      if (ours !== theirs)
        throw new Error(
          `the floor of "${s.title}" is not what the runtime runs through the ${target}, so it would measure something else.\nruntime:\n  ${theirs}\nfloor:\n  ${ours}`,
        );
    }
    perRequest.set(s.id, statements.length);
  }
  return perRequest;
}
