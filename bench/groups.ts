/**
 * The bench's groups (what `--only` names) and the sets of rows each measures side by side. A row
 * is a target (targets.ts) as a caller; a lever-off variant is added by listing its target id here.
 */
import { bearer, type BenchAccess } from './benchAccess.js';
import type { MeasureSet, RowSpec } from './measure.js';
import {
  CATALOG_LIST,
  CATALOG_PRODUCT,
  DASHBOARD_AGGREGATE,
  DASHBOARD_PAGE,
  MASKED_PII,
  POINT_LOOKUP,
  requestBody,
  SCENARIOS,
  type BenchInputs,
  type Scenario,
} from './scenarios.js';
import type { TargetId } from './targets.js';

/** Every group, in the order they run. */
export const GROUPS = Object.freeze([
  'lookup',
  'page',
  'aggregate',
  'join',
  'masked',
  'fresh-token',
  'dashboards',
  'latency',
  'access-log',
  'catalog',
  'publishing',
  'builds',
  'soak',
] as const);
export type GroupId = (typeof GROUPS)[number];

/** What each group measures, for `meshgate bench --help` and bench/README.md. */
export const GROUP_HELP: Readonly<Record<GroupId, string>> = Object.freeze({
  lookup: 'point look-up by key, random keys, every target',
  page: 'filtered page of 20, rotating offsets and bounds, every target',
  aggregate: 'grouped aggregate, rotating filter, every target',
  join: '50 orders with customer and payments (three subgraphs), every target',
  masked: 'a page of 50 customers with PII, as its owner and as an analyst (masked)',
  'fresh-token': 'the look-up with a different token on every request, and the cost of one token',
  dashboards: 'the page and the aggregate as one fixed document each, from every client',
  latency: 'the look-up at 1 connection (no queue: p50 is latency)',
  'access-log': 'each shape at 1 connection with the access log and without, and one fsync',
  catalog: "the /catalog page's queries, and look-ups while product pages are opened",
  publishing: 'look-ups while new versions are published, the manifest swap, a publish until served',
  builds: 'the sample built from its raw sources at scale 1 and 10 (once, after the scales)',
  soak: 'opt-in: 10 minutes (--duration S) of mixed load on meshgate full, each process RSS curve against its bound',
});

/** Groups run by default at scale 1 (all) and at other scales (the keyed look-ups, through every target: their throughput run is where gateway RSS is read). */
export const DEFAULT_GROUPS: readonly GroupId[] = Object.freeze(GROUPS.filter((g) => g !== 'soak'));
export const DEFAULT_SCALED_GROUPS: readonly GroupId[] = Object.freeze(['lookup', 'latency'] as const);

/** The groups run at `scale`: those asked for with `--only` (at every scale), else the defaults of that scale; `builds` and `soak` run once, after the scales. */
export function groupsAt(scale: number, only: readonly GroupId[] | undefined): GroupId[] {
  const asked = only ?? (scale === 1 ? DEFAULT_GROUPS : DEFAULT_SCALED_GROUPS);
  return GROUPS.filter((g) => g !== 'builds' && g !== 'soak' && asked.includes(g));
}

/** Connections of the throughput rows. */
export const CONNECTIONS = 16;

/** Every target of a shape, in the order the table lists them: floors, subgraphs, Hive, meshgate, then the one-process mesh. */
export const SHAPE_TARGETS: readonly TargetId[] = Object.freeze([
  'floor-1',
  'floor',
  'subgraph-cache-off',
  'subgraph',
  'hive',
  'hive-cached',
  'open',
  'full-no-log',
  'full',
  'full-cache-off',
  'embedded-open',
  'embedded-full',
  'embedded-http',
] as const);

/** The targets kept at scales other than 1 (the lever-off variants and Hive over cached subgraphs are left out there, to keep the run short). */
export const SCALED_TARGETS: readonly TargetId[] = Object.freeze(['floor-1', 'floor', 'subgraph-cache-off', 'subgraph', 'hive', 'open', 'full', 'embedded-full'] as const);

