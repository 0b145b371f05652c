/**
 * `meshgate bench`, end to end. For each scale: seed and build the sample if missing, open the
 * floors, time tokens (once), count the statements each shape costs on in-process meshes (and check
 * the floor runs exactly those), start the processes the chosen groups need (production: a process
 * per subgraph and per gateway, meshgate's and Hive's; embedded: `meshgate up`), check once that
 * every target answers the same data, then measure each group's sets, interleaved, in rounds. Then
 * the sample's builds, the targets across scales, the table and the JSON.
 */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { readConfig, REPO_ROOT, type Config } from '../cli/config.js';
import { loadServedMesh } from '../cli/mesh/index.js';
import { runBuilds } from '../cli/mesh/runBuilds.js';
import { buildSubgraphSdl, meshShapes, readManifest } from '../schema/index.js';
import type { SqlQuery } from '../subgraphs/runtime/sql/index.js';
import { seedSample } from '../subgraphs/sample/index.js';
import { benchEnv, OWNER_ROLES, openBenchAccess, removeBenchLogDirs, type BenchAccess } from './benchAccess.js';
import {
  checkAccessLog,
  checkDashboards,
  checkEmbeddedBaseline,
  checkEnforcement,
  checkGatewayRss,
  checkJoin,
  checkLatency,
  checkScaleLookups,
  checkSubgraphVsFloor,
  checkVerification,
  checkVsHive,
  compareLevers,
  compareWithBase,
  formatChecks,
  type ScaleRows,
  type TargetCheck,
} from './checks.js';
import { countStatements, type StatementProbe, type StatementTally } from './countStatements.js';
import { checkSameData, type DataCheck } from './dataCheck.js';
import { openFloor, type Floor } from './floor.js';
import { measureFsync, type FsyncCost } from './fsyncCost.js';
import { CATALOG_LOAD_ID, FRESH_TOKEN_ID, GROUPS, groupsAt, PUBLISHING_ID, setsOf, targetsOfSets, type GroupId } from './groups.js';
import { measureSet, type MeasureSet, type RowResult } from './measure.js';
import { processMemory } from './processMemory.js';
import { measureBuilds, measureSwap, publishingDuring, type BuildTiming } from './publishBench.js';
import { compareRows, formatTable, type ReportRow } from './report.js';
import { CATALOG_LIST, CATALOG_PRODUCT, MASKED_PII, requestBody, SCENARIOS } from './scenarios.js';
import { startTargets, type Started } from './targets.js';
import { formatSoak, runSoak, type SoakReport } from './soak.js';
import { mintAndTimeTokens, type TokenCost } from './tokenCost.js';

/** What `meshgate bench` was asked for. */
export interface BenchOptions {
  /** Sample scales, in order (1 = 10,000 customers, 100,000 orders). */
  readonly scales: readonly number[];
  /** Seconds of each measured run. */
  readonly durationS: number;
  /** Seconds of each target's discarded warm-up, per set. */
  readonly warmupS: number;
  /** Rounds of interleaved runs per set; each row reports the medians. */
  readonly rounds: number;
  /** The groups to run (at every scale); undefined: every group at scale 1, the look-ups at the others. */
  readonly only?: readonly GroupId[];
  /** Print the JSON report on stdout instead of the table. */
  readonly json: boolean;
  /** Also write the report to bench/results/NAME.json (committed, unlike latest.json). */
  readonly save?: string;
  /** A saved run (NAME, or a path to its JSON) the embedded rows are compared with. */
  readonly baseline?: string;
  /** Seconds of the soak (`--only soak`; default 600, `--duration` sets it). */
  readonly soakS?: number;
}

