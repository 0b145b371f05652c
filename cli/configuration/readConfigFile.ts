/**
 * Finds and reads meshgate.yaml: MESHGATE_CONFIG (a path; it must exist), else ./meshgate.yaml in
 * the working directory, else the one at the repository root; none is the defaults. The file is
 * validated against its schema (fileSchema.ts) and turned into the variables it sets, each with the
 * key it came from, so a later message can name the key as written.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { isMap, isScalar, LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';
import { REPO_ROOT } from './envSchema.js';
import { domainVar, FILE_KEYS } from './fileKeys.js';
import { fileSchema, keysAt } from './fileSchema.js';
import { describeValue, didYouMean } from './messages.js';

/** Where a variable's value came from the file: its key as written and its line. */
export interface FileOrigin {
  readonly key: string;
  readonly line: number | undefined;
}

/** What the file sets: variable name to its text, and where each came from. */
export interface ConfigFileRead {
  readonly file: string | undefined;
  readonly values: Readonly<Record<string, string>>;
  readonly origins: ReadonlyMap<string, FileOrigin>;
}

/** The file in use, or undefined when there is none. */
export function locateConfigFile(env: NodeJS.ProcessEnv, cwd = process.cwd()): string | undefined {
  if (env.MESHGATE_CONFIG) {
    const file = path.resolve(cwd, env.MESHGATE_CONFIG);
    if (!existsSync(file)) throw new Error(`bad configuration: MESHGATE_CONFIG: no such file (got ${JSON.stringify(env.MESHGATE_CONFIG)})`);
    return file;
  }
  return [path.join(cwd, 'meshgate.yaml'), path.join(REPO_ROOT, 'meshgate.yaml')].find((f) => existsSync(f));
}

type Data = Record<string, unknown>;

const at = (data: unknown, keys: readonly string[]): unknown => keys.reduce<unknown>((node, k) => (node && typeof node === 'object' ? (node as Data)[k] : undefined), data);

/** The text a file value gives its variable. */
function asVariable(kind: (typeof FILE_KEYS)[number]['kind'], value: unknown, file: string): string {
  if (kind === 'list' || Array.isArray(value)) return Array.isArray(value) ? value.join(',') : String(value);
  if (kind === 'switch') return value ? 'on' : 'off';
  if (kind === 'path') return path.resolve(path.dirname(file), String(value));
  return String(value);
}

/** Reads and validates the file; throws an Error naming every bad key, its line and its value. */
export function readConfigFile(file: string | undefined): ConfigFileRead {
  if (file === undefined) return { file, values: {}, origins: new Map() };
  const lines = new LineCounter();
  const doc = parseDocument(readFileSync(file, 'utf8'), { lineCounter: lines, prettyErrors: false });
  if (doc.errors.length > 0) throw new Error(`bad configuration: ${file} is not valid YAML (${doc.errors[0]!.message.split('\n')[0]})`);
  const data: unknown = doc.toJS() ?? {};
  // The line of the key itself (a block map's value starts on the next line).
  const lineOf = (keys: readonly PropertyKey[]): number | undefined => {
    const parent = keys.length > 1 ? doc.getIn(keys.slice(0, -1), true) : doc.contents;
    const pair = isMap(parent) ? parent.items.find((p) => isScalar(p.key) && p.key.value === keys.at(-1)) : undefined;
    const range = (isScalar(pair?.key) ? pair.key.range : undefined) ?? (doc.getIn(keys, true) as { range?: [number, number] } | undefined)?.range;
    return range ? lines.linePos(range[0]).line : undefined;
  };
  const where = (keys: readonly PropertyKey[]): string => {
    const line = lineOf(keys);
    return `${file}${line ? `, line ${line}` : ''}`;
  };
  const parsed = fileSchema.safeParse(data);
  if (!parsed.success) {
    // In the file's order, as a reader goes through it.
    const first = (i: z.core.$ZodIssue): number => lineOf(i.code === 'unrecognized_keys' ? [...i.path, i.keys[0]!] : i.path) ?? 0;
    const issues = [...parsed.error.issues].sort((a, b) => first(a) - first(b));
    throw new Error(`bad configuration: ${issues.map((i) => describeIssue(i, data, where)).join('; ')}`);
  }
  const values: Record<string, string> = {};
  const origins = new Map<string, FileOrigin>();
  const set = (env: string, key: string, text: string): void => {
    values[env] = text;
    origins.set(env, { key, line: lineOf(key.split('.')) });
  };
  for (const fk of FILE_KEYS) {
    const value = at(data, fk.key.split('.'));
    // An empty list (`corsOrigins: []`) is the same as leaving the key out.
    if (value !== undefined && value !== null && !(Array.isArray(value) && value.length === 0)) set(fk.env, fk.key, asVariable(fk.kind, value, file));
  }
  for (const [domain, entry] of Object.entries((data as Data).subgraphs ?? {}) as [string, { port?: number; url?: string | string[] }][]) {
    if (entry.port !== undefined) set(domainVar(domain, 'PORT'), `subgraphs.${domain}.port`, String(entry.port));
    if (entry.url !== undefined) set(domainVar(domain, 'URL'), `subgraphs.${domain}.url`, asVariable('list', entry.url, file));
  }
  return { file, values, origins };
}

/** One sentence per zod issue: the key as written, where, what was expected and what was there. */
function describeIssue(issue: z.core.$ZodIssue, data: unknown, where: (keys: readonly PropertyKey[]) => string): string {
  if (issue.code === 'unrecognized_keys') {
    return issue.keys
      .map((key) => {
        const full = [...issue.path, key].join('.');
        return `${full} (${where([...issue.path, key])}): unknown key${didYouMean(key, issue.path, keysAt(issue.path))}`;
      })
      .join('; ');
  }
  const key = issue.path.join('.') || '(the top)';
  const value = at(data, issue.path.map(String));
  const env = FILE_KEYS.find((fk) => fk.key === key)?.env;
  return `${key} (${where(issue.path)}): ${issue.message} (got ${describeValue(env, value)})`;
}