/** The gateways a dashboard (one fixed document) is sent to. */
const DASHBOARD_TARGETS: readonly TargetId[] = Object.freeze(['hive', 'hive-cached', 'open', 'full', 'full-cache-off', 'embedded-open', 'embedded-full', 'embedded-http'] as const);

/** The targets of the look-up at one connection. */
const LATENCY_TARGETS: readonly TargetId[] = Object.freeze(['floor-1', 'floor', 'subgraph', 'hive', 'open', 'full', 'embedded-full'] as const);

/** A set's id for the one-connection pair of a shape with the access log and without. */
export const logLatencyId = (scenarioId: string): string => `${scenarioId}-1-connection-log`;
export const LATENCY_ID = 'point-lookup-1-connection';
export const FRESH_TOKEN_ID = 'fresh-token';
export const PUBLISHING_ID = 'point-lookup-publishing';
export const CATALOG_ID = 'catalog';
export const CATALOG_LOAD_ID = 'point-lookup-catalog-load';

/** Product pages per second of the catalog load: a busy catalog (ten analysts opening a page a second), not a client hammering it. */
export const CATALOG_PAGES_PER_S = 10;

/** What the sets are built with. */
export interface GroupContext {
  /** The sample's scale: at scales other than 1 only {@link SCALED_TARGETS} run. */
  readonly scale: number;
  readonly access: BenchAccess;
  readonly inputs: BenchInputs;
  /** Distinct tokens of the owner's roles, one per request in the fresh-token row. */
  readonly freshTokens: readonly string[];
  /** The gateway the catalog's load browses (meshgate full). */
  readonly catalogUrl: () => string;
  /** Publishes a new version of customer-profiles every 2 s while it runs. */
  readonly publishing: () => Promise<() => () => Promise<void>>;
}

const rowsOf = (targets: readonly TargetId[], extra: Partial<RowSpec> = {}): RowSpec[] => targets.map((target) => ({ target, caller: 'owner', ...extra }));

const shapeSet = (group: GroupId, s: Scenario): MeasureSet => ({
  id: s.id,
  group,
  title: s.title,
  scenario: s,
  connections: CONNECTIONS,
  rows: SHAPE_TARGETS.map((target) => ({ target, caller: 'owner', ...(target.startsWith('subgraph') && s.direct.footnote !== undefined && { footnote: s.direct.footnote }) })),
});

/** The sets of a group, in the order they run (at scales other than 1, with only {@link SCALED_TARGETS}). */
export async function setsOf(group: GroupId, ctx: GroupContext): Promise<MeasureSet[]> {
  const sets = await allSetsOf(group, ctx);
  if (ctx.scale === 1) return sets;
  return sets.map((s) => ({ ...s, rows: s.rows.filter((r) => SCALED_TARGETS.includes(r.target)) })).filter((s) => s.rows.length > 0);
}

