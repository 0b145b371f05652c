/**
 * `npx tsx bench/sideBySide.ts`: one lever before and after, side by side in one run. Starts the
 * embedded mesh (`meshgate up --no-seed`) of each variant (a code tree, e.g. a worktree of an
 * earlier commit, and settings), then loads each shape on every variant in turn, interleaved
 * (A B ... B A, `--rounds` times), and prints req/s, p50 and the CPU milliseconds per request of
 * each mesh's process (from /proc: the steadiest figure on a shared machine), every round's value
 * and their median. Progress goes to stderr, the table to stdout.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { REPO_ROOT } from '../cli/config.js';
import { mintDevToken } from '../gateway/index.js';
import { benchEnv, bearer, OWNER_ROLES } from './benchAccess.js';
import { freePorts } from './processes.js';
import { httpLoad } from './httpLoad.js';
import { processCpuMs } from './processCpu.js';

const HELP = `Usage: npx tsx bench/sideBySide.ts --variant LABEL=TREE[:NAME=VALUE...] --variant ... [options]

Runs the embedded mesh of each variant (TREE: a checkout of meshgate, e.g. "git worktree add
--detach ../before <commit>" with node_modules linked; NAME=VALUE: settings for it) over the same
bench data, and loads each shape on each variant in turn, interleaved.

  --variant SPEC     one or more (one: shapes side by side on one tree), e.g. --variant after=. --variant before=../before
                     --variant http=.:MESHGATE_TRANSPORT=http:MESHGATE_RESULT_CACHE=off
  --shapes LIST      comma-separated, of: ${'${SHAPES}'} (default: all)
  --duration S       seconds per measured run (default 5), after a 1 s warm-up
  --rounds N         interleaved rounds (default 2)
  --scale N          the bench data's scale (default 1; seeded and built by "meshgate bench")
  --help             this text`;

interface Shape {
  readonly id: string;
  readonly query: string;
  readonly variables: (i: number) => Record<string, unknown> | undefined;
  readonly connections: number;
}

const customerId = (i: number): string => `C${String(1 + ((i * 7919) % 10_000)).padStart(7, '0')}`;
const orderId = (i: number): string => `O${String(1 + ((i * 7919) % 90_000)).padStart(9, '0')}`;
/** A day of the sample's year, rotating, so a fixed aggregate is not answered from the result cache. */
const day = (i: number): string => new Date(Date.UTC(2026, 0, 1) + (i % 300) * 86_400_000).toISOString().slice(0, 10);
const AGG = 'ordersAggregate(where:{ orderDate:{gte:$d} }, groupBy:[CHANNEL])';
const PAGE = 'orders(where:{ shippingCountry:{eq:"DE"}, totalAmount:{gt:50} }, orderBy:[{orderTs:DESC}], limit:20';
const SHAPES: readonly Shape[] = [
  {
    id: 'lookup',
    query: 'query($id: ID!){ customer(customerId: $id){ customerId fullName email country } }',
    variables: (i) => ({ id: customerId(i) }),
    connections: 16,
  },
  { id: 'page', query: `query($o: Int){ ${PAGE}, offset:$o){ orderId orderTs totalAmount status } }`, variables: (i) => ({ o: (i % 200) * 20 }), connections: 16 },
  {
    id: 'join',
    query: 'query($o: Int){ orders(limit:50, offset:$o){ orderId totalAmount customer{ fullName country } payments { paymentId amountCents } } }',
    variables: (i) => ({ o: (i % 200) * 50 }),
    connections: 16,
  },
  { id: 'dashboard', query: `{ ${PAGE}){ orderId orderTs totalAmount status } }`, variables: () => undefined, connections: 16 },
  // Issue 14's shapes (the "after" tree only): a one-column against a composite key, single-key against composite-key references, and the aggregates' new questions over the same rows.
  { id: 'order-lookup', query: 'query($id: ID!){ order(orderId: $id){ orderId totalAmount status } }', variables: (i) => ({ id: orderId(i) }), connections: 16 },
  {
    id: 'line-lookup',
    query: 'query($id: ID!, $n: Int!){ orderLine(orderId: $id, lineNumber: $n){ orderId lineNumber lineAmount tags } }',
    variables: (i) => ({ id: orderId(i), n: 1 }),
    connections: 16,
  },
  { id: 'order-refs', query: 'query($o: Int){ orderLines(limit:50, offset:$o){ lineNumber order { totalAmount } } }', variables: (i) => ({ o: (i % 200) * 50 }), connections: 16 },
  {
    id: 'line-refs',
    query: 'query($o: Int){ shipmentEvents(limit:50, offset:$o){ eventType orderLine { lineAmount } } }',
    variables: (i) => ({ o: (i % 200) * 50 }),
    connections: 16,
  },
  { id: 'agg-sum', query: `query($d: Date){ ${AGG}{ key { channel } count sum { totalAmount } } }`, variables: (i) => ({ d: day(i) }), connections: 16 },
  { id: 'agg-measure', query: `query($d: Date){ ${AGG}{ key { channel } count revenue } }`, variables: (i) => ({ d: day(i) }), connections: 16 },
  {
    id: 'agg-bucket',
    query: 'query($d: Date){ ordersAggregate(where:{ orderDate:{gte:$d} }, buckets:[{ field: ORDER_TS, unit: MONTH }]){ key { orderTs } count sum { totalAmount } } }',
    variables: (i) => ({ d: day(i) }),
    connections: 16,
  },
  { id: 'agg-distinct', query: `query($d: Date){ ${AGG}{ key { channel } count countDistinct { customerId } } }`, variables: (i) => ({ d: day(i) }), connections: 16 },
  { id: 'agg-median', query: `query($d: Date){ ${AGG}{ key { channel } count median { totalAmount } } }`, variables: (i) => ({ d: day(i) }), connections: 16 },
  {
    id: 'agg-having',
    query:
      'query($d: Date){ ordersAggregate(where:{ orderDate:{gte:$d} }, groupBy:[SHIPPING_COUNTRY], having:{ count:{ gt: 100 } }){ key { shippingCountry } count sum { totalAmount } } }',
    variables: (i) => ({ d: day(i) }),
    connections: 16,
  },
  {
    id: 'lookup-1c',
    query: 'query($id: ID!){ customer(customerId: $id){ customerId fullName email country } }',
    variables: (i) => ({ id: customerId(i) }),
    connections: 1,
  },
];

