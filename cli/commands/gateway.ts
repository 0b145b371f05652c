/** `meshgate gateway`: serves the gateway alone, composing subgraphs that run elsewhere. */
import { loggerFromConfig, logTo } from '../logger.js';
import { readConfig, type Config } from '../config.js';
import { type Command, parseOptions } from '../Command.js';
import { untilSignal } from '../untilSignal.js';
import { startTracing } from '../tracing.js';
import { gatewayAccess, graphiqlGuide, loadSecurity } from '../security.js';
import { loadServedMesh, openAccessLog, reloadOnChange, requireWholeMesh, startMeshGateway } from '../mesh/index.js';

const help = `Usage: meshgate gateway

Composes every domain declared under MESHGATE_SUBGRAPHS_DIR (the SDL comes from the declarations,
no subgraph is asked for it) and serves the graph on MESHGATE_HOST:MESHGATE_GATEWAY_PORT. Each
domain's subgraph is called at MESHGATE_<DOMAIN>_URL (default http://127.0.0.1:<its port>/); a
comma-separated list names its replicas, and calls are balanced over them. With MESHGATE_RELOAD=on
(the default) a change to the declarations is validated and re-composed while serving.
Browser origins: MESHGATE_CORS_ORIGINS; slow clients and load: MESHGATE_HEADERS_TIMEOUT_MS,
MESHGATE_REQUEST_TIMEOUT_MS, MESHGATE_KEEP_ALIVE_TIMEOUT_MS, MESHGATE_MAX_CONNECTIONS. On SIGTERM it
drains: new connections are refused, every later reply says Connection: close, requests in flight
finish within MESHGATE_SHUTDOWN_GRACE_MS, then the access log is flushed and closed.`;

/** Where a domain's subgraph runs: MESHGATE_<DOMAIN>_URL (one URL or a comma-separated list of replicas), else loopback on its configured port. */
const subgraphUrls =
  (config: Config) =>
  (domain: string): string[] => {
    const given = config.subgraphUrls[domain];
    const urls = (given ?? '')
      .split(',')
      .map((u) => u.trim())
      .filter((u) => u !== '');
    return urls.length > 0 ? urls : [`http://127.0.0.1:${config.subgraphPorts[domain] ?? 4005}/`];
  };

/** The `gateway` command. */
export const command: Command = {
  help,
  async run(args) {
    parseOptions(args, {});
    const config = readConfig();
    const log = logTo(loggerFromConfig(config));
    const mesh = await loadServedMesh(config, log);
    requireWholeMesh(config, mesh, log);
    const security = await loadSecurity(config, mesh, log);
    const access = await gatewayAccess(security, mesh);
    const accessLog = await openAccessLog(config, log);
    const graphiql = graphiqlGuide(security, mesh);
    const urlOf = subgraphUrls(config);
    const tracing = await startTracing(config, 'meshgate-gateway');
    const gateway = await startMeshGateway(config, { mesh, urlOf, access, accessLog, log, ...(graphiql && { graphiql }), ...(tracing && { tracer: tracing.tracer }) });
    const watcher = config.MESHGATE_RELOAD === 'on' ? reloadOnChange(config, gateway, { urlOf, accessOn: access !== undefined, log }) : undefined;
    await untilSignal();
    watcher?.close();
    await gateway.close();
    await accessLog?.close();
    await tracing?.shutdown();
    return 0;
  },
};
