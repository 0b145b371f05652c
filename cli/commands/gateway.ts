/** `meshgate gateway`: serves the gateway alone, composing subgraphs that run elsewhere. */
import { loggerFromConfig, logTo } from '../logger.js';
import { readConfig, type Config } from '../config.js';
import { type Command, parseOptions } from '../Command.js';
import { untilSignal } from '../untilSignal.js';
import { startTracing } from '../tracing.js';
import { gatewayAccess, graphiqlGuide, loadSecurity } from '../security.js';
import { loadServedMesh, openAccessLog, startMeshGateway } from '../mesh/index.js';

const help = `Usage: meshgate gateway

Composes every domain declared under MESHGATE_SUBGRAPHS_DIR (the SDL comes from the declarations,
no subgraph is asked for it) and serves the graph on MESHGATE_HOST:MESHGATE_GATEWAY_PORT. Each
domain's subgraph is called at MESHGATE_<DOMAIN>_URL (default http://127.0.0.1:<its port>/).`;

/** Where a domain's subgraph runs: MESHGATE_<DOMAIN>_URL, else loopback on its configured port. */
const subgraphUrl =
  (config: Config) =>
  (domain: string): string =>
    process.env[`MESHGATE_${domain.toUpperCase().replaceAll('-', '_')}_URL`] ?? `http://127.0.0.1:${config.subgraphPorts[domain] ?? 4005}/`;

/** The `gateway` command. */
export const command: Command = {
  help,
  async run(args) {
    parseOptions(args, {});
    const config = readConfig();
    const log = logTo(loggerFromConfig(config));
    const mesh = await loadServedMesh(config, log);
    const security = await loadSecurity(config, mesh, log);
    const access = await gatewayAccess(security, mesh);
    const accessLog = await openAccessLog(config, log);
    const graphiql = graphiqlGuide(security, mesh);
    const tracing = await startTracing(config, 'meshgate-gateway');
    const gateway = await startMeshGateway(config, {
      mesh,
      urlOf: subgraphUrl(config),
      access,
      accessLog,
      log,
      ...(graphiql && { graphiql }),
      ...(tracing && { tracer: tracing.tracer }),
    });
    await untilSignal();
    await gateway.close();
    await accessLog?.close();
    await tracing?.shutdown();
    return 0;
  },
};
