/**
 * The groups of rows the benchmark reports: each shape four ways (floor, subgraph, open and enforced
 * gateway), the masked-PII read as two callers, the look-up with a fresh token per request, and the
 * look-up at one connection (the latency pass).
 */
import { bearer, type BenchAccess } from './benchAccess.js';
import type { ChildMesh } from './childMesh.js';
import { CONCURRENCY, type Floor } from './floor.js';
import { measureHttp, measurePair, measureSet, summary, type Load, type Measured, type Timing } from './measure.js';
import { TARGET, type RawRow, type Target } from './report.js';
import { CATALOG_LIST, CATALOG_PRODUCT, MASKED_PII, POINT_LOOKUP, requestBody, type GatewayScenario, type Scenario } from './scenarios.js';

/** The fresh-token group's id. */
export const FRESH_TOKEN_ID = 'fresh-token';
/** The latency pass's id. */
export const LATENCY_ID = 'point-lookup-1-connection';
/** The id of a shape's one-connection pair, with the access log and without. */
export const logLatencyId = (scenarioId: string): string => `${scenarioId}-1-connection-log`;

/** Everything the groups are measured with. */
export interface BenchSetup {
  readonly floor: Floor;
  /** The mesh with access control on. */
  readonly enforced: ChildMesh;
  /** The mesh started with MESHGATE_ACCESS=off. */
  readonly open: ChildMesh;
  /** The mesh with access control and the access log on (over its own copy of the data). */
  readonly logged: ChildMesh;
  readonly access: BenchAccess;
  /** Distinct tokens of the owner's roles, one per request in the fresh-token run. */
  readonly freshTokens: readonly string[];
  /** The statements one request of a scenario costs on a target (the statement-count pass). */
  readonly sqlOf: (scenarioId: string, target: Target) => number;
  readonly timing: Timing;
}

const constant = (headers: Readonly<Record<string, string>>) => async (): Promise<Readonly<Record<string, string>>> => headers;

/** The load of a scenario on a gateway, as the caller `headers` stand for. */
function gatewayLoad(setup: BenchSetup, mesh: ChildMesh, s: GatewayScenario, target: Target, headers: Readonly<Record<string, string>>, connections = CONCURRENCY): Load {
  const { inputs } = setup.floor;
  return {
    label: `${s.title}, ${target}`,
    mesh,
    url: mesh.graphqlUrl,
    body: (i) => requestBody(s, 'gateway', i, inputs),
    rotating: s.variables(0, inputs) !== undefined,
    connections,
    headers: constant(headers),
  };
}

/** The load of a shape sent straight to its subgraph on the enforced mesh, with a freshly signed access context per run. */
function subgraphLoad(setup: BenchSetup, s: Scenario, connections = CONCURRENCY): Load {
  const { inputs } = setup.floor;
  const mesh = setup.enforced;
  return {
    label: `${s.title}, subgraph`,
    mesh,
    url: mesh.subgraphUrls.get(s.direct.domain)!,
    body: (i) => requestBody(s, 'subgraph', i, inputs),
    rotating: s.variables(0, inputs) !== undefined,
    connections,
    headers: () => setup.access.contextHeaders(),
  };
}

/** The floor of a shape after a discarded warm-up, with the CPU this process used per statement batch. */
async function measureFloor(setup: BenchSetup, s: Scenario, connections: number, label = `${s.title}, floor`): Promise<Measured> {
  setup.timing.log(`${label}...`);
  await setup.floor.measure(s, setup.timing.warmupS, connections);
  const cpu = process.cpuUsage();
  const measurement = await setup.floor.measure(s, setup.timing.durationS, connections);
  const used = process.cpuUsage(cpu);
  const m: Measured = { measurement, cpuMsPerRequest: measurement.requests ? (used.user + used.system) / 1000 / measurement.requests : null };
  setup.timing.log(`  ${summary(m)}`);
  return m;
}

