/**
 * What a row of the bench measures: a target (where the requests go) and the processes it starts.
 * Production shape: one process per subgraph (`meshgate subgraph`), one per gateway (`meshgate
 * gateway`, or Hive Gateway); embedded shape: the one-process mesh (`meshgate up`); and the floor,
 * in this process. A lever-off variant is one more entry in {@link TARGETS} (and its id in the
 * groups' row lists): e.g. `full-cache-off` is meshgate full over subgraphs started with
 * MESHGATE_RESULT_CACHE=off, `embedded-http` the one-process mesh with MESHGATE_TRANSPORT=http.
 */
import { cp, rm } from 'node:fs/promises';
import path from 'node:path';
import type { BenchAccess, Caller } from './benchAccess.js';
import type { Floor } from './floor.js';
import { startEmbedded, startHive, startMeshgateGateway, startSubgraphSet, type Child, type GatewayProc, type Proc, type StartContext, type SubgraphSet } from './processes.js';
import type { GatewayScenario, Scenario } from './scenarios.js';

/** The subgraph processes a production target runs over: defaults, the result cache off, or access control off. */
export const SUBGRAPH_SETS = Object.freeze({
  default: { access: 'on', env: {} },
  'cache-off': { access: 'on', env: { MESHGATE_RESULT_CACHE: 'off' } },
  open: { access: 'off', env: {} },
} as const satisfies Record<string, { access: 'on' | 'off'; env: NodeJS.ProcessEnv }>);
export type SubgraphSetId = keyof typeof SUBGRAPH_SETS;

/** A target's definition. */
export type TargetDef =
  | { readonly kind: 'floor'; readonly label: string; readonly threads: 'one' | 'configured' }
  | { readonly kind: 'subgraph'; readonly label: string; readonly subgraphs: SubgraphSetId }
  | {
      readonly kind: 'gateway';
      readonly label: string;
      /** meshgate's gateway alone, Hive Gateway, or the one-process mesh. */
      readonly server: 'meshgate' | 'hive' | 'embedded';
      readonly access: 'on' | 'off';
      readonly accessLog: 'on' | 'off';
      /** The subgraph processes it calls (production shape). */
      readonly subgraphs?: SubgraphSetId;
      /** Settings of its own process over the bench's (a lever turned off). */
      readonly env?: NodeJS.ProcessEnv;
      /** The target this one is a lever-off variant of. */
      readonly variantOf?: string;
    };

/** Every target the groups may ask for, in the order their rows are listed. */
export const TARGETS = Object.freeze({
  'floor-1': { kind: 'floor', label: 'DuckDB floor, 1 thread', threads: 'one' },
  floor: { kind: 'floor', label: 'DuckDB floor, configured threads', threads: 'configured' },
  'subgraph-cache-off': { kind: 'subgraph', label: 'subgraph direct, result cache off', subgraphs: 'cache-off' },
  subgraph: { kind: 'subgraph', label: 'subgraph direct', subgraphs: 'default' },
  hive: { kind: 'gateway', label: 'Hive Gateway (subgraph cache off)', server: 'hive', access: 'on', accessLog: 'off', subgraphs: 'cache-off' },
  'hive-cached': { kind: 'gateway', label: 'Hive Gateway, cached subgraphs (reference)', server: 'hive', access: 'on', accessLog: 'off', subgraphs: 'default' },
  open: { kind: 'gateway', label: 'meshgate open', server: 'meshgate', access: 'off', accessLog: 'off', subgraphs: 'open' },
  'full-no-log': { kind: 'gateway', label: 'meshgate full, access log off', server: 'meshgate', access: 'on', accessLog: 'off', subgraphs: 'default', variantOf: 'full' },
  full: { kind: 'gateway', label: 'meshgate full', server: 'meshgate', access: 'on', accessLog: 'on', subgraphs: 'default' },
  'full-cache-off': {
    kind: 'gateway',
    label: 'meshgate full, subgraph cache off',
    server: 'meshgate',
    access: 'on',
    accessLog: 'on',
    subgraphs: 'cache-off',
    variantOf: 'full',
  },
  'embedded-open': { kind: 'gateway', label: 'embedded open', server: 'embedded', access: 'off', accessLog: 'off' },
  'embedded-full': { kind: 'gateway', label: 'embedded full', server: 'embedded', access: 'on', accessLog: 'on' },
  'embedded-http': {
    kind: 'gateway',
    label: 'embedded full, HTTP transport',
    server: 'embedded',
    access: 'on',
    accessLog: 'on',
    env: { MESHGATE_TRANSPORT: 'http' },
    variantOf: 'embedded-full',
  },
} as const satisfies Record<string, TargetDef>);
export type TargetId = keyof typeof TARGETS;

export const targetDef = (id: TargetId): TargetDef => TARGETS[id];

/** A target ready to be loaded. */
export interface LiveTarget {
  readonly id: TargetId;
  readonly def: TargetDef;
  readonly label: string;
  /** Where a scenario's requests go (a subgraph target: its direct domain's subgraph). */
  url(scenario: GatewayScenario | Scenario): string;
  /** Whether it is sent the gateway's operation or the subgraph's direct one. */
  readonly body: 'gateway' | 'subgraph';
  /** The processes a scenario's requests go through (CPU, memory and DuckDB time are read from each). */
  procs(scenario: GatewayScenario | Scenario): readonly Proc[];
  /** The headers of one run as `caller`: a bearer token for meshgate's gateways, a freshly signed access context for Hive and the subgraphs. */
  headers(caller: Caller): Promise<Readonly<Record<string, string>>>;
  /** The floor, for a floor target. */
  readonly floor?: Floor;
}

