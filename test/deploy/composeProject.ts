/**
 * docker-compose.yml read the way Compose reads it, for tests that cannot run Docker: the YAML with
 * its merge keys, `${VAR}` interpolation from the project's `.env`, and each service's environment
 * as its container sees it (the image's ENV, then `env_file`, then `environment`, later winning).
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'yaml';
import { REPO_ROOT } from '../../cli/config.js';

/** One service as the tests read it (after interpolation). */
export interface ComposeService {
  readonly command: string[];
  readonly environment?: Record<string, string>;
  readonly env_file?: string | string[];
  readonly volumes?: string[];
  readonly ports?: string[];
  readonly restart?: string;
  readonly depends_on?: string[] | Record<string, { condition: string }>;
  readonly healthcheck?: { test: string[]; interval?: string; timeout?: string; retries?: number; start_period?: string };
}

/** The compose file's services, by name. */
export type ComposeServices = Record<string, ComposeService>;

/** Reads `KEY=value` lines as Compose does for `.env` and `env_file` (no quotes, `#` lines are comments). */
export function parseEnvFile(text: string): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const m = /^\s*([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
    if (m) vars[m[1]!] = m[2]!.trim();
  }
  return vars;
}

/** Compose's interpolation of one string: `$$`, `$VAR`, `${VAR}`, `${VAR:-default}`, `${VAR-default}`, `${VAR:?error}`, `${VAR?error}`. */
export function interpolate(text: string, vars: Readonly<Record<string, string>>): string {
  return text.replace(
    /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?)([-?])([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g,
    (all, name?: string, colon?: string, op?: string, arg?: string, bare?: string) => {
      if (all === '$$') return '$';
      if (bare) return vars[bare] ?? '';
      const value = vars[name!];
      const missing = value === undefined || (colon === ':' && value === '');
      if (!op || !missing) return value ?? '';
      if (op === '-') return arg ?? '';
      throw new Error(`required variable ${name} is missing a value: ${arg}`);
    },
  );
}

/** Every string inside `value` interpolated (keys are left as they are, as Compose does). */
function interpolateAll(value: unknown, vars: Readonly<Record<string, string>>): unknown {
  if (typeof value === 'string') return interpolate(value, vars);
  if (Array.isArray(value)) return value.map((v) => interpolateAll(v, vars));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, interpolateAll(v, vars)]));
  return value;
}

/** The services of the repository's docker-compose.yml, interpolated with `vars` (a project's `.env`). */
export async function readComposeServices(vars: Readonly<Record<string, string>>): Promise<ComposeServices> {
  const doc = parse(await readFile(path.join(REPO_ROOT, 'docker-compose.yml'), 'utf8'), { merge: true }) as { services: Record<string, unknown> };
  return interpolateAll(doc.services, vars) as ComposeServices;
}

/** The ENV of the Dockerfile's final stage (what every container starts with). */
export async function imageEnvironment(): Promise<Record<string, string>> {
  const text = await readFile(path.join(REPO_ROOT, 'Dockerfile'), 'utf8');
  const finalStage = text.slice(text.lastIndexOf('\nFROM '));
  const env: Record<string, string> = {};
  for (const line of finalStage.split('\n')) {
    if (!line.startsWith('ENV ')) continue;
    for (const pair of line.slice(4).trim().split(/\s+/)) {
      const eq = pair.indexOf('=');
      env[pair.slice(0, eq)] = pair.slice(eq + 1);
    }
  }
  return env;
}

/** The environment a service's container sees: the image's ENV, then its env files (read from `projectDir`), then its `environment`. */
export async function containerEnvironment(service: ComposeService, projectDir: string, image: Readonly<Record<string, string>>): Promise<Record<string, string>> {
  const files = service.env_file === undefined ? [] : [service.env_file].flat();
  const fromFiles = await Promise.all(files.map(async (f) => parseEnvFile(await readFile(path.resolve(projectDir, f), 'utf8'))));
  return Object.assign({}, image, ...fromFiles, service.environment ?? {}) as Record<string, string>;
}

/** The services a service waits for, with the condition of each. */
export function dependencies(service: ComposeService): [string, string][] {
  const d = service.depends_on;
  if (!d) return [];
  return Array.isArray(d) ? d.map((name) => [name, 'service_started']) : Object.entries(d).map(([name, v]) => [name, v.condition]);
}

/** A volume entry as source, target and whether it is read-only. */
export function volumeMount(entry: string): { source: string; target: string; readOnly: boolean } {
  const [source, target, mode] = entry.split(':') as [string, string, string | undefined];
  return { source, target, readOnly: mode === 'ro' };
}