/** The access log's fsyncs so far on a mesh, from its gateway's /metrics. */
async function fsyncTotals(mesh: ChildMesh): Promise<{ fsyncs: number; seconds: number }> {
  const text = await (await fetch(new URL('/metrics', mesh.graphqlUrl))).text();
  const value = (name: string): number => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? Number.NaN);
  return { fsyncs: value('meshgate_access_log_fsyncs_total'), seconds: value('meshgate_access_log_fsync_seconds_total') };
}

/** Runs `measure` and the mean time of the logged mesh's fsyncs meanwhile (ms; undefined if it ran none). */
async function withFsyncMean<T>(mesh: ChildMesh, measure: () => Promise<T>): Promise<[T, number | undefined]> {
  const before = await fsyncTotals(mesh);
  const result = await measure();
  const after = await fsyncTotals(mesh);
  const n = after.fsyncs - before.fsyncs;
  return [result, n > 0 ? ((after.seconds - before.seconds) / n) * 1000 : undefined];
}

/** A row of a group. */
function rowOf(
  scenarioId: string,
  scenario: string,
  target: Target,
  m: Measured,
  sqlPerRequest: number,
  extra: Pick<RawRow, 'baseline' | 'footnote' | 'fsyncMeanMs'> = {},
): RawRow {
  return { scenarioId, scenario, target, measurement: m.measurement, cpuMsPerRequest: m.cpuMsPerRequest, sqlPerRequest, ...extra };
}

/** One shape on the floor, its subgraph, then the open, the enforced and the logged gateway side by side. */
export async function measureShape(setup: BenchSetup, s: Scenario): Promise<RawRow[]> {
  const row = (target: Target, m: Measured, extra: Pick<RawRow, 'baseline' | 'footnote' | 'fsyncMeanMs'> = {}): RawRow =>
    rowOf(s.id, s.title, target, m, setup.sqlOf(s.id, target), extra);
  const floor = await measureFloor(setup, s, CONCURRENCY);
  const subgraph = await measureHttp(subgraphLoad(setup, s), setup.timing);
  const owner = setup.access.owner;
  const [[open, enforced, logged], fsyncMeanMs] = await withFsyncMean(setup.logged, () =>
    measureSet(
      [
        gatewayLoad(setup, setup.open, s, TARGET.open, owner),
        gatewayLoad(setup, setup.enforced, s, TARGET.gateway, owner),
        gatewayLoad(setup, setup.logged, s, TARGET.logged, owner),
      ],
      setup.timing,
    ),
  );
  return [
    row(TARGET.floor, floor),
    row(TARGET.subgraph, subgraph, s.direct.footnote !== undefined ? { footnote: s.direct.footnote } : {}),
    row(TARGET.open, open!),
    row(TARGET.gateway, enforced!, { baseline: TARGET.open }),
    row(TARGET.logged, logged!, { baseline: TARGET.gateway, ...(fsyncMeanMs !== undefined && { fsyncMeanMs }) }),
  ];
}

/** The masked-PII page on the enforced gateway, as the customers' owner (unmasked) and as an analyst (masked in SQL). */
export async function measureMaskedPii(setup: BenchSetup): Promise<RawRow[]> {
  const s = MASKED_PII;
  const [owner, analyst] = await measurePair(
    gatewayLoad(setup, setup.enforced, s, TARGET.owner, setup.access.owner),
    gatewayLoad(setup, setup.enforced, s, TARGET.analyst, setup.access.analyst),
    setup.timing,
  );
  return [
    rowOf(s.id, s.title, TARGET.owner, owner, setup.sqlOf(s.id, TARGET.owner)),
    rowOf(s.id, s.title, TARGET.analyst, analyst, setup.sqlOf(s.id, TARGET.analyst), { baseline: TARGET.owner }),
  ];
}

