import type { Log } from '../schema/index.js';
import type { RequestContext } from './context.js';
import type { GatewayOptions, SubgraphService } from './GatewayOptions.js';
import type { GraphiQLGuide } from './graphiql/GraphiQLGuide.js';

/** Gateway options with every default applied and every value checked. */
export interface ValidGatewayOptions {
  readonly services: readonly SubgraphService[];
  readonly host: string;
  readonly port: number;
  readonly subgraphTimeoutMs: number;
  readonly maxBodyBytes: number;
  readonly log: Log;
  readonly headersForSubgraph: (ctx: RequestContext) => Record<string, string>;
  readonly mergeInFlight: boolean;
  readonly graphiql?: GraphiQLGuide;
  readonly corsOrigins: readonly string[];
  readonly headersTimeoutMs: number;
  readonly requestTimeoutMs: number;
  readonly keepAliveTimeoutMs: number;
  readonly maxConnections: number;
  readonly shutdownGraceMs: number;
  readonly breakerFailures: number;
  readonly breakerResetMs: number;
  readonly outageLogIntervalMs: number;
  readonly leftOut: readonly string[];
}

const SERVICE_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;

function describe(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

function getValidInteger(name: string, value: unknown, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new TypeError(`gateway option ${name} must be an integer from ${min} to ${max}, got ${describe(value)}`);
  }
  return value;
}

function isHttpUrl(value: unknown): value is string {
  try {
    const { protocol } = new URL(typeof value === 'string' ? value : '');
    return protocol === 'http:' || protocol === 'https:';
  } catch {
    return false;
  }
}

function getValidService(value: unknown, index: number, seen: Set<string>): SubgraphService {
  const where = `gateway option services[${index}]`;
  if (typeof value !== 'object' || value === null) throw new TypeError(`${where} must be an object, got ${describe(value)}`);
  const { name, url, typeDefs, transport } = value as Record<string, unknown>;
  if (typeof name !== 'string' || !SERVICE_NAME.test(name)) {
    throw new TypeError(`${where}.name must be a short identifier, got ${describe(name)}`);
  }
  if (seen.has(name)) throw new TypeError(`${where}.name ${describe(name)} is used twice`);
  seen.add(name);
  const { urls } = value as Record<string, unknown>;
  if (urls !== undefined && (!Array.isArray(urls) || urls.length === 0)) throw new TypeError(`${where}.urls must be a non-empty list of URLs, got ${describe(urls)}`);
  const all: unknown[] = urls === undefined ? [url] : (urls as unknown[]);
  all.forEach((u, i) => {
    if (!isHttpUrl(u)) throw new TypeError(`${where}.${urls === undefined ? 'url' : `urls[${i}]`} must be an http(s) URL, got ${describe(u)}`);
  });
  if (!isHttpUrl(url)) throw new TypeError(`${where}.url must be an http(s) URL, got ${describe(url)}`);
  if (typeof typeDefs !== 'string' || typeDefs.trim() === '') {
    throw new TypeError(`${where}.typeDefs must be the subgraph's SDL as a non-empty string`);
  }
  if (transport !== undefined && (typeof transport !== 'object' || transport === null || typeof (transport as { send?: unknown }).send !== 'function')) {
    throw new TypeError(`${where}.transport must be a transport with a send(request, signal) method, got ${describe(transport)}`);
  }
  return {
    name,
    url: url as string,
    urls: Object.freeze(all as string[]),
    typeDefs,
    ...(transport !== undefined && { transport: transport as SubgraphService['transport'] & object }),
  };
}

/** Checks the subgraphs to compose (at start and on every re-composition), throwing a TypeError naming the bad one. */
export function getValidServices(value: unknown): readonly SubgraphService[] {
  if (!Array.isArray(value) || value.length === 0) {
    throw new TypeError(`gateway option services must be a non-empty array, got ${describe(value)}`);
  }
  const seen = new Set<string>();
  return Object.freeze(value.map((service: unknown, index) => getValidService(service, index, seen)));
}

function getValidBoolean(name: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw new TypeError(`gateway option ${name} must be true or false, got ${describe(value)}`);
  return value;
}

function getValidFunction<F>(name: string, value: unknown, fallback: F): F {
  if (value === undefined) return fallback;
  if (typeof value !== 'function') throw new TypeError(`gateway option ${name} must be a function, got ${describe(value)}`);
  return value as F;
}

const isExample = (e: unknown): boolean =>
  typeof e === 'object' && e !== null && typeof (e as Record<string, unknown>)['title'] === 'string' && typeof (e as Record<string, unknown>)['query'] === 'string';
