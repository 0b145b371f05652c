/**
 * Logs, metrics, alert rules and traces, seen from outside a real mesh: the structured log lines
 * (one summary per GraphQL request with its id, operation and client), traces exported to a real
 * OTLP/HTTP receiver on loopback (gateway request → subgraph call → subgraph request → sql), the
 * metrics the alert rules name, and none of them carrying a token, a variable's value or personal
 * data.
 */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { Writable } from 'node:stream';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { REPO_ROOT } from '../../cli/config.js';
import { createLogger, logTo } from '../../cli/logger.js';
import { OWNER_ROLES, startTestMesh, type TestMesh } from '../support/startTestMesh.js';

/** A tiny OTLP/HTTP receiver: keeps every JSON body POSTed to /v1/traces. */
async function otlpReceiver(): Promise<{ server: Server; url: string; bodies: string[] }> {
  const bodies: string[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.method === 'POST' && req.url === '/v1/traces') bodies.push(Buffer.concat(chunks).toString('utf8'));
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, bodies };
}

interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  attributes: { key: string; value: Record<string, unknown> }[];
}

const spansOf = (bodies: readonly string[]): OtlpSpan[] =>
  bodies.flatMap((b) => (JSON.parse(b) as { resourceSpans: { scopeSpans: { spans: OtlpSpan[] }[] }[] }).resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans)));

const attribute = (span: OtlpSpan, key: string): unknown => {
  const v = span.attributes.find((a) => a.key === key)?.value;
  return v && Object.values(v)[0];
};

let mesh: TestMesh;
let receiver: Awaited<ReturnType<typeof otlpReceiver>>;
const logged: string[] = [];
let token: string;
let email: string;
let metrics: string;
const CLIENT = { 'apollographql-client-name': 'obs-dashboard', 'apollographql-client-version': '1.2.3' };

beforeAll(async () => {
  receiver = await otlpReceiver();
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logged.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  mesh = await startTestMesh({ log: logTo(createLogger({ level: 'debug', format: 'json', destination })), env: { MESHGATE_OTLP_ENDPOINT: receiver.url }, buildTimers: false });
  token = await mesh.token({ sub: 'dana.secret-subject', roles: OWNER_ROLES });
  const first = await mesh.query<{ customers: { email: string }[] }>('{ customers(limit: 1, orderBy: [{ customerId: ASC }]) { email } }');
  email = first.data!.customers[0]!.email;
  const r = await mesh.query(
    'query FindCustomer($email: String!) { customers(where: { email: { eq: $email } }) { customerId email orders(limit: 2) { orderId } } }',
    { email },
    { authorization: `Bearer ${token}`, ...CLIENT, 'x-request-id': 'obs-test-1' },
  );
  expect(r.errors).toBeUndefined();
  await mesh.query('{ nope }', undefined, { 'x-request-id': 'obs-test-bad' });
  metrics = await (await fetch(new URL('/metrics', mesh.running.gateway.url))).text();
  await mesh.close();
  await new Promise((resolve) => setTimeout(resolve, 200));
});
afterAll(() => new Promise((resolve) => receiver?.server.close(resolve)));

const parsedLogs = (): Record<string, unknown>[] => logged.map((l) => JSON.parse(l) as Record<string, unknown>);

describe('the logs', () => {
  it('are JSON lines, each with a time and a level name', () => {
    expect(logged.length).toBeGreaterThan(3);
    for (const line of parsedLogs()) {
      expect(typeof line.time).toBe('string');
      expect(['debug', 'info', 'warn', 'error']).toContain(line.level);
    }
  });

  it('say once per GraphQL request who asked what, how it ended and how long it took', () => {
    const summary = parsedLogs().filter((l) => l.clientRequestId === 'obs-test-1' && typeof l.status === 'number');
    expect(summary).toHaveLength(1);
    expect(summary[0]).toMatchObject({ level: 'debug', operationName: 'FindCustomer', clientName: 'obs-dashboard', clientVersion: '1.2.3', status: 200 });
    expect(typeof summary[0]!.durationMs).toBe('number');
    const bad = parsedLogs().find((l) => l.clientRequestId === 'obs-test-bad' && typeof l.status === 'number');
    expect(bad?.errorCodes).toEqual(['BAD_USER_INPUT']);
  });

  it('never carry the token, its subject, a variable value or the email filtered on', () => {
    const all = logged.join('\n');
    expect(all).not.toContain(token);
    expect(all).not.toContain(token.split('.')[2]!);
    expect(all).not.toContain('dana.secret-subject');
    expect(all).not.toContain(email);
  });
});