/** The point look-up on the enforced gateway with one token, then with a different token on every request. */
export async function measureFreshTokens(setup: BenchSetup): Promise<RawRow[]> {
  const s = POINT_LOOKUP;
  const tokens = setup.freshTokens;
  const one = gatewayLoad(setup, setup.enforced, s, TARGET.oneToken, setup.access.owner);
  // One counter across warm-up and measured runs, so no token is sent twice until all have been.
  let next = 0;
  const fresh: Load = { ...gatewayLoad(setup, setup.enforced, s, TARGET.freshToken, {}), headersOf: () => bearer(tokens[next++ % tokens.length]!) };
  const [oneM, freshM] = await measurePair(one, fresh, setup.timing);
  const title = `point look-up, ${tokens.length.toLocaleString('en-US')} distinct tokens`;
  const sql = setup.sqlOf(s.id, TARGET.gateway);
  return [rowOf(FRESH_TOKEN_ID, title, TARGET.oneToken, oneM, sql), rowOf(FRESH_TOKEN_ID, title, TARGET.freshToken, freshM, sql, { baseline: TARGET.oneToken })];
}

/**
 * Each shape at one connection through the enforced gateway, without the access log and with it,
 * side by side: with no queue, the p50 difference is what the log adds to a reply (at 10
 * connections p50 is mostly queueing, about connections ÷ req/s, so there it restates throughput).
 */
export async function measureLogLatency(setup: BenchSetup, shapes: readonly Scenario[]): Promise<RawRow[]> {
  const owner = setup.access.owner;
  const rows: RawRow[] = [];
  for (const s of shapes) {
    const id = logLatencyId(s.id);
    const title = `${s.title}, 1 connection`;
    const label = (target: Target): Partial<Load> => ({ label: `${title}, ${target}` });
    const [[enforced, logged], fsyncMeanMs] = await withFsyncMean(setup.logged, () =>
      measurePair(
        { ...gatewayLoad(setup, setup.enforced, s, TARGET.gateway, owner, 1), ...label(TARGET.gateway) },
        { ...gatewayLoad(setup, setup.logged, s, TARGET.logged, owner, 1), ...label(TARGET.logged) },
        setup.timing,
      ),
    );
    rows.push(
      rowOf(id, title, TARGET.gateway, enforced, setup.sqlOf(s.id, TARGET.gateway)),
      rowOf(id, title, TARGET.logged, logged, setup.sqlOf(s.id, TARGET.logged), { baseline: TARGET.gateway, ...(fsyncMeanMs !== undefined && { fsyncMeanMs }) }),
    );
  }
  return rows;
}

/** The point look-up at one connection (no queueing, so p50 is latency, not a queue): floor, subgraph, open and enforced gateway. */
export async function measureLatency(setup: BenchSetup): Promise<RawRow[]> {
  const s = POINT_LOOKUP;
  const title = 'point look-up, 1 connection';
  const row = (target: Target, m: Measured, baseline?: Target): RawRow => rowOf(LATENCY_ID, title, target, m, setup.sqlOf(s.id, target), baseline ? { baseline } : {});
  const floor = await measureFloor(setup, s, 1, `${title}, floor`);
  const subgraph = await measureHttp({ ...subgraphLoad(setup, s, 1), label: `${title}, subgraph` }, setup.timing);
  const owner = setup.access.owner;
  const label = (target: Target): Partial<Load> => ({ label: `${title}, ${target}` });
  const [open, enforced] = await measurePair(
    { ...gatewayLoad(setup, setup.open, s, TARGET.open, owner, 1), ...label(TARGET.open) },
    { ...gatewayLoad(setup, setup.enforced, s, TARGET.gateway, owner, 1), ...label(TARGET.gateway) },
    setup.timing,
  );
  return [row(TARGET.floor, floor), row(TARGET.subgraph, subgraph), row(TARGET.open, open), row(TARGET.gateway, enforced, TARGET.open)];
}

