/** `meshgate bench` (what `npm run bench` does): the benchmark suite of bench/, behind the CLI's option parsing. */
import { type Command, parseOptions, positiveNumber, UsageError } from '../Command.js';
import { runBench } from '../../bench/runBench.js';

const help = `Usage: meshgate bench [--scale N] [--duration S] [--json]

Measures four scenarios (point look-up by key, filtered page of 100, grouped aggregate, 100 orders
with their customers) three ways, 10 requests in flight, each after a discarded 1 s warm-up:
  floor     the same SQL the subgraph runs, straight on DuckDB in this process
  subgraph  the operation sent straight to the subgraph (autocannon)
  gateway   the operation sent to the gateway (autocannon)
The mesh under test runs in a child process (meshgate up) on free ports, over sample data seeded
(if missing) into bench/data/scale-<N>. Prints req/s, p50, p99 and the comparison with the floor,
the SQL statements one request costs, and the targets; writes bench/results/latest.json.

Options:
  --scale N      sample data size: 1 = 10,000 customers, 100,000 orders (default 1)
  --duration S   seconds of measured load per scenario and target (default 5)
  --json         print the JSON report on stdout instead of the table

Exit codes: 0 done (a missed performance target is reported, not failed), 1 an error during the
run (any non-200 answer or GraphQL error fails it), 2 usage error.`;

/** The `bench` command. */
export const command: Command = {
  help,
  async run(args) {
    const { values, positionals } = parseOptions(args, { scale: { type: 'string' }, duration: { type: 'string' }, json: { type: 'boolean' } });
    if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
    return runBench({ scale: positiveNumber('scale', values.scale, 1), durationS: positiveNumber('duration', values.duration, 5), json: values.json ?? false });
  },
};