/** Everything a set of targets started, to be stopped together. */
export interface Started {
  readonly targets: ReadonlyMap<TargetId, LiveTarget>;
  /** Every process started, for memory readings and stopping. */
  readonly procs: readonly Proc[];
  stop(): Promise<void>;
}

/** What {@link startTargets} needs besides the start context. */
export interface TargetSetup {
  readonly ctx: StartContext;
  readonly access: BenchAccess;
  /** The floors: with the configured DuckDB threads, and with one. */
  readonly floors: { readonly configured: Floor; readonly one?: Floor };
  /** Scratch files (Hive's supergraphs, the one-process meshes' data copies) go here. */
  readonly scratchDir: string;
}

/** Starts what `ids` need (each subgraph set and gateway once), in dependency order; on a failure, stops what started and throws. */
export async function startTargets(ids: readonly TargetId[], setup: TargetSetup): Promise<Started> {
  const { ctx, access } = setup;
  const children: Child[] = [];
  const procs: Proc[] = [];
  const copies: string[] = [];
  const track = (c: Child): void => void children.push(c);
  const stop = async (): Promise<void> => {
    await Promise.all(children.splice(0).map((c) => c.stop()));
    await Promise.all(copies.splice(0).map((d) => rm(d, { recursive: true, force: true })));
  };
  try {
    const defs = ids.map((id) => [id, targetDef(id)] as const);
    const setIds = [...new Set<SubgraphSetId>(defs.flatMap(([, d]) => (d.kind === 'subgraph' ? [d.subgraphs] : d.kind === 'gateway' && d.subgraphs ? [d.subgraphs] : [])))];
    // Everything starts at once (the subgraph sets, then every gateway): on a shared machine, waits for readiness overlap.
    ctx.log(`starting the subgraph processes (${setIds.join(', ')})...`);
    const sets = new Map<SubgraphSetId, SubgraphSet>();
    await allStarted(
      setIds.map(async (id) => {
        const spec = SUBGRAPH_SETS[id];
        const set = await startSubgraphSet(ctx, id, spec.access, spec.env, track);
        sets.set(id, set);
        procs.push(...set.procs.values());
      }),
    );
    const live = new Map<TargetId, LiveTarget>();
    const gateways = defs.filter(([, d]) => d.kind === 'gateway');
    if (gateways.length) ctx.log(`starting ${gateways.map(([, d]) => d.label).join(', ')}...`);
    await allStarted(
      defs.map(async ([id, def]) => {
        if (def.kind === 'floor') {
          const floor = def.threads === 'one' ? setup.floors.one : setup.floors.configured;
          if (!floor) throw new Error(`bench: the one-thread floor was not opened but ${id} needs it`);
          const label = def.threads === 'one' ? def.label : `DuckDB floor, ${floor.threads} thread${floor.threads === 1 ? '' : 's'} (configured)`;
          live.set(id, { id, def, label, url: () => '', body: 'subgraph', procs: () => [], headers: async () => ({}), floor });
          return;
        }
        if (def.kind === 'subgraph') {
          const set = sets.get(def.subgraphs)!;
          const domainOf = (s: GatewayScenario | Scenario): string => {
            if (!('direct' in s)) throw new Error(`bench: "${s.title}" has no direct variant for ${id}`);
            return s.direct.domain;
          };
          live.set(id, {
            id,
            def,
            label: def.label,
            url: (s) => set.urls.get(domainOf(s))!,
            body: 'subgraph',
            procs: (s) => [set.procs.get(domainOf(s))!],
            headers: (caller) => access.contextHeaders(caller),
          });
          return;
        }
        let started: GatewayProc;
        let behind: readonly Proc[] = [];
        if (def.server === 'embedded') {
          let dataRoot = ctx.dataRoot;
          if (def.accessLog === 'on') {
            dataRoot = path.join(setup.scratchDir, `${path.basename(ctx.dataRoot)}-${id}-${process.pid}`);
            copies.push(dataRoot);
            await copyServedData(ctx.dataRoot, dataRoot);
          }
          started = await startEmbedded(ctx, { label: id, dataRoot, access: def.access, accessLog: def.accessLog, ...('env' in def && { env: def.env }) });
        } else {
          const set = sets.get(def.subgraphs!)!;
          behind = [...set.procs.values()];
          started =
            def.server === 'hive'
              ? await startHive(ctx, id, set, setup.scratchDir)
              : await startMeshgateGateway(ctx, { label: id, subgraphs: set, access: def.access, accessLog: def.accessLog, ...('env' in def && { env: def.env }) });
        }
        track(started.proc.child);
        procs.push(started.proc);
        const involved = [started.proc, ...behind];
        const bearerOf = (caller: Caller): Readonly<Record<string, string>> => (caller === 'owner' ? access.owner : access.analyst);
        live.set(id, {
          id,
          def,
          label: def.label,
          url: () => started.url,
          body: 'gateway',
          procs: () => involved,
          headers: async (caller) => (def.server === 'hive' ? access.contextHeaders(caller) : bearerOf(caller)),
        });
      }),
    );
    return { targets: live, procs, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Waits for every start to end, then throws the first failure: every child that started is tracked before anything is stopped. */
async function allStarted(starts: readonly Promise<void>[]): Promise<void> {
  const failed = (await Promise.allSettled(starts)).find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
}

/**
 * A copy of the served products (not the raw sources, not the governance output) for a one-process
 * mesh that writes an access log: its governance job compacts the log into its data root.
 */
async function copyServedData(dataRoot: string, copy: string): Promise<void> {
  await rm(copy, { recursive: true, force: true });
  const skip = [`${path.sep}governance`, `${path.sep}landing`].map((d) => path.join(dataRoot, d.slice(1)));
  await cp(dataRoot, copy, { recursive: true, filter: (src) => !skip.some((s) => src === s || src.startsWith(`${s}${path.sep}`)) });
}