/** The publishing group's id. */
export const PUBLISHING_ID = 'point-lookup-publishing';

/** The point look-up on the enforced gateway, idle and while new versions of customer-profiles are published (`loads` makes the pair), side by side. */
export async function measurePublishing(setup: BenchSetup, loads: (base: Load) => Promise<[Load, Load]>): Promise<RawRow[]> {
  const s = POINT_LOOKUP;
  const title = 'point look-up while publishing';
  const [idle, publishing] = await loads({ ...gatewayLoad(setup, setup.enforced, s, TARGET.gateway, setup.access.owner), label: `${title}, ${TARGET.gateway}` });
  const [a, b] = await measurePair(idle, { ...publishing, label: `${title}, ${TARGET.publishing}` }, setup.timing);
  return [
    rowOf(PUBLISHING_ID, title, TARGET.gateway, a, setup.sqlOf(s.id, TARGET.gateway)),
    rowOf(PUBLISHING_ID, title, TARGET.publishing, b, setup.sqlOf(s.id, TARGET.gateway), { baseline: TARGET.gateway }),
  ];
}

/** The id of the point look-up idle and under catalog load. */
export const CATALOG_LOAD_ID = 'point-lookup-catalog-load';

/**
 * The catalog's two queries as the /catalog page sends them, as an analyst at one connection, side
 * by side; then the point look-up on the enforced gateway idle and while a client loads product
 * pages one after another (the catalog must not slow data queries).
 */
export async function measureCatalog(setup: BenchSetup): Promise<RawRow[]> {
  const analyst = setup.access.analyst;
  const [list, page] = await measurePair(
    { ...gatewayLoad(setup, setup.enforced, CATALOG_LIST, TARGET.analyst, analyst, 1), label: CATALOG_LIST.title },
    { ...gatewayLoad(setup, setup.enforced, CATALOG_PRODUCT, TARGET.analyst, analyst, 1), label: CATALOG_PRODUCT.title },
    setup.timing,
  );
  const browsing = (): (() => Promise<void>) => {
    let stopped = false;
    const body = requestBody(CATALOG_PRODUCT, 'gateway', 0, setup.floor.inputs);
    const loop = (async () => {
      while (!stopped) {
        const res = await fetch(setup.enforced.graphqlUrl, { method: 'POST', headers: { 'content-type': 'application/json', ...analyst }, body });
        if (res.status !== 200) throw new Error(`bench: a catalog page answered ${res.status}: ${(await res.text()).slice(0, 300)}`);
        await res.arrayBuffer();
      }
    })();
    return async () => {
      stopped = true;
      await loop;
    };
  };
  const s = POINT_LOOKUP;
  const title = 'point look-up while the catalog is browsed';
  const idle = { ...gatewayLoad(setup, setup.enforced, s, TARGET.gateway, setup.access.owner), label: `${title}, ${TARGET.gateway}` };
  const [a, b] = await measurePair(idle, { ...idle, label: `${title}, ${TARGET.catalogLoad}`, during: browsing }, setup.timing);
  return [
    rowOf(CATALOG_LIST.id, CATALOG_LIST.title, TARGET.analyst, list, setup.sqlOf(CATALOG_LIST.id, TARGET.analyst)),
    rowOf(CATALOG_PRODUCT.id, CATALOG_PRODUCT.title, TARGET.analyst, page, setup.sqlOf(CATALOG_PRODUCT.id, TARGET.analyst), {
      footnote: 'its first request also profiles the version (one pass, then kept until the version changes)',
    }),
    rowOf(CATALOG_LOAD_ID, title, TARGET.gateway, a, setup.sqlOf(s.id, TARGET.gateway)),
    rowOf(CATALOG_LOAD_ID, title, TARGET.catalogLoad, b, setup.sqlOf(s.id, TARGET.gateway), { baseline: TARGET.gateway }),
  ];
}
