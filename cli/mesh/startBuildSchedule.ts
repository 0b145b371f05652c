/**
 * The builds `meshgate up` runs: first every product that has no published version yet (before
 * anything is served), then, in the background, every product whose served data is older than its
 * schedule's interval (a mesh started again after a pause catches up at once instead of serving stale
 * data until its first tick), then each product on its schedule (declared, or a quarter of its
 * freshness SLA), one build at a time in this process (two cores; the build lock also refuses a second
 * process). A failed build leaves the previous version serving, is logged, and marks the product's
 * freshness as at risk in the metrics until a build succeeds.
 */
import { readManifest, type DataProduct } from '../../schema/index.js';
import { buildProduct, buildProducts, type BuildEnv, type BuildOutcome, type BuildRun } from '../../subgraphs/runtime/index.js';

/** What the schedule knows of one product's builds. */
export interface ProductBuilds {
  readonly product: string;
  built: number;
  failed: number;
  lastOutcome?: BuildOutcome;
  /** How current the served version's data is (epoch ms), if one is served. */
  servedAsOf?: number;
  durationSeconds: number;
}

/** The running schedule. */
export interface BuildSchedule {
  /** Each scheduled product's builds so far. */
  readonly builds: ReadonlyMap<string, ProductBuilds>;
  /** Builds `products` (every buildable one when empty) now, after whatever build is running. */
  buildNow(products?: readonly DataProduct[]): Promise<BuildRun>;
  /** The catch-up build of the products due at start (undefined: none was due, or timers are off). */
  readonly caughtUp: Promise<BuildRun> | undefined;
  /** The schedule's Prometheus metrics, for /metrics. */
  metrics(): string;
  /** Stops the timers and waits for a running build. */
  close(): Promise<void>;
}

const label = (v: string): string => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"');

/** Starts the schedule; resolves once the products without a published version are built (those builds may fail: they are logged). */
export async function startBuildSchedule(env: BuildEnv, options: { readonly timers: boolean }): Promise<BuildSchedule> {
  const buildable = [...env.products.values()].filter((p) => p.transform);
  const builds = new Map(buildable.map((p) => [p.name, { product: p.name, built: 0, failed: 0, durationSeconds: 0 } as ProductBuilds]));
  let queue: Promise<unknown> = Promise.resolve();
  const note = (o: BuildOutcome): void => {
    const b = builds.get(o.product);
    if (!b) return;
    b.lastOutcome = o;
    b.durationSeconds += o.durationMs / 1000;
    if (o.status === 'published') {
      b.built++;
      b.servedAsOf = env.now().getTime();
    } else {
      b.failed++;
      env.log(`build failed: ${o.message} (the previous version keeps serving; freshness at risk)`, { level: 'error', product: o.product });
    }
  };
  const enqueue = <T>(work: () => Promise<T>): Promise<T> => {
    const run = queue.then(work, work);
    queue = run.catch(() => undefined);
    return run;
  };
  const buildNow = (products: readonly DataProduct[] = []): Promise<BuildRun> =>
    enqueue(async () => {
      const run = await buildProducts(products, env);
      if ('outcomes' in run) run.outcomes.forEach(note);
      else env.log(`builds: the products' inputs form a cycle, so none is built: ${run.cycle.join(' → ')}`);
      return run;
    });
  const missing: DataProduct[] = [];
  for (const p of buildable) {
    const read = await readManifest(p.storeDir);
    if (read.kind === 'ok') builds.get(p.name)!.servedAsOf = Date.parse(read.manifest.dataAsOf);
    else missing.push(p);
  }
  if (missing.length > 0) {
    env.log(`building ${missing.map((p) => p.name).join(', ')}: no version of ${missing.length === 1 ? 'it' : 'them'} is published yet`);
    await buildNow(missing);
  }
  const timers: NodeJS.Timeout[] = [];
  const now = env.now().getTime();
  const due = options.timers ? buildable.filter((p) => p.schedule !== 'manual' && !missing.includes(p) && now - (builds.get(p.name)!.servedAsOf ?? 0) >= p.schedule.everyMs) : [];
  if (due.length > 0) env.log(`building ${due.map((p) => p.name).join(', ')} in the background: the served data is older than the schedule's interval`);
  const caughtUp = due.length > 0 ? buildNow(due) : undefined;
  if (options.timers) {
    for (const p of buildable) {
      if (p.schedule === 'manual') continue;
      const timer = setInterval(() => void enqueue(async () => note(await buildProduct(p, env))), p.schedule.everyMs);
      timer.unref();
      timers.push(timer);
    }
  }
  return {
    builds,
    buildNow,
    caughtUp,
    metrics() {
      const family = (name: string, type: string, help: string, sample: (p: DataProduct, b: ProductBuilds, l: string) => string[]): string[] => [
        `# HELP ${name} ${help}`,
        `# TYPE ${name} ${type}`,
        ...buildable.flatMap((p) => sample(p, builds.get(p.name)!, `product="${label(p.name)}"`)),
      ];
      const atRisk = (p: DataProduct, b: ProductBuilds): boolean =>
        b.lastOutcome?.status === 'failed' || b.servedAsOf === undefined || (p.sla.freshnessMs !== undefined && env.now().getTime() - b.servedAsOf > p.sla.freshnessMs);
      return (
        [
          ...family('meshgate_builds_total', 'counter', 'Builds of each product since start, by outcome (failed: the previous version kept serving).', (_p, b, l) => [
            `meshgate_builds_total{${l},outcome="published"} ${b.built}`,
            `meshgate_builds_total{${l},outcome="failed"} ${b.failed}`,
          ]),
          ...family('meshgate_build_seconds_total', 'counter', 'Time spent building each product since start.', (_p, b, l) => [
            `meshgate_build_seconds_total{${l}} ${b.durationSeconds}`,
          ]),
          ...family(
            'meshgate_product_freshness_at_risk',
            'gauge',
            "1 when a product's last build failed, it has no served version, or its served data is older than its freshness SLA.",
            (p, b, l) => [`meshgate_product_freshness_at_risk{${l}} ${atRisk(p, b) ? 1 : 0}`],
          ),
          ...family(
            'meshgate_product_data_age_seconds',
            'gauge',
            "How old each product's served data is (now minus its data-as-of time); absent until a version is served.",
            (_p, b, l) => (b.servedAsOf === undefined ? [] : [`meshgate_product_data_age_seconds{${l}} ${Math.max(0, (env.now().getTime() - b.servedAsOf) / 1000)}`]),
          ),
          ...family(
            'meshgate_product_freshness_sla_seconds',
            'gauge',
            "Each product's freshness SLA: the data age it promises not to exceed (products that declare one).",
            (p, _b, l) => (p.sla.freshnessMs === undefined ? [] : [`meshgate_product_freshness_sla_seconds{${l}} ${p.sla.freshnessMs / 1000}`]),
          ),
        ].join('\n') + '\n'
      );
    },
    async close() {
      timers.forEach(clearInterval);
      await queue;
    },
  };
}
