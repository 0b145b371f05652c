/** `meshgate gateway`: serves the gateway alone, composing subgraphs that run elsewhere. */
import { buildSubgraphSdl, formatProblem, loadMesh, meshShapes } from '../../schema/index.js';
import { AccessLogWriter, startGateway } from '../../gateway/index.js';
import { readConfig } from '../config.js';
import { type Command, parseOptions } from '../Command.js';
import { untilSignal } from '../untilSignal.js';
import { gatewayAccess, loadSecurity } from '../security.js';

const help = `Usage: meshgate gateway

Composes every domain declared under MESHGATE_SUBGRAPHS_DIR (the SDL comes from the declarations,
no subgraph is asked for it) and serves the graph on MESHGATE_HOST:MESHGATE_GATEWAY_PORT. Each
domain's subgraph is called at MESHGATE_<DOMAIN>_URL (default http://127.0.0.1:<its port>/).`;

/** The `gateway` command. */
export const command: Command = {
  help,
  async run(args) {
    parseOptions(args, {});
    const config = readConfig();
    const log = (line: string): void => void process.stderr.write(`${line}\n`);
    const mesh = await loadMesh(config.MESHGATE_SUBGRAPHS_DIR, { dataRoot: config.MESHGATE_DATA_DIR });
    for (const p of mesh.problems) log(`declaration problem: ${formatProblem(p)}`);
    const shapes = meshShapes(mesh);
    const services = mesh.domains.map((d) => {
      const env = process.env[`MESHGATE_${d.name.toUpperCase().replaceAll('-', '_')}_URL`];
      return { name: d.name, url: env ?? `http://127.0.0.1:${config.subgraphPorts[d.name] ?? 4005}/`, typeDefs: buildSubgraphSdl(d.name, shapes) };
    });
    const access = await gatewayAccess(await loadSecurity(config, mesh.domains.flatMap((d) => d.products), log), mesh);
    const accessLog = config.MESHGATE_ACCESS_LOG === 'on' ? await AccessLogWriter.open({ dir: config.accessLogDir, segmentMaxAgeMs: config.MESHGATE_ACCESS_LOG_ROTATE_MS, log }) : undefined;
    const gateway = await startGateway({ services, host: config.MESHGATE_HOST, port: config.MESHGATE_GATEWAY_PORT, subgraphTimeoutMs: config.MESHGATE_SUBGRAPH_TIMEOUT_MS, log, ...(access && { access }), ...(accessLog && { accessLog }) });
    await untilSignal();
    await gateway.close();
    await accessLog?.close();
    return 0;
  },
};
