/** `meshgate bench` (what `npm run bench` does): the benchmark suite of bench/, behind the CLI's option parsing. */
import { type Command, parseOptions, positiveInt, positiveNumber, UsageError } from '../Command.js';
import { GROUP_HELP, GROUPS, type GroupId } from '../../bench/groups.js';
import { runBench, SAVE_NAME } from '../../bench/runBench.js';

const help = `Usage: meshgate bench [--scales 1,10] [--duration S] [--rounds N] [--only GROUP,...] [--save NAME] [--baseline NAME] [--json]

Measures, side by side on the same subgraphs, data and documents (bench/README.md explains how to
read the table):
  meshgate full          gateway process with JWT, policies, masks and the access log, over one
                         process per subgraph (\`meshgate gateway\`, \`meshgate subgraph --domain D\`)
  meshgate open          the same with MESHGATE_ACCESS=off (over subgraphs with access control off)
  Hive Gateway           @graphql-hive/gateway, one process (--fork 1), on a supergraph composed from
                         the same subgraph SDLs, over subgraphs started with MESHGATE_RESULT_CACHE=off;
                         and over the cached subgraphs, for reference. It passes the client's signed
                         access context on to the subgraphs (bench/hive/gateway.config.mjs).
  subgraph direct        each shape sent straight to its subgraph, with a signed access context
  DuckDB floor           the very statements the runtime runs, in this process: 1 thread, and the
                         configured MESHGATE_DUCKDB_THREADS
  embedded               \`meshgate up\`, one process (full and open)
  lever-off variants     meshgate full over uncached subgraphs, meshgate full without the access log,
                         embedded with MESHGATE_TRANSPORT=http
Each set's targets run in turn (A B C, C B A, ...) for --rounds rounds after a 1 s warm-up; each row
reports the medians: req/s, p50, p99, errors, CPU per request of every process (from /proc), peak
resident memory, DuckDB time and statements per request (the subgraphs' /metrics). Every target is
first sent one request and must answer the same data (the floor: the same rows). Then the targets
of issues 2-4 and 12 (PASS/FAIL; a miss is reported, not an error).

Groups (--only; by default all but soak at scale 1, and lookup and latency at the other scales;
soak runs only when named, once, at the first scale, for --duration seconds, default 600):
${GROUPS.map((g) => `  ${g.padEnd(12)} ${GROUP_HELP[g]}`).join('\n')}

Options:
  --scales LIST    sample sizes, comma-separated (1 = 10,000 customers, 100,000 orders; default 1,10)
  --scale N        the same as --scales N
  --duration S     seconds of each measured run (default 3); of the soak (default 600)
  --rounds N       rounds of interleaved runs (default 3)
  --warmup S       seconds of each target's discarded warm-up (default 1)
  --only GROUPS    only these groups (comma-separated), at every scale
  --save NAME      also write the report to bench/results/NAME.json (committed; latest.json is not)
  --baseline NAME  compare the embedded rows with a run saved with --save NAME (or a JSON path)
  --json           print the JSON report on stdout instead of the table

Data: the sample seeded (if missing) into bench/data/scale-<N>; dev key, secrets and access logs in
bench/data/state. Writes bench/results/latest.json.

Exit codes: 0 done (a missed performance target is reported, not failed), 1 an error during the
run (a target answering other data than the rest, a process that does not start), 2 usage error.`;

/** Parses `--scales 1,10`. */
export function parseScales(raw: string): number[] {
  const scales = raw.split(',').map((s) => s.trim());
  const numbers = scales.map(Number);
  if (scales.length === 0 || numbers.some((n, i) => scales[i] === '' || !Number.isInteger(n) || n <= 0))
    throw new UsageError(`--scales must be positive integers separated by commas, got "${raw}"`);
  return [...new Set(numbers)];
}

/** Parses `--only lookup,page`. */
export function parseGroups(raw: string): GroupId[] {
  const names = raw.split(',').map((s) => s.trim());
  const unknown = names.filter((n) => !(GROUPS as readonly string[]).includes(n));
  if (unknown.length || names.length === 0) throw new UsageError(`--only: unknown group "${unknown[0] ?? raw}" (groups: ${GROUPS.join(', ')})`);
  return names as GroupId[];
}

/** The `bench` command. */
export const command: Command = {
  help,
  async run(args) {
    const { values, positionals } = parseOptions(args, {
      scale: { type: 'string' },
      scales: { type: 'string' },
      duration: { type: 'string' },
      rounds: { type: 'string' },
      warmup: { type: 'string' },
      only: { type: 'string' },
      save: { type: 'string' },
      baseline: { type: 'string' },
      json: { type: 'boolean' },
    });
    if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
    if (values.scale !== undefined && values.scales !== undefined) throw new UsageError('give --scale or --scales, not both');
    if (values.save !== undefined && (!SAVE_NAME.test(values.save) || values.save === 'latest'))
      throw new UsageError(`--save: a name of letters, digits, dots, dashes and underscores (not "latest"), got "${values.save}"`);
    const scales = values.scale !== undefined ? [positiveInt('scale', values.scale, 1)] : parseScales(values.scales ?? '1,10');
    return runBench({
      scales,
      durationS: positiveNumber('duration', values.duration, 3),
      rounds: positiveInt('rounds', values.rounds, 3),
      warmupS: positiveNumber('warmup', values.warmup, 1),
      ...(values.only !== undefined && { only: parseGroups(values.only) }),
      json: values.json ?? false,
      ...(values.save !== undefined && { save: values.save }),
      ...(values.baseline !== undefined && { baseline: values.baseline }),
      soakS: positiveNumber('duration', values.duration, 600),
    });
  },
};