describe('the traces', () => {
  it('go gateway request → subgraph call → subgraph request → sql, over the traceparent', () => {
    const spans = spansOf(receiver.bodies);
    const root = spans.find((s) => s.name === 'gateway graphql' && attribute(s, 'meshgate.client_request_id') === 'obs-test-1');
    expect(root).toBeDefined();
    const inTrace = spans.filter((s) => s.traceId === root!.traceId);
    const call = inTrace.find((s) => s.name === 'subgraph customers' && s.parentSpanId === root!.spanId);
    expect(call).toBeDefined();
    const served = inTrace.find((s) => s.name === 'subgraph customers request' && s.parentSpanId === call!.spanId);
    expect(served).toBeDefined();
    const sql = inTrace.find((s) => s.name === 'sql customer-profiles' && s.parentSpanId === served!.spanId);
    expect(sql).toBeDefined();
    expect(attribute(sql!, 'meshgate.product')).toBe('customer-profiles');
    expect(attribute(sql!, 'meshgate.rows')).toBeDefined();
    expect(attribute(root!, 'graphql.operation.name')).toBe('FindCustomer');
    // The orders under the customer are read by commerce, in the same trace.
    expect(inTrace.some((s) => s.name === 'subgraph commerce request')).toBe(true);
  });

  it('never carry the token, its subject, a variable value or the email filtered on', () => {
    const all = receiver.bodies.join('\n');
    expect(all).not.toContain(token.split('.')[2]!);
    expect(all).not.toContain('dana.secret-subject');
    expect(all).not.toContain(email);
    expect(all).not.toContain('SELECT');
  });
});

describe('the metrics', () => {
  it('include the process, runtime, subgraph-call, SQL, error and freshness metrics', () => {
    expect(metrics).toMatch(/^process_resident_memory_bytes \d+/m);
    expect(metrics).toMatch(/^nodejs_eventloop_lag_seconds /m);
    expect(metrics).toMatch(/^meshgate_subgraph_call_duration_seconds_count\{subgraph="customers",outcome="ok"\} \d+$/m);
    expect(metrics).toMatch(/^meshgate_sql_duration_seconds_count\{product="customer-profiles"\} \d+$/m);
    expect(metrics).toMatch(/^meshgate_sql_rows_total\{product="customer-profiles"\} \d+$/m);
    expect(metrics).toMatch(/^meshgate_errors_total\{code="BAD_USER_INPUT"\} 1$/m);
    expect(metrics).toMatch(/^meshgate_access_log_write_seconds_count \d+$/m);
    expect(metrics).toMatch(/^meshgate_product_data_age_seconds\{product="[a-z-]+"\} [\d.e+]+$/m);
    expect(metrics).toContain('# TYPE meshgate_subgraph_circuit_open gauge');
  });

  it('never label a sample with a user, a token or a value from a request', () => {
    expect(metrics).not.toContain('dana.secret-subject');
    expect(metrics).not.toContain(email);
    expect(metrics).not.toContain('FindCustomer');
  });
});

describe('the alert rules', () => {
  const file = path.join(REPO_ROOT, 'deploy', 'prometheus', 'alerts.yml');

  it('name only metrics a real mesh exports', async () => {
    const rules = (parse(await readFile(file, 'utf8')) as { groups: { rules: { alert: string; expr: string }[] }[] }).groups.flatMap((g) => g.rules);
    expect(rules.map((r) => r.alert)).toEqual(
      expect.arrayContaining(['MeshgateProductStale', 'MeshgateBuildFailed', 'MeshgateSubgraphCircuitOpen', 'MeshgateAccessLogUnwritable']),
    );
    for (const rule of rules) {
      const names = rule.expr.match(/\bmeshgate_[a-z_]+/g) ?? [];
      expect(names.length).toBeGreaterThan(0);
      for (const name of names)
        expect({ rule: rule.alert, exported: metrics.includes(`# TYPE ${name.replace(/_(bucket|sum|count)$/, '')} `) }).toEqual({ rule: rule.alert, exported: true });
    }
  });

  it('pass promtool check rules, where promtool is installed (PROMTOOL or on PATH)', async () => {
    const promtool = process.env.PROMTOOL ?? 'promtool';
    const run = await promisify(execFile)(promtool, ['check', 'rules', file]).catch((error: NodeJS.ErrnoException) => (error.code === 'ENOENT' ? null : Promise.reject(error)));
    if (run) expect(run.stdout).toContain('SUCCESS');
  });
});
