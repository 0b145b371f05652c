/** `meshgate up` (what `npm start` does): seeds the sample data if missing, then starts the whole mesh. */
import { loggerFromConfig, logTo } from '../logger.js';
import { readConfig } from '../config.js';
import { startMesh } from '../mesh/index.js';
import { type Command, parseOptions } from '../Command.js';
import { seedSample } from '../../subgraphs/sample/index.js';
import { untilSignal } from '../untilSignal.js';

const help = `Usage: meshgate up [--no-seed] [--no-builds]

Starts every domain subgraph and the gateway in one process, on the embedded default (DuckDB over
the Parquet outputs under the data root; no server to install, no network). Builds the sample
mesh's Parquet outputs first if they are missing (meshgate seed --if-missing), unless --no-seed.
Products are then built on their schedules (and at once when the served data is older than the
schedule's interval); --no-builds builds only the products that have no published version yet, at
start, and never again (benchmarks: no build runs while the mesh is measured).

Environment (defaults in brackets):
  MESHGATE_HOST [127.0.0.1]   MESHGATE_GATEWAY_PORT [4000]   MESHGATE_<DOMAIN>_PORT [customers 4001,
  commerce 4002, payments 4003, governance 4004]   MESHGATE_DATA_DIR [./data]
  MESHGATE_SUBGRAPHS_DIR [./subgraphs]   MESHGATE_QUERY_TIMEOUT_MS [5000]
  MESHGATE_SUBGRAPH_TIMEOUT_MS [10000]   MESHGATE_DUCKDB_MEMORY [2GB]   MESHGATE_DUCKDB_THREADS [1]
  MESHGATE_BUILD_THREADS [2]   MESHGATE_CORS_ORIGINS [none]   MESHGATE_HEADERS_TIMEOUT_MS [10000]
  MESHGATE_REQUEST_TIMEOUT_MS [30000]   MESHGATE_KEEP_ALIVE_TIMEOUT_MS [5000]
  MESHGATE_MAX_CONNECTIONS [1024]   MESHGATE_SHUTDOWN_GRACE_MS [5000]

Stop with Ctrl-C or SIGTERM: new connections are refused, every later reply says Connection: close,
requests in flight finish (within MESHGATE_SHUTDOWN_GRACE_MS), then the access log is closed.`;

/** The `up` command. */
export const command: Command = {
  help,
  async run(args) {
    const { values } = parseOptions(args, { 'no-seed': { type: 'boolean' }, 'no-builds': { type: 'boolean' } });
    const config = readConfig();
    const log = logTo(loggerFromConfig(config));
    if (!values['no-seed']) await seedSample({ scale: 1, seed: 42, dataRoot: config.MESHGATE_DATA_DIR, ifMissing: true, log });
    const running = await startMesh({ config, log, buildTimers: !values['no-builds'] });
    log('');
    log(`meshgate is up. GraphQL (POST) and GraphiQL (GET in a browser): ${running.gateway.graphqlUrl}`);
    log('Get a token:  TOKEN=$(npx meshgate token --sub ana --roles analyst)');
    log(
      `Then query:   curl -s ${running.gateway.graphqlUrl} -H "authorization: Bearer $TOKEN" -H 'content-type: application/json' -d '{"query":"{ orders(limit: 3) { orderId totalAmount customer { fullName email } } }"}'`,
    );
    log('In GraphiQL (open the URL in a browser), press "Get dev token" in the bar, or put {"Authorization": "Bearer <token>"} in the Headers pane.');
    log(`The catalog of every product you may read: ${new URL('/catalog', running.gateway.graphqlUrl).href} (in a terminal: npx meshgate catalog)`);
    await untilSignal();
    log('stopping...');
    await running.close();
    return 0;
  },
};