/** Distinct tokens whose verification is timed; the first {@link FRESH_TOKENS} also serve the fresh-token rows. */
const TIMED_TOKENS = 20_000;
const FRESH_TOKENS = 5_000;
/** Where the reports are written. */
export const RESULTS_DIR = path.join(REPO_ROOT, 'bench', 'results');
export const RESULTS_FILE = path.join(RESULTS_DIR, 'latest.json');
/** The state folder (dev key, dev secrets) of every process the bench starts. */
export const STATE_DIR = path.join(REPO_ROOT, 'bench', 'data', 'state');
/** Scratch files of a run: Hive's supergraphs, the one-process meshes' data copies. */
const SCRATCH_DIR = path.join(REPO_ROOT, 'bench', 'data', 'scratch');
/** The scales the sample's build is timed at. */
const BUILD_SCALES = [1, 10] as const;
/** What a saved result may be called. */
export const SAVE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,80}$/;

const log = (line: string): void => void process.stderr.write(`${line}\n`);

/** One scale's results. */
interface ScaleReport {
  readonly scale: number;
  readonly groups: readonly GroupId[];
  readonly rows: readonly ReportRow[];
  readonly checks: readonly TargetCheck[];
  readonly dataChecks: readonly DataCheck[];
  readonly statements: readonly StatementTally[];
  /** Each process's peak resident memory over its whole life (VmHWM), read before it was stopped. */
  readonly processes: readonly { readonly label: string; readonly hwmMiB: number | null }[];
  readonly swap?: Awaited<ReturnType<typeof measureSwap>>;
  readonly seconds: number;
}

