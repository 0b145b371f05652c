/**
 * `meshgate build [PRODUCT...]`: runs the domains' transforms in dependency order, gates each new
 * version on its contract tests and anomaly checks, and publishes the ones that pass. Progress on
 * stderr, one line per product's outcome on stdout (or `--json`); exit 1 when a build failed.
 */
import { loggerFromConfig, logTo } from '../logger.js';
import type { BuildOutcome } from '../../subgraphs/runtime/index.js';
import { readConfig } from '../config.js';
import { type Command, parseOptions, UsageError } from '../Command.js';
import { runBuilds } from '../mesh/runBuilds.js';
import { buildEnv, openBuildLog } from '../mesh/buildEnv.js';
import { loadServedMesh } from '../mesh/loadServedMesh.js';
import { startBuildSchedule } from '../mesh/startBuildSchedule.js';
import { serveMetrics } from '../mesh/databaseMetrics.js';
import { loadSecurity } from '../security.js';
import { untilSignal } from '../untilSignal.js';
import type { Config } from '../config.js';

const help = `Usage: meshgate build [PRODUCT...] [--json]
       meshgate build --schedule

Builds each product (every product that declares a transform, or those named) from its input ports,
in dependency order across domains: reads each input (an upstream data product's published version,
as the consuming domain and under that product's access policy, every read in the access log;
landing files; a change stream), runs the product's transform (one SELECT, DuckDB dialect, over its
declared inputs only), writes the result as a new immutable version, runs its contract tests and
anomaly checks on it, and publishes it by an atomic manifest swap only if they pass. A version that
fails is kept aside under failed/ with its report and never served; the previous one keeps serving.

Options:
  --json       print each outcome as JSON instead of a line
  --schedule   keep running: build every product with no published version now, then each on its
               schedule (declared, or a quarter of its freshness SLA), as \`meshgate up\` does; the
               builds' reads go to the access log's inbox, for the gateway to append. Stop with Ctrl-C.
               With MESHGATE_METRICS_PORT set, serves the schedule's metrics (GET /metrics) and
               GET /healthz on that port.

Operational inputs connect through the environment: MESHGATE_INPUT_<SOURCE>_URL (for example
MESHGATE_INPUT_ORDERS_DB_URL=postgres://...); without one, a postgres-cdc input reads the local
change stream in landing/<domain>/<source>/.

Exit codes: 0 every build published, 1 a build failed (or an input cycle), 2 a usage error.`;

/** One outcome as a line a person reads. */
function line(o: BuildOutcome): string {
  if (o.status === 'published') {
    const warnings = o.warnings.length ? `; ${o.warnings.length} warning(s): ${o.warnings.map((w) => w.message).join('; ')}` : '';
    return `published ${o.product} ${o.version} (${o.rows} rows, ${(o.durationMs / 1000).toFixed(1)} s)${warnings}`;
  }
  return `FAILED ${o.message}`;
}

/** Runs the mesh's builds on their schedules until a signal. */
async function runSchedule(config: Config, log: (line: string) => void): Promise<number> {
  const mesh = await loadServedMesh(config, log);
  const security = await loadSecurity(config, mesh, log);
  const buildLog = await openBuildLog(config, log, undefined, { inbox: true });
  const schedule = await startBuildSchedule(buildEnv(config, mesh, security, buildLog.record, log), { timers: true });
  const port = config.MESHGATE_METRICS_PORT;
  const stopMetrics = port === undefined ? undefined : await serveMetrics(config.MESHGATE_HOST, port, () => schedule.metrics());
  if (port !== undefined) log(`meshgate build --schedule: metrics and /healthz on http://${config.MESHGATE_HOST}:${port}/`);
  log('meshgate build --schedule: building each product on its schedule; stop with Ctrl-C');
  await untilSignal();
  await stopMetrics?.();
  await schedule.close();
  await buildLog.close();
  return 0;
}

/** The `build` command. */
export const command: Command = {
  help,
  async run(args) {
    const { values, positionals } = parseOptions(args, { json: { type: 'boolean' }, schedule: { type: 'boolean' } });
    const config = readConfig();
    const log = (l: string): void => void process.stderr.write(`${l}\n`);
    if (values.schedule) {
      if (positionals.length) throw new UsageError('--schedule builds every product on its schedule: name no product');
      return runSchedule(config, logTo(loggerFromConfig(config)));
    }
    const run = await runBuilds(config, positionals, log).catch((error: unknown) => {
      throw error instanceof TypeError ? new UsageError(error.message) : error;
    });
    if ('cycle' in run) {
      log(`meshgate build: the products' inputs form a cycle, so no order can build them: ${run.cycle.join(' → ')}`);
      return 1;
    }
    for (const o of run.outcomes) process.stdout.write(values.json ? `${JSON.stringify(o)}\n` : `${line(o)}\n`);
    return run.outcomes.every((o) => o.status === 'published') ? 0 : 1;
  },
};
