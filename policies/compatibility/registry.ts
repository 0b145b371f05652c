/**
 * The schema registry kept in the repository: `schema-registry/<product>/<version>.json` holds the
 * contract each product registered at that version (`meshgate contract register`), as normalised
 * JSON, so a review sees exactly what changed and `meshgate check --base registry` compares with it.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { CLASSIFICATIONS, COMPATIBILITY_MODES, LOGICAL_TYPES, zodProblems, type Contract } from '../../schema/index.js';

/** The registry folder, relative to the repository root. */
export const REGISTRY_DIR = 'schema-registry';

/** One registered contract version. */
export interface RegisteredContract {
  readonly product: string;
  readonly version: string;
  readonly contract: Contract;
  /** The entry's file, relative to the repository root. */
  readonly file: string;
}

const field = z.strictObject({
  name: z.string(),
  type: z.enum(LOGICAL_TYPES),
  description: z.string().optional(),
  nullable: z.boolean(),
  key: z.boolean(),
  references: z.strictObject({ product: z.string(), field: z.string() }).optional(),
  classification: z.enum(CLASSIFICATIONS),
  purposes: z.array(z.string()),
  enum: z.array(z.string()).optional(),
  precision: z.number().int().optional(),
  scale: z.number().int().optional(),
  enumName: z.string().optional(),
  // A list's element type and a struct's members, as the contract model writes them (schema/contract/types.ts).
  items: z.looseObject({ type: z.enum(LOGICAL_TYPES) }).optional(),
  members: z.array(z.looseObject({ name: z.string(), type: z.enum(LOGICAL_TYPES) })).optional(),
  structName: z.string().optional(),
});

const contractSchema = z.strictObject({
  typeName: z.string(),
  listField: z.string(),
  version: z.string().regex(/^\d+\.\d+\.\d+([-+].*)?$/, 'a semantic version such as "1.0.0"'),
  description: z.string().optional(),
  fields: z.array(field).min(1),
  keys: z.array(z.string()),
  compatibility: z.enum(COMPATIBILITY_MODES),
  purposes: z.array(z.string()),
  quality: z.array(z.looseObject({ metric: z.string() })),
  // Entries registered before keyless products, composite references and measures existed have none.
  order: z.array(z.string()).default([]),
  references: z.array(z.looseObject({ product: z.string(), columns: z.array(z.string()), fields: z.array(z.string()) })).default([]),
  measures: z.array(z.looseObject({ name: z.string(), aggregate: z.string() })).default([]),
});

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]),
  );
}

/** The registry form of a contract: keys sorted, two-space indent, one trailing newline. */
export function normalisedJson(contract: Contract): string {
  // An empty order, composite-reference or measure list is left out, so entries registered before they existed read the same.
  const { order, references, measures, ...rest } = contract;
  const optional = { ...(order.length && { order }), ...(references.length && { references }), ...(measures.length && { measures }) };
  return `${JSON.stringify(sortKeys({ ...rest, ...optional }), null, 2)}\n`;
}

/** Orders semantic versions numerically (`1.10.0` after `1.9.0`); a pre-release sorts before its release. */
export function compareVersions(a: string, b: string): number {
  const parse = (v: string): [number[], string] => {
    const [core = '', pre = ''] = v.split(/[-+]/, 2);
    return [core.split('.').map(Number), pre];
  };
  const [ca, pa] = parse(a);
  const [cb, pb] = parse(b);
  for (let i = 0; i < 3; i++) if ((ca[i] ?? 0) !== (cb[i] ?? 0)) return (ca[i] ?? 0) - (cb[i] ?? 0);
  if (pa === pb) return 0;
  return pa === '' ? 1 : pb === '' ? -1 : pa.localeCompare(pb);
}

/** Reads one registry entry, checking it is a contract registered under its own version. */
async function readEntry(repoRoot: string, product: string, name: string): Promise<RegisteredContract | { error: string }> {
  const file = path.join(REGISTRY_DIR, product, name);
  let json: unknown;
  try {
    json = JSON.parse(await readFile(path.join(repoRoot, file), 'utf8'));
  } catch (error) {
    return { error: `${file}: expected a registered contract in JSON: ${(error as Error).message.split('\n')[0]}` };
  }
  const parsed = contractSchema.safeParse(json);
  if (!parsed.success)
    return {
      error: zodProblems(file, parsed.error)
        .map((p) => `${p.file}: ${p.path}: ${p.message}`)
        .join('; '),
    };
  const version = name.slice(0, -'.json'.length);
  if (parsed.data.version !== version) return { error: `${file}: version: expected "${version}" (the file's name), got "${parsed.data.version}"` };
  return { product, version, contract: parsed.data as unknown as Contract, file };
}

/** Reads the latest registered version of every product, or says which entry is unreadable. */
export async function readLatestRegistered(repoRoot: string): Promise<{ value: Map<string, RegisteredContract> } | { error: string }> {
  const root = path.join(repoRoot, REGISTRY_DIR);
  let products: string[];
  try {
    products = (await readdir(root, { withFileTypes: true }))
      .filter((e) => e.isDirectory())
      .map((e) => e.name)
      .sort();
  } catch {
    return { error: `no schema registry at ${root}: expected a "${REGISTRY_DIR}/<product>/<version>.json" folder (create it with \`meshgate contract register PRODUCT\`)` };
  }
  const latest = new Map<string, RegisteredContract>();
  for (const product of products) {
    const names = (await readdir(path.join(root, product))).filter((n) => n.endsWith('.json'));
    names.sort((a, b) => compareVersions(a.slice(0, -5), b.slice(0, -5)));
    const last = names.at(-1);
    if (!last) continue;
    const entry = await readEntry(repoRoot, product, last);
    if ('error' in entry) return entry;
    latest.set(product, entry);
  }
  return { value: latest };
}
