/** `meshgate subgraph --domain NAME`: serves one domain's subgraph alone (one process per domain, as in docker-compose). */
import { formatProblem, loadMesh } from '../../schema/index.js';
import { Database, startSubgraph } from '../../subgraphs/runtime/index.js';
import { readConfig } from '../config.js';
import { type Command, parseOptions, UsageError } from '../Command.js';
import { untilSignal } from '../untilSignal.js';
import { startDomainJobs } from '../domainJobs.js';
import { loadSecurity, subgraphContextKey } from '../security.js';

const help = `Usage: meshgate subgraph --domain NAME

Serves one domain's subgraph from its declarations under MESHGATE_SUBGRAPHS_DIR and its Parquet
outputs under MESHGATE_DATA_DIR, on MESHGATE_HOST and MESHGATE_<DOMAIN>_PORT (see meshgate up --help).`;

/** The `subgraph` command. */
export const command: Command = {
  help,
  async run(args) {
    const { values } = parseOptions(args, { domain: { type: 'string' } });
    if (!values.domain) throw new UsageError('--domain is required');
    const config = readConfig();
    const log = (line: string): void => void process.stderr.write(`${line}\n`);
    const mesh = await loadMesh(config.MESHGATE_SUBGRAPHS_DIR, { dataRoot: config.MESHGATE_DATA_DIR });
    for (const p of mesh.problems) log(`declaration problem: ${formatProblem(p)}`);
    if (!mesh.domains.some((d) => d.name === values.domain)) {
      throw new Error(`domain "${values.domain}" cannot be served (known and loadable: ${mesh.domains.map((d) => d.name).join(', ') || 'none'})`);
    }
    const db = await Database.open({ dataDirs: [config.MESHGATE_DATA_DIR], memoryLimit: config.MESHGATE_DUCKDB_MEMORY, threads: config.MESHGATE_DUCKDB_THREADS, queryTimeoutMs: config.MESHGATE_QUERY_TIMEOUT_MS });
    const security = await loadSecurity(config, mesh.domains.flatMap((d) => d.products), log);
    const stopJobs = await startDomainJobs([values.domain], { dataRoot: config.MESHGATE_DATA_DIR, accessLogDir: config.accessLogDir, log });
    const sg = await startSubgraph({
      domain: values.domain, mesh, db, host: config.MESHGATE_HOST, port: config.subgraphPorts[values.domain] ?? 4005, log,
      contextKey: subgraphContextKey(security), hashKey: security.hashKey,
    });
    log(`subgraph ${values.domain} listening on ${sg.url}`);
    await untilSignal();
    await stopJobs();
    await sg.close();
    db.close();
    return 0;
  },
};