async function allSetsOf(group: GroupId, ctx: GroupContext): Promise<MeasureSet[]> {
  const [lookup, page, aggregate, join] = SCENARIOS as [Scenario, Scenario, Scenario, Scenario];
  switch (group) {
    case 'lookup':
      return [shapeSet(group, lookup)];
    case 'page':
      return [shapeSet(group, page)];
    case 'aggregate':
      return [shapeSet(group, aggregate)];
    case 'join':
      return [shapeSet(group, join)];
    case 'masked':
      return [
        {
          id: MASKED_PII.id,
          group,
          title: MASKED_PII.title,
          scenario: MASKED_PII,
          connections: CONNECTIONS,
          rows: [
            { target: 'full', caller: 'owner', label: 'meshgate full, as the owner (unmasked)', base: true },
            { target: 'full', caller: 'analyst' },
            { target: 'hive', caller: 'analyst' },
            { target: 'open', caller: 'owner' },
          ],
        },
      ];
    case 'fresh-token': {
      const tokens = ctx.freshTokens;
      return [
        {
          id: FRESH_TOKEN_ID,
          group,
          title: `point look-up, ${tokens.length.toLocaleString('en-US')} distinct tokens`,
          scenario: POINT_LOOKUP,
          connections: CONNECTIONS,
          rows: [
            { target: 'full', caller: 'owner', label: 'meshgate full, one token', base: true },
            { target: 'full', caller: 'owner', label: 'meshgate full, a fresh token per request', headersOf: (i) => bearer(tokens[i % tokens.length]!) },
            { target: 'hive', caller: 'owner', label: 'Hive Gateway (subgraph cache off; it reads no token)' },
          ],
        },
      ];
    }
    case 'dashboards':
      return [DASHBOARD_PAGE, DASHBOARD_AGGREGATE].map((s) => ({ id: s.id, group, title: s.title, scenario: s, connections: CONNECTIONS, rows: rowsOf(DASHBOARD_TARGETS) }));
    case 'latency':
      return [{ id: LATENCY_ID, group, title: 'point look-up, 1 connection', scenario: lookup, connections: 1, rows: rowsOf(LATENCY_TARGETS) }];
    case 'access-log':
      return SCENARIOS.map((s) => ({
        id: logLatencyId(s.id),
        group,
        title: `${s.title}, 1 connection`,
        scenario: s,
        connections: 1,
        rows: [
          { target: 'full-no-log', caller: 'owner', base: true },
          { target: 'full', caller: 'owner' },
        ],
      }));
    case 'catalog': {
      const analyst = ctx.access.analyst;
      const browsing = (): (() => Promise<void>) => {
        let stopped = false;
        const body = requestBody(CATALOG_PRODUCT, 'gateway', 0, ctx.inputs);
        const loop = (async () => {
          while (!stopped) {
            const started = performance.now();
            const res = await fetch(ctx.catalogUrl(), { method: 'POST', headers: { 'content-type': 'application/json', ...analyst }, body });
            if (res.status !== 200) throw new Error(`bench: a catalog page answered ${res.status}: ${(await res.text()).slice(0, 300)}`);
            await res.arrayBuffer();
            await new Promise((r) => setTimeout(r, Math.max(0, 1000 / CATALOG_PAGES_PER_S - (performance.now() - started))));
          }
        })();
        return async () => {
          stopped = true;
          await loop;
        };
      };
      return [
        {
          id: CATALOG_ID,
          group,
          title: "the catalog's queries, as an analyst, 1 connection",
          scenario: CATALOG_LIST,
          connections: 1,
          rows: [
            { target: 'full', caller: 'analyst', label: CATALOG_LIST.title, scenario: CATALOG_LIST },
            {
              target: 'full',
              caller: 'analyst',
              label: CATALOG_PRODUCT.title,
              scenario: CATALOG_PRODUCT,
              footnote: 'its first request also profiles the version (one pass, then kept until the version changes)',
            },
          ],
        },
        {
          id: CATALOG_LOAD_ID,
          group,
          title: 'point look-up while the catalog is browsed',
          scenario: lookup,
          connections: CONNECTIONS,
          rows: [
            { target: 'full', caller: 'owner', label: 'meshgate full, idle', base: true },
            { target: 'full', caller: 'owner', label: `meshgate full, ${CATALOG_PAGES_PER_S} product pages/s`, during: browsing },
          ],
        },
      ];
    }
    case 'publishing': {
      const during = await ctx.publishing();
      return [
        {
          id: PUBLISHING_ID,
          group,
          title: 'point look-up while publishing',
          scenario: lookup,
          connections: CONNECTIONS,
          rows: [
            { target: 'full', caller: 'owner', label: 'meshgate full, idle', base: true },
            { target: 'full', caller: 'owner', label: 'meshgate full, a new customer-profiles version every 2 s', during },
          ],
        },
      ];
    }
    case 'builds':
    case 'soak':
      return [];
  }
}

/** The targets a list of sets loads. */
export const targetsOfSets = (sets: readonly MeasureSet[]): TargetId[] => [...new Set(sets.flatMap((s) => s.rows.map((r) => r.target)))];