const isStringList = (v: unknown): boolean => Array.isArray(v) && v.every((x) => typeof x === 'string');

function getValidGuide(value: unknown): GraphiQLGuide | undefined {
  if (value === undefined) return undefined;
  const { examples, welcome, devTokens } = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
  if (!Array.isArray(examples) || !examples.every(isExample)) throw new TypeError('gateway option graphiql.examples must be a list of { title, query } examples');
  if (welcome !== undefined && !isExample(welcome)) throw new TypeError('gateway option graphiql.welcome must be a { title, query } example');
  if (devTokens !== undefined) {
    const { roles, purposes, mint } = (typeof devTokens === 'object' && devTokens !== null ? devTokens : {}) as Record<string, unknown>;
    if (!isStringList(roles) || !isStringList(purposes) || typeof mint !== 'function')
      throw new TypeError('gateway option graphiql.devTokens must have roles and purposes (lists of strings) and a mint function');
  }
  return value as GraphiQLGuide;
}

/** Each origin must be exactly an origin (scheme, host, optional port: what a browser sends in `Origin`), or `*`. */
function getValidOrigins(value: unknown): readonly string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new TypeError(`gateway option corsOrigins must be a list of origins, got ${describe(value)}`);
  return Object.freeze(
    value.map((o: unknown, i) => {
      if (o === '*') return o;
      let origin: string | undefined;
      try {
        origin = typeof o === 'string' ? new URL(o).origin : undefined;
      } catch {
        origin = undefined;
      }
      if (origin === undefined || origin !== o || !/^https?:/.test(origin))
        throw new TypeError(`gateway option corsOrigins[${i}] must be an origin such as "https://app.example.com" (no path, no trailing slash) or "*", got ${describe(o)}`);
      return origin;
    }),
  );
}

function getValidLeftOut(value: unknown): readonly string[] {
  if (value === undefined) return [];
  if (!isStringList(value)) throw new TypeError(`gateway option leftOut must be a list of domain names, got ${describe(value)}`);
  return Object.freeze([...(value as string[])]);
}

/** Checks the options once at the edge, applies the defaults, and throws a TypeError naming the option and the bad value. */
export function validateGatewayOptions(options: GatewayOptions): ValidGatewayOptions {
  if (typeof options !== 'object' || options === null) throw new TypeError('gateway options must be an object');
  const host = options.host ?? '127.0.0.1';
  if (typeof host !== 'string' || host === '') throw new TypeError(`gateway option host must be a non-empty string, got ${describe(host)}`);
  return {
    services: getValidServices(options.services),
    host,
    port: getValidInteger('port', options.port, 4000, 0, 65_535),
    subgraphTimeoutMs: getValidInteger('subgraphTimeoutMs', options.subgraphTimeoutMs, 10_000, 1, 600_000),
    maxBodyBytes: getValidInteger('maxBodyBytes', options.maxBodyBytes, 1024 * 1024, 1, 100 * 1024 * 1024),
    log: getValidFunction('log', options.log, (line: string) => void process.stderr.write(`${line}\n`)),
    headersForSubgraph: getValidFunction('headersForSubgraph', options.headersForSubgraph, () => ({})),
    mergeInFlight: getValidBoolean('mergeInFlight', options.mergeInFlight, true),
    graphiql: getValidGuide(options.graphiql),
    corsOrigins: getValidOrigins(options.corsOrigins),
    headersTimeoutMs: getValidInteger('headersTimeoutMs', options.headersTimeoutMs, 10_000, 1, 3_600_000),
    requestTimeoutMs: getValidInteger('requestTimeoutMs', options.requestTimeoutMs, 30_000, 1, 3_600_000),
    keepAliveTimeoutMs: getValidInteger('keepAliveTimeoutMs', options.keepAliveTimeoutMs, 5_000, 1, 3_600_000),
    maxConnections: getValidInteger('maxConnections', options.maxConnections, 1_024, 1, 1_000_000),
    shutdownGraceMs: getValidInteger('shutdownGraceMs', options.shutdownGraceMs, 5_000, 0, 3_600_000),
    breakerFailures: getValidInteger('breakerFailures', options.breakerFailures, 5, 1, 1_000),
    breakerResetMs: getValidInteger('breakerResetMs', options.breakerResetMs, 10_000, 1, 600_000),
    outageLogIntervalMs: getValidInteger('outageLogIntervalMs', options.outageLogIntervalMs, 10_000, 1, 3_600_000),
    leftOut: getValidLeftOut(options.leftOut),
  };
}
