/** `meshgate bench` (what `npm run bench` does): the benchmark suite of bench/, behind the CLI's option parsing. */
import { type Command, parseOptions, positiveNumber, UsageError } from '../Command.js';
import { runBench } from '../../bench/runBench.js';

const help = `Usage: meshgate bench [--scale N] [--duration S] [--json]

Measures four shapes (point look-up by key, filtered page of 100, grouped aggregate, 100 orders
with their customers), 10 requests in flight, each after a discarded 1 s warm-up:
  floor                 the same SQL the subgraph runs, straight on DuckDB in this process
  subgraph              the operation sent straight to the subgraph, with a signed access context
  gateway (open)        the operation sent to a gateway started with MESHGATE_ACCESS=off
  gateway               the operation sent to the gateway with access control on, as the owner
                        of every domain (unmasked, no row filter: the same SQL as the floor)
  gateway + access log  the same, on a mesh whose gateway writes the access log (every reply
                        waits for its entry's fsync)
The gateways are measured side by side (A B C C B A) and compared: "vs open" is the share of the
open gateway's throughput the enforced one keeps, and the logged row's share of the enforced
one's. Then, on the enforced gateway: a page of customers' PII as an analyst (masked in SQL) and
as its owner; the point look-up with a different token on every request and with one token; the
point look-up at 1 connection (the latency pass, where the p50 target is checked); and each shape
at 1 connection with the access log and without (where what the log adds to p50 is checked: at
10 connections p50 is mostly queueing). Publishing: the manifest swap, a publish until it is
served, and the point look-up while new versions are published. The catalog: its list and a
product page as the /catalog page asks them, as an analyst at 1 connection, and the point look-up
idle and while product pages are opened ten times a second, side by side. In-process: the CPU cost of signing and verifying 20,000
distinct tokens, and one durable append (1 KB written and fdatasynced) on the log's disk.
The meshes under test run in three child processes (meshgate up) on free ports, over sample data
seeded (if missing) into bench/data/scale-<N> (the logged mesh over a copy of it), with their dev
key, secrets and access log in bench/data/state.
Prints req/s, p50, p99, the comparisons, the SQL statements one request costs, and the targets
(PASS/FAIL); writes bench/results/latest.json.

Options:
  --scale N      sample data size: 1 = 10,000 customers, 100,000 orders (default 1)
  --duration S   seconds of measured load per target and row (default 5)
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
