/**
 * The zod schema of meshgate.yaml, built from the table (fileKeys.ts) and the variables' own schema,
 * so a key is checked exactly as its variable is; and the JSON Schema editors read, generated from it
 * (schema/meshgate.schema.json, kept up to date by a test).
 */
import { z } from 'zod';
import { envSchema, port } from './envSchema.js';
import { FILE_KEYS, type FileKey } from './fileKeys.js';

/** A node of the file's key tree: a leaf's schema, or the keys below. */
type Tree = { [key: string]: Tree | z.ZodType };

/** The variable's schema without its default (the file may leave any key out), and that default. */
function unwrap(env: FileKey['env']): { inner: z.ZodType; fallback: unknown } {
  const s: z.ZodType = envSchema.shape[env];
  if (s instanceof z.ZodDefault) return { inner: s.unwrap() as z.ZodType, fallback: s.def.defaultValue };
  if (s instanceof z.ZodOptional) return { inner: s.unwrap() as z.ZodType, fallback: undefined };
  return { inner: s, fallback: undefined };
}

/** A file key's schema: its variable's, in the shape YAML writes it. */
function leaf(fk: FileKey): z.ZodType {
  const { inner, fallback } = unwrap(fk.env);
  const meta = (s: z.ZodType, value: unknown): z.ZodType => s.optional().meta({ description: fk.doc, ...(value !== undefined && { default: value }) });
  switch (fk.kind) {
    case 'value':
      return meta(inner, fallback);
    case 'list':
      return meta(
        z.union([z.array(z.string().min(1)), z.string().min(1)], { error: 'expected a list of strings, or one string' }),
        typeof fallback === 'string' ? fallback.split(',') : undefined,
      );
    case 'switch':
      return meta(z.boolean(), fallback === undefined ? undefined : fallback === 'on');
    case 'path':
      // A path's default depends on where meshgate is installed: said in the description, never in the schema.
      return meta(z.string().min(1), undefined);
  }
}

/** One domain's entry under `subgraphs:`. */
const subgraphEntry = z.strictObject({
  port: port.optional().meta({ description: "The domain's subgraph port (MESHGATE_<DOMAIN>_PORT)." }),
  url: z
    .union([z.url({ protocol: /^https?$/ }), z.array(z.url({ protocol: /^https?$/ })).min(1)], { error: 'expected an http(s) URL, or a list of them' })
    .optional()
    .meta({ description: "Where the gateway calls the domain's subgraph; a list for replicas (MESHGATE_<DOMAIN>_URL)." }),
});

function toSchema(tree: Tree): z.ZodType {
  const shape: Record<string, z.ZodType> = {};
  for (const [key, node] of Object.entries(tree)) shape[key] = node instanceof z.ZodType ? node : toSchema(node).optional();
  return z.strictObject(shape);
}

/** The file's key tree, from the table (and `subgraphs`). */
function keyTree(): Tree {
  const tree: Tree = {};
  for (const fk of FILE_KEYS) {
    const parts = fk.key.split('.');
    let node = tree;
    for (const part of parts.slice(0, -1)) node = (node[part] ??= {}) as Tree;
    node[parts.at(-1)!] = leaf(fk);
  }
  tree.subgraphs = z
    .record(z.string().regex(/^[a-z][a-z0-9-]*$/, 'a domain name: lower case letters, digits and "-"'), subgraphEntry)
    .optional()
    .meta({ description: 'Per domain (its folder under subgraphsDir): where its subgraph listens and where the gateway calls it.' });
  return tree;
}

/** The schema meshgate.yaml is validated with. */
export const fileSchema = toSchema(keyTree());

/** The keys each object of the file allows, by its dotted path (`''` the top): what did-you-mean suggests from. */
export function keysAt(path: readonly PropertyKey[]): readonly string[] {
  if (path[0] === 'subgraphs' && path.length === 2) return Object.keys(subgraphEntry.shape);
  const prefix = path.length ? `${path.join('.')}.` : '';
  const keys = new Set<string>(path.length === 0 ? ['subgraphs'] : []);
  for (const fk of FILE_KEYS) if (fk.key.startsWith(prefix)) keys.add(fk.key.slice(prefix.length).split('.')[0]!);
  return [...keys];
}

/** The JSON Schema of meshgate.yaml, for editors (the `# yaml-language-server: $schema=` line). */
export function configJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(fileSchema, { io: 'input' }),
    $id: 'https://meshgate.dev/schema/meshgate.schema.json',
    title: 'meshgate.yaml',
    description: 'The meshgate configuration file. Every key may be overridden by its MESHGATE_* environment variable, which wins.',
  };
}
