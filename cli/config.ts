/**
 * The runtime configuration, validated once, here at the edge: meshgate.yaml (found by
 * configuration/readConfigFile.ts) under the environment, whose MESHGATE_* variables win, and
 * secrets from `<SECRET>_FILE` files. A bad value names the key as written (`gateway.port` in the
 * file, `MESHGATE_GATEWAY_PORT` in the environment) and what was there. The Config keeps the
 * variables' names: nothing deeper knows the file exists, and nothing deeper re-checks a value.
 */
import path from 'node:path';
import { envSchema, port, REPO_ROOT, type EnvConfig } from './configuration/envSchema.js';
import { domainOfVar } from './configuration/fileKeys.js';
import { describeValue } from './configuration/messages.js';
import { locateConfigFile, readConfigFile } from './configuration/readConfigFile.js';
import { readSecretFiles } from './configuration/readSecretFiles.js';

export { REPO_ROOT };

/** Default ports of the sample mesh's subgraphs (README.md, "Command line"). */
export const DEFAULT_SUBGRAPH_PORTS: Readonly<Record<string, number>> = { customers: 4001, commerce: 4002, payments: 4003, governance: 4004 };

/** The validated configuration. */
export type Config = EnvConfig & {
  readonly subgraphPorts: Readonly<Record<string, number>>;
  /** Per domain, MESHGATE_<DOMAIN>_URL (or the file's `subgraphs.<domain>.url`) as given: one URL, or several comma-separated (replicas). */
  readonly subgraphUrls: Readonly<Record<string, string>>;
  readonly accessLogDir: string;
  /** The meshgate.yaml read, if any. */
  readonly configFile: string | undefined;
};

/** What the configuration is made of before validation: every variable's text and where it came from. */
export interface ConfigSources {
  readonly input: Readonly<Record<string, string>>;
  /** How a message names a variable's source: `MESHGATE_X`, `MESHGATE_X_FILE (path)`, or `key (file, line n; MESHGATE_X)`. */
  readonly sourceOf: (name: string) => string;
  /** Where each variable came from, for `meshgate config`. */
  readonly kindOf: (name: string) => 'environment' | 'secret file' | 'file' | 'default';
  readonly file: string | undefined;
}

/** Gathers the file, the secret files and the environment (the environment wins; an empty variable counts as unset). */
export function configSources(env: NodeJS.ProcessEnv = process.env): ConfigSources {
  const file = readConfigFile(locateConfigFile(env));
  const secrets = readSecretFiles(env);
  const fromEnv = Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined && e[1] !== ''));
  const input = { ...file.values, ...fromEnv, ...secrets.values };
  const kindOf = (name: string): ReturnType<ConfigSources['kindOf']> =>
    name in fromEnv ? 'environment' : secrets.origins.has(name) ? 'secret file' : file.origins.has(name) ? 'file' : 'default';
  const sourceOf = (name: string): string => {
    const o = file.origins.get(name);
    if (kindOf(name) !== 'file' || !o) return secrets.origins.get(name) ?? name;
    return `${o.key} (${file.file}${o.line ? `, line ${o.line}` : ''}; ${name})`;
  };
  return { input, sourceOf, kindOf, file: file.file };
}

/** Fixed variables that end like a domain's (`MESHGATE_<DOMAIN>_PORT`, `_URL`) but are not one. */
const NOT_A_DOMAIN = /^MESHGATE_(GATEWAY|METRICS|JWKS|INPUT_.+|.+_METRICS)_(PORT|URL)$/;

/** Reads the configuration (meshgate.yaml, then `env`); throws an Error whose message names every bad key or variable and its value. */
export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const sources = configSources(env);
  const { input, sourceOf } = sources;
  const parsed = envSchema.safeParse(input);
  if (!parsed.success) {
    const name = (i: { path: PropertyKey[] }): string => String(i.path[0]);
    throw new Error(`bad configuration: ${parsed.error.issues.map((i) => `${sourceOf(name(i))}: ${i.message} (got ${describeValue(name(i), input[name(i)])})`).join('; ')}`);
  }
  const subgraphPorts: Record<string, number> = { ...DEFAULT_SUBGRAPH_PORTS };
  const subgraphUrls: Record<string, string> = {};
  for (const [name, value] of Object.entries(input)) {
    const m = /^MESHGATE_([A-Z0-9_]+)_(PORT|URL)$/.exec(name);
    if (!m || NOT_A_DOMAIN.test(name)) continue;
    const domain = domainOfVar(m[1]!);
    if (m[2] === 'URL') {
      subgraphUrls[domain] = value;
      continue;
    }
    const p = port.safeParse(value);
    if (!p.success) throw new Error(`bad configuration: ${sourceOf(name)}: expected a port number (got ${JSON.stringify(value)})`);
    subgraphPorts[domain] = p.data;
  }
  const accessLogDir = parsed.data.MESHGATE_ACCESS_LOG_DIR ?? path.join(parsed.data.MESHGATE_DATA_DIR, 'governance', 'access-log-raw');
  if (parsed.data.NODE_ENV === 'production' && parsed.data.MESHGATE_ACCESS_LOG === 'off')
    throw new Error(`bad configuration: ${sourceOf('MESHGATE_ACCESS_LOG')}: off is refused when NODE_ENV=production`);
  return { ...parsed.data, subgraphPorts, subgraphUrls, accessLogDir, configFile: sources.file };
}