/** Runs the suite; resolves to the exit code (0, even when a performance target is missed). */
export async function runBench(options: BenchOptions): Promise<number> {
  const t0 = performance.now();
  const loadavgAtStart = os.loadavg();
  const baseline = options.baseline ? await readBaseline(options.baseline) : undefined;
  const cleanups: (() => Promise<unknown>)[] = [];
  const cleanUp = (): Promise<unknown> => Promise.all(cleanups.splice(0).map((c) => c().catch(() => undefined)));
  const onSignal = (signal: NodeJS.Signals): void => {
    log(`\n${signal}: stopping the processes under test...`);
    void cleanUp().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const shared: Shared = {};
  try {
    await mkdir(STATE_DIR, { recursive: true });
    await mkdir(SCRATCH_DIR, { recursive: true });
    const scales: ScaleReport[] = [];
    for (const scale of options.scales) {
      const groups = groupsAt(scale, options.only);
      if (groups.length === 0) continue;
      scales.push(await runScale(scale, groups, options, shared, cleanups, baseline));
      await cleanUp();
    }
    let builds: BuildTiming[] | undefined;
    if ((options.only ?? GROUPS).includes('builds')) {
      log('-- building the sample from its raw sources (no process under test running)');
      builds = [];
      for (const scale of BUILD_SCALES) builds.push(await measureBuilds(scale, STATE_DIR, log));
    }
    let soak: SoakReport | undefined;
    if (options.only?.includes('soak')) soak = await soakAt(options.scales[0] ?? 1, options.soakS ?? 600, cleanups);
    const scaleRows: ScaleRows[] = scales.map((s) => ({ scale: s.scale, rows: s.rows }));
    const across = scales.some((s) => s.groups.includes('lookup') || s.groups.includes('latency')) ? [checkScaleLookups(scaleRows), checkGatewayRss(scaleRows)] : [];
    const seconds = (performance.now() - t0) / 1000;
    const report = {
      format: 'meshgate-bench/2',
      timestamp: new Date().toISOString(),
      machine: {
        cpus: os.cpus().length,
        cpuModel: os.cpus()[0]?.model ?? 'unknown',
        memoryGiB: +(os.totalmem() / 2 ** 30).toFixed(1),
        node: process.version,
        platform: `${process.platform}-${process.arch}`,
        loadavgAtStart,
        loadavgAtEnd: os.loadavg(),
        duckdbThreads: readConfig(benchEnv(process.env, STATE_DIR, 'on')).MESHGATE_DUCKDB_THREADS,
      },
      options: { ...options, freshTokens: FRESH_TOKENS, timedTokens: TIMED_TOKENS },
      seconds,
      scales,
      acrossScales: across,
      tokenCost: shared.tokenCost,
      fsyncCost: shared.fsync,
      builds,
      soak,
    };
    const json = `${JSON.stringify(report, null, 2)}\n`;
    await mkdir(RESULTS_DIR, { recursive: true });
    await writeFile(RESULTS_FILE, json);
    const written = [RESULTS_FILE];
    if (options.save) {
      const file = path.join(RESULTS_DIR, `${options.save}.json`);
      await writeFile(file, json);
      written.push(file);
    }
    const text = options.json ? json.trimEnd() : formatReport(scales, across, shared, builds, loadavgAtStart, seconds, written) + (soak ? `\n\n${formatSoak(soak)}` : '');
    process.stdout.write(`${text}\n`);
    return 0;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await cleanUp();
    await removeBenchLogDirs(STATE_DIR);
    await rm(SCRATCH_DIR, { recursive: true, force: true });
  }
}

/** What is measured once for every scale. */
interface Shared {
  tokenCost?: TokenCost;
  tokens?: string[];
  fsync?: FsyncCost;
}

/** One scale: its data, floors, statement counts, processes and groups. */
async function runScale(
  scale: number,
  groups: readonly GroupId[],
  options: BenchOptions,
  shared: Shared,
  cleanups: (() => Promise<unknown>)[],
  baseline: readonly ReportRow[] | undefined,
): Promise<ScaleReport> {
  const t0 = performance.now();
  log(`== scale ${scale}: ${groups.join(', ')}`);
  const dataRoot = path.join(REPO_ROOT, 'bench', 'data', `scale-${scale}`);
  await seedSample({ scale, seed: 42, dataRoot, ifMissing: true, log });
  const configOf = (access: 'on' | 'off', env: NodeJS.ProcessEnv = {}): Config =>
    readConfig({ ...benchEnv(process.env, STATE_DIR, access), MESHGATE_HOST: '127.0.0.1', MESHGATE_DATA_DIR: dataRoot, ...env });
  await buildIfMissing(configOf('on'));
  const config = configOf('on');
  const mesh = await loadServedMesh(config, () => undefined);
  const shapes = meshShapes(mesh);
  const floor = await openFloor(config, () => undefined);
  cleanups.push(async () => floor.close());
  const floorOne = config.MESHGATE_DUCKDB_THREADS === 1 ? floor : await openFloor(configOf('on', { MESHGATE_DUCKDB_THREADS: '1' }), () => undefined);
  if (floorOne !== floor) cleanups.push(async () => floorOne.close());
  const access = await openBenchAccess(
    STATE_DIR,
    mesh.domains.flatMap((d) => d.products),
    config.MESHGATE_POLICY_FILE,
  );
  if (groups.includes('fresh-token') && !shared.tokenCost) {
    log(`signing ${TIMED_TOKENS.toLocaleString('en-US')} distinct tokens and timing their verification (in-process)...`);
    const { tokens, cost } = await mintAndTimeTokens(access.devKeyDir, TIMED_TOKENS, OWNER_ROLES);
    log(`  ES256 sign ${cost.signCpuUs.toFixed(0)} µs CPU, verification ${cost.verifyCpuUs.toFixed(0)} µs CPU (${cost.verifyWallUs.toFixed(0)} µs wall)`);
    shared.tokenCost = cost;
    shared.tokens = tokens.slice(0, FRESH_TOKENS);
  }
  log('counting SQL statements per request (in-process meshes, result cache off; access control on, then off)...');
  const counting = { MESHGATE_RESULT_CACHE: 'off' };
  const tallies = [
    ...(await countStatements(configOf('on', counting), enforcedProbes(floor, access))),
    ...(await countStatements(configOf('off', counting), openProbes(floor, access))),
  ];
  await checkFloorIsRuntime(floor, tallies);
  if (groups.includes('access-log') && !shared.fsync) {
    log("timing a durable append (1 KB written and fdatasynced) on the access log's disk (in-process)...");
    shared.fsync = await measureFsync(STATE_DIR);
    log(`  ${(shared.fsync.p50WallUs / 1000).toFixed(2)} ms p50, ${shared.fsync.cpuUsPerAppend.toFixed(0)} µs of CPU per append`);
  }
  // The closures below run once the targets have started.
  const live: { started?: Started } = {};
  const publishSetup = () => ({
    dataRoot,
    stateDir: STATE_DIR,
    mesh: {
      get graphqlUrl(): string {
        return live.started!.targets.get('full')!.url(SCENARIOS[0]!);
      },
      logTail: () => customersLog(live.started!),
    },
    headers: access.owner,
  });
  const sets: MeasureSet[] = [];
  for (const g of groups) {
    sets.push(
      ...(await setsOf(g, {
        scale,
        access,
        inputs: floor.inputs,
        freshTokens: shared.tokens ?? [],
        catalogUrl: () => live.started!.targets.get('full')!.url(CATALOG_PRODUCT),
        publishing: () => publishingDuring(publishSetup()),
      })),
    );
  }
  const ctx = { dataRoot, stateDir: STATE_DIR, domains: mesh.domains.map((d) => d.name), sdlOf: (d: string) => buildSubgraphSdl(d, shapes), log };
  const startedAt = performance.now();
  const started = await startTargets(targetsOfSets(sets), { ctx, access, floors: { configured: floor, one: floorOne }, scratchDir: SCRATCH_DIR });
  live.started = started;
  cleanups.unshift(() => started.stop());
  log(
    `  ${started.procs.length} processes started in ${((performance.now() - startedAt) / 1000).toFixed(0)} s (${((performance.now() - t0) / 1000).toFixed(0)} s into this scale)`,
  );
  log('checking that every target answers the same data (one request each, before any load)...');
  const dataChecks: DataCheck[] = [];
  for (const set of sets) dataChecks.push(await checkSameData(set, started.targets, floor.inputs));
  log(
    `  the same data everywhere: ${dataChecks.reduce((s, c) => s + c.compared, 0)} answers compared, ${dataChecks.filter((c) => c.floorCompared).length} floors against their subgraph`,
  );
  const timing = { warmupS: options.warmupS, durationS: options.durationS, rounds: options.rounds, log };
  const measured: RowResult[] = [];
  for (const set of sets) measured.push(...(await measureSet(set, { targets: started.targets, inputs: floor.inputs, access, timing })));
  let swap: ScaleReport['swap'];
  if (groups.includes('publishing')) {
    log('-- publishing: the manifest swap, and a publish until it is served');
    swap = await measureSwap(publishSetup(), log);
  }
  const processes = await Promise.all(started.procs.map(async (p) => ({ label: p.child.label, hwmMiB: (await processMemory(p.child.pid))?.hwmMiB ?? null })));
  const rows = compareRows(measured);
  const join = tallies.find((t) => t.scenario === SCENARIOS[3]!.id && t.target === 'gateway');
  const checks: TargetCheck[] = [
    ...checkVsHive(rows),
    ...checkDashboards(rows),
    ...checkSubgraphVsFloor(rows),
    ...checkLatency(rows),
    ...(scale === 1 ? checkEmbeddedBaseline(rows, baseline, options.baseline) : []),
    ...(join ? [checkJoin(join)] : []),
    ...checkEnforcement(rows),
    ...checkAccessLog(rows, shared.fsync),
    ...(groups.includes('fresh-token') && shared.tokenCost ? [checkVerification(shared.tokenCost)] : []),
    ...[MASKED_PII.id, FRESH_TOKEN_ID, PUBLISHING_ID, CATALOG_LOAD_ID].flatMap((id) => compareWithBase(rows, id)),
    ...compareLevers(rows),
  ];
  await started.stop();
  return { scale, groups, rows, checks, dataChecks, statements: tallies, processes, ...(swap && { swap }), seconds: (performance.now() - t0) / 1000 };
}

/** The output of the process serving customer-profiles behind meshgate full (where a new version's "serving version" line appears). */
function customersLog(started: Started): string {
  const proc = started.procs.find((p) => p.role === 'subgraph' && p.name === 'customers' && p.child.label.includes('(default)'));
  return proc?.child.logTail() ?? '';
}

/** The text report. */
function formatReport(
  scales: readonly ScaleReport[],
  across: readonly TargetCheck[],
  shared: Shared,
  builds: readonly BuildTiming[] | undefined,
  loadavgAtStart: readonly number[],
  seconds: number,
  written: readonly string[],
): string {
  const parts: string[] = [];
  for (const s of scales) {
    parts.push(`## scale ${s.scale} (${(s.seconds / 60).toFixed(1)} min)`, '', formatTable(s.rows), '', formatChecks(s.checks));
    if (s.swap) parts.push('', formatSwap(s.swap));
    parts.push('');
  }
  if (across.length) parts.push('## across scales', '', formatChecks(across), '');
  if (builds) parts.push(formatBuilds(builds), '');
  if (shared.fsync) parts.push(`one durable append (1 KB, fdatasync) on the access log's disk: ${(shared.fsync.p50WallUs / 1000).toFixed(2)} ms p50`);
  const load = os.loadavg();
  parts.push(
    `${os.cpus().length} CPUs, load average ${loadavgAtStart[0]!.toFixed(1)} at start, ${load[0]!.toFixed(1)} at end (anything above the bench's own load is other work sharing the machine); ${(seconds / 60).toFixed(1)} min in all`,
    `wrote ${written.map((f) => path.relative(process.cwd(), f)).join(', ')}`,
  );
  return parts.join('\n');
}

const formatSwap = (swap: NonNullable<ScaleReport['swap']>): string =>
  `publishing: the manifest swap ${swap.swapP50Ms.toFixed(2)} ms p50 (50 swaps); a publish of customer-profiles, gate included, ${swap.publishP50Ms.toFixed(0)} ms p50; published to served ${swap.servedP50Ms.toFixed(0)} ms p50 (a product table looks at its manifest every 2 s)`;

/** The build figures as lines. */
function formatBuilds(builds: readonly BuildTiming[]): string {
  return builds
    .map((b) => {
      const per = (r: BuildTiming['first']) => r.products.map((p) => `${p.product} ${p.seconds.toFixed(1)} s (${p.rows.toLocaleString('en-US')} rows)`).join(', ');
      return `building the sample at scale ${b.scale}: seed ${b.seedSeconds.toFixed(1)} s (raw sources, kept when present); first build ${b.first.seconds.toFixed(1)} s: ${per(b.first)}; again with no new changes ${b.again.seconds.toFixed(1)} s`;
    })
    .join('\n');
}

/** A saved run's scale-1 rows, by name (bench/results/NAME.json) or path. */
async function readBaseline(nameOrPath: string): Promise<readonly ReportRow[]> {
  const file = SAVE_NAME.test(nameOrPath) && !nameOrPath.endsWith('.json') ? path.join(RESULTS_DIR, `${nameOrPath}.json`) : path.resolve(nameOrPath);
  const report = JSON.parse(await readFile(file, 'utf8')) as { format?: string; scales?: { scale: number; rows: ReportRow[] }[] };
  if (report.format !== 'meshgate-bench/2') throw new Error(`bench: ${file} is not a saved run of this bench (format ${report.format ?? 'unknown'})`);
  return report.scales?.find((s) => s.scale === 1)?.rows ?? [];
}

/** The soak at `scale` (bench/soak.ts): the sample, the callers and the rotating inputs, then the load. */
async function soakAt(scale: number, durationS: number, cleanups: (() => Promise<unknown>)[]): Promise<SoakReport> {
  log(`== soak at scale ${scale}`);
  const dataRoot = path.join(REPO_ROOT, 'bench', 'data', `scale-${scale}`);
  await seedSample({ scale, seed: 42, dataRoot, ifMissing: true, log });
  const config = readConfig({ ...benchEnv(process.env, STATE_DIR, 'on'), MESHGATE_HOST: '127.0.0.1', MESHGATE_DATA_DIR: dataRoot });
  await buildIfMissing(config);
  const mesh = await loadServedMesh(config, () => undefined);
  const floor = await openFloor(config, () => undefined);
  cleanups.push(async () => floor.close());
  const access = await openBenchAccess(
    STATE_DIR,
    mesh.domains.flatMap((d) => d.products),
    config.MESHGATE_POLICY_FILE,
  );
  const shapes = meshShapes(mesh);
  const ctx = { dataRoot, stateDir: STATE_DIR, domains: mesh.domains.map((d) => d.name), sdlOf: (d: string) => buildSubgraphSdl(d, shapes), log };
  return runSoak({ scale, durationS, ctx, access, floor, scratchDir: SCRATCH_DIR });
}

/** Builds the sample's products where no version of one is published yet (a fresh bench data root). */
async function buildIfMissing(config: Config): Promise<void> {
  const stores = ['customers/customer-profiles', 'commerce/orders-enriched', 'payments/payments'].map((d) => path.join(config.MESHGATE_DATA_DIR, d));
  const missing = (await Promise.all(stores.map(readManifest))).some((m) => m.kind !== 'ok');
  if (!missing) return;
  log('building the sample products from their raw sources...');
  const run = await runBuilds(config, [], log);
  if ('cycle' in run || run.outcomes.some((o) => o.status === 'failed')) throw new Error('bench: the sample does not build (see above)');
}

/** Each shape through the enforced gateway as the owner and straight to its subgraph, and the masked-PII page and the catalog's queries as their callers. */
function enforcedProbes(floor: Floor, access: BenchAccess): StatementProbe[] {
  const headers = (h: Readonly<Record<string, string>>) => async (): Promise<Readonly<Record<string, string>>> => h;
  return [
    ...SCENARIOS.flatMap((s): StatementProbe[] => [
      { scenario: s.id, target: 'gateway', endpoint: 'gateway', body: requestBody(s, 'gateway', 0, floor.inputs), headers: headers(access.owner) },
      { scenario: s.id, target: 'subgraph', endpoint: s.direct.domain, body: requestBody(s, 'subgraph', 0, floor.inputs), headers: () => access.contextHeaders() },
    ]),
    { scenario: MASKED_PII.id, target: 'owner', endpoint: 'gateway', body: requestBody(MASKED_PII, 'gateway', 0, floor.inputs), headers: headers(access.owner) },
    { scenario: MASKED_PII.id, target: 'analyst', endpoint: 'gateway', body: requestBody(MASKED_PII, 'gateway', 0, floor.inputs), headers: headers(access.analyst) },
    ...[CATALOG_LIST, CATALOG_PRODUCT].map((s): StatementProbe => ({
      scenario: s.id,
      target: 'analyst',
      endpoint: 'gateway',
      body: requestBody(s, 'gateway', 0, floor.inputs),
      headers: headers(access.analyst),
    })),
  ];
}

/** Each shape through the open gateway, with the owner's token as under load (the open gateway ignores it). */
function openProbes(floor: Floor, access: BenchAccess): StatementProbe[] {
  return SCENARIOS.map((s) => ({ scenario: s.id, target: 'open', endpoint: 'gateway', body: requestBody(s, 'gateway', 0, floor.inputs), headers: async () => access.owner }));
}

const normalise = (q: SqlQuery): string => JSON.stringify([q.text.replace(/__v\d+"/g, '__v*"'), q.values], (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v));

/**
 * Checks that the floor runs exactly the statements (text and bound values) the runtime ran for
 * each shape's first request through the enforced and the open gateway, so every ratio to the
 * floor compares the same SQL. The statements are compared as a set: a join's subgraph calls run
 * in parallel, in no fixed order.
 */
async function checkFloorIsRuntime(floor: Floor, tallies: readonly StatementTally[]): Promise<void> {
  for (const s of SCENARIOS) {
    const ours = (await floor.statements(s, 0)).map(normalise).sort().join('\n  ');
    for (const target of ['gateway', 'open']) {
      const theirs = tallies
        .find((t) => t.scenario === s.id && t.target === target)!
        .sql.map(normalise)
        .sort()
        .join('\n  ');
      if (ours !== theirs)
        throw new Error(
          `the floor of "${s.title}" is not what the runtime runs through the ${target} gateway, so it would measure something else.\nruntime:\n  ${theirs}\nfloor:\n  ${ours}`,
        );
    }
  }
}
