/**
 * One autocannon run against a GraphQL endpoint, timing every response itself (autocannon's own
 * histogram keeps whole milliseconds, too coarse next to a sub-millisecond floor) and counting every
 * failure: a non-200 status, a GraphQL `errors` entry, a connection error or a timeout.
 */
import autocannon from 'autocannon';
import { summarize, type Measurement, type RunSample } from './stats.js';

/** What to send, where, and for how long. */
export interface HttpLoadOptions {
  /** The GraphQL endpoint, e.g. `http://127.0.0.1:4000/graphql`. */
  readonly url: string;
  /** The i-th request's JSON body. */
  readonly body: (i: number) => string;
  /** Whether the body changes from request to request (otherwise it is built once). */
  readonly rotating: boolean;
  /** Headers sent with every request, besides the content type. */
  readonly headers?: Readonly<Record<string, string>>;
  /** Headers that change from request to request (e.g. a fresh bearer token), set on the i-th request over `headers`. */
  readonly headersOf?: (i: number) => Readonly<Record<string, string>>;
  readonly connections: number;
  readonly durationS: number;
  /** The index of the first request (its body and headers); a target's runs go on where the last one stopped. */
  readonly first?: number;
}

/** Failures seen during a run; any of them makes the run worthless. */
export interface Failures {
  non200: number;
  graphqlErrors: number;
  connectionErrors: number;
  timeouts: number;
  /** The first failing response, shortened. */
  sample?: string;
}

/** A run's measurement, its raw latencies (to merge runs) and its failures. */
export interface HttpLoadResult {
  readonly measurement: Measurement;
  readonly sample: RunSample;
  readonly failures: Failures;
  /** How many requests were started (the next run's first index is `first + started`). */
  readonly started: number;
}

/** The total of a run's failures. */
export const failureCount = (f: Failures): number => f.non200 + f.graphqlErrors + f.connectionErrors + f.timeouts;

/** Runs autocannon with the given options and resolves when it is done. */
export async function httpLoad(options: HttpLoadOptions): Promise<HttpLoadResult> {
  const url = new URL(options.url);
  const failures: Failures = { non200: 0, graphqlErrors: 0, connectionErrors: 0, timeouts: 0 };
  const latencies: number[] = [];
  const first = options.first ?? 0;
  let next = first;
  const headers = { ...options.headers, 'content-type': 'application/json' };
  const request: autocannon.Request = {
    method: 'POST',
    path: url.pathname + url.search,
    headers,
    body: options.body(first),
    onResponse(status, body) {
      if (status !== 200) {
        failures.non200++;
        failures.sample ??= `HTTP ${status}: ${body.slice(0, 300)}`;
      } else if (!body.startsWith('{"data":{') || body.includes('"errors"')) {
        failures.graphqlErrors++;
        failures.sample ??= body.slice(0, 300);
      }
    },
  };
  const { rotating, headersOf } = options;
  // Every request goes through here, so the run knows how many it started (the servers' work), not only how many answered in time.
  request.setupRequest = (r) => {
    const i = next++;
    return rotating || headersOf ? { ...r, ...(rotating && { body: options.body(i) }), ...(headersOf && { headers: { ...headers, ...headersOf(i) } }) } : r;
  };
  const started = process.hrtime.bigint();
  const instance = autocannon({ url: url.origin, connections: options.connections, duration: options.durationS, timeout: 10, requests: [request] });
  instance.on('response', (_client: unknown, status: number, _bytes: number, ms: number) => {
    if (status === 200) latencies.push(ms);
  });
  instance.on('reqError', (error: Error) => void (failures.sample ??= error.message));
  const result = await instance;
  const elapsedMs = Number(process.hrtime.bigint() - started) / 1e6;
  failures.timeouts = result.timeouts;
  failures.connectionErrors = result.errors - result.timeouts;
  return { measurement: summarize(latencies, elapsedMs), sample: { latenciesMs: latencies, elapsedMs }, failures, started: next - first };
}