interface Variant {
  readonly label: string;
  readonly tree: string;
  readonly env: Readonly<Record<string, string>>;
}

/** `LABEL=TREE[:NAME=VALUE...]`. */
function parseVariant(spec: string): Variant {
  const eq = spec.indexOf('=');
  if (eq < 1) throw new Error(`--variant ${JSON.stringify(spec)}: expected LABEL=TREE[:NAME=VALUE...]`);
  const [tree = '', ...settings] = spec.slice(eq + 1).split(':');
  const env: Record<string, string> = {};
  for (const s of settings) {
    const m = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(s);
    if (!m) throw new Error(`--variant ${JSON.stringify(spec)}: ${JSON.stringify(s)} is not NAME=VALUE`);
    env[m[1]!] = m[2]!;
  }
  return { label: spec.slice(0, eq), tree: path.resolve(tree), env };
}

interface Running extends Variant {
  readonly child: ChildProcess;
  readonly url: string;
}

const log = (line: string): void => void process.stderr.write(`${line}\n`);

async function start(v: Variant, dataRoot: string, stateDir: string): Promise<Running> {
  const [gateway, ...ports] = await freePorts(5);
  const env: NodeJS.ProcessEnv = {
    ...benchEnv(process.env, stateDir, 'on'),
    MESHGATE_HOST: '127.0.0.1',
    MESHGATE_GATEWAY_PORT: String(gateway),
    MESHGATE_DATA_DIR: dataRoot,
    ...v.env,
  };
  ['CUSTOMERS', 'COMMERCE', 'PAYMENTS', 'GOVERNANCE'].forEach((d, i) => (env[`MESHGATE_${d}_PORT`] = String(ports[i])));
  const child = spawn(process.execPath, [path.join(v.tree, 'bin', 'meshgate.js'), 'up', '--no-seed'], { cwd: v.tree, env, stdio: ['ignore', 'ignore', 'pipe'] });
  let tail = '';
  child.stderr!.on('data', (chunk: Buffer) => (tail = (tail + chunk.toString()).slice(-2_000)));
  process.once('exit', () => child.kill('SIGKILL'));
  for (let i = 0; i < 600; i++) {
    if (child.exitCode !== null) throw new Error(`the ${v.label} mesh exited before it was ready:\n${tail}`);
    const ready = await fetch(`http://127.0.0.1:${gateway}/readyz`).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ready) return { ...v, child, url: `http://127.0.0.1:${gateway}/graphql` };
    await new Promise((r) => setTimeout(r, 200));
  }
  child.kill('SIGKILL');
  throw new Error(`the ${v.label} mesh was not ready after 120 s:\n${tail}`);
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      variant: { type: 'string', multiple: true },
      shapes: { type: 'string' },
      duration: { type: 'string', default: '5' },
      rounds: { type: 'string', default: '2' },
      scale: { type: 'string', default: '1' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) {
    process.stdout.write(`${HELP.replace('${SHAPES}', SHAPES.map((s) => s.id).join(', '))}\n`);
    return 0;
  }
  const variants = (values.variant ?? []).map(parseVariant);
  const shapes = values.shapes ? values.shapes.split(',').map((id) => SHAPES.find((s) => s.id === id) ?? fail(`unknown shape "${id}"`)) : SHAPES;
  const durationS = Number(values.duration);
  const rounds = Number(values.rounds);
  if (variants.length < 1) return fail('give at least one --variant (see --help)');
  if (!(durationS > 0) || !Number.isInteger(rounds) || rounds < 1) return fail('--duration must be a positive number and --rounds a positive integer');
  const stateDir = path.join(REPO_ROOT, 'bench', 'data', 'state');
  const dataRoot = path.join(REPO_ROOT, 'bench', 'data', `scale-${values.scale}`);
  const token = await mintDevToken(path.join(stateDir, 'dev-keys'), { sub: 'bench', roles: OWNER_ROLES, ttlS: 24 * 3600 });
  const running: Running[] = [];
  try {
    for (const v of variants) {
      log(
        `starting ${v.label} (${v.tree}${
          Object.keys(v.env).length
            ? `, ${Object.entries(v.env)
                .map(([k, x]) => `${k}=${x}`)
                .join(' ')}`
            : ''
        })...`,
      );
      running.push(await start(v, dataRoot, stateDir));
    }
    const lines: string[] = ['| shape | variant | req/s (median; rounds) | p50 ms | CPU ms/request | errors |', '|---|---|---|---|---|---|'];
    for (const shape of shapes) {
      const order = Array.from({ length: rounds }, (_, r) => (r % 2 ? [...running].reverse() : running)).flat();
      const seen = new Map<string, { rps: number[]; p50: number[]; cpu: number[]; errors: number }>(running.map((m) => [m.label, { rps: [], p50: [], cpu: [], errors: 0 }]));
      for (const m of order) {
        log(`  ${shape.id} on ${m.label}...`);
        const load = (d: number) =>
          httpLoad({
            url: m.url,
            body: (i) => JSON.stringify({ query: shape.query, variables: shape.variables(i) }),
            rotating: shape.variables(0) !== undefined,
            headers: bearer(token),
            connections: shape.connections,
            durationS: d,
          });
        await load(1);
        const before = await processCpuMs(m.child.pid!);
        const r = await load(durationS);
        const after = await processCpuMs(m.child.pid!);
        const e = seen.get(m.label)!;
        e.rps.push(r.measurement.reqPerSec);
        e.p50.push(r.measurement.p50Ms);
        e.cpu.push(((after ?? 0) - (before ?? 0)) / Math.max(1, r.sample.latenciesMs.length));
        e.errors += r.failures.non200 + r.failures.graphqlErrors + r.failures.connectionErrors + r.failures.timeouts;
        if (r.failures.sample) log(`    ${m.label}: ${r.failures.sample}`);
      }
      const cell = (xs: number[], digits: number) => `${median(xs).toFixed(digits)} (${xs.map((x) => x.toFixed(digits)).join(' / ')})`;
      for (const [label, e] of seen)
        lines.push(`| ${shape.id} (${shape.connections} conn.) | ${label} | ${cell(e.rps, 0)} | ${cell(e.p50, 2)} | ${cell(e.cpu, 2)} | ${e.errors} |`);
    }
    process.stdout.write(`${lines.join('\n')}\n`);
    return 0;
  } finally {
    for (const m of running) m.child.kill('SIGTERM');
  }
}

class UsageError extends Error {}

function fail(message: string): never {
  throw new UsageError(message);
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    log(`sideBySide: ${(error as Error).message}`);
    process.exit(error instanceof UsageError ? 2 : 1);
  },
);
