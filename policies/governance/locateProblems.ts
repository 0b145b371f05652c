/**
 * Finds the product (and field) each of the loader's declaration problems is about, reading the
 * declaration files again: a refused descriptor never became a product, yet its findings must
 * still name it.
 */
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { readStructured, type DeclarationProblem } from '../../schema/index.js';
import type { LocatedProblem } from './GovernanceRule.js';

const DESCRIPTOR = /(^|\.)data-product\.ya?ml$/;

/** Where the problems come from. */
export interface LocateOptions {
  readonly subgraphsDir: string;
  /** Domains the loader left out. */
  readonly excluded: readonly string[];
  /** The access-policy file: its problems are the mesh's (product `mesh`). */
  readonly policyFile?: string;
}

type Doc = Record<string, unknown>;
const isDoc = (v: unknown): v is Doc => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Reads declaration files once each. */
class Files {
  private readonly docs = new Map<string, Promise<unknown>>();
  private readonly lists = new Map<string, Promise<string[]>>();

  read(file: string): Promise<unknown> {
    if (!this.docs.has(file))
      this.docs.set(
        file,
        readStructured(file).then((r) => r.value),
      );
    return this.docs.get(file)!;
  }

  descriptors(dir: string): Promise<string[]> {
    if (!this.lists.has(dir)) {
      const found = readdir(dir, { recursive: true, withFileTypes: true }).then(
        (entries) =>
          entries
            .filter((e) => e.isFile() && DESCRIPTOR.test(e.name) && !e.parentPath.includes('node_modules'))
            .map((e) => path.join(e.parentPath, e.name))
            .sort(),
        () => [],
      );
      this.lists.set(dir, found);
    }
    return this.lists.get(dir)!;
  }
}

/** The descriptor `name` of a descriptor file, or of the descriptor whose output points at a contract file. */
async function productOf(files: Files, file: string, domainDir: string | undefined): Promise<string> {
  const fallback = path.basename(file).replace(/\..*$/, '');
  if (DESCRIPTOR.test(path.basename(file))) {
    const doc = await files.read(file);
    return isDoc(doc) && typeof doc.name === 'string' ? doc.name : fallback;
  }
  if (!domainDir) return fallback;
  for (const descriptor of await files.descriptors(domainDir)) {
    const doc = await files.read(descriptor);
    if (!isDoc(doc) || typeof doc.name !== 'string' || !Array.isArray(doc.outputs)) continue;
    const points = doc.outputs.some((o) => isDoc(o) && typeof o.schema === 'string' && path.resolve(path.dirname(descriptor), o.schema) === path.resolve(file));
    if (points) return doc.name;
  }
  return fallback;
}

/** The field a problem path is about: `fields[3].x`, `schema[0].properties[2].x`, or the mesh's `fields.<name>.references`. */
async function fieldOf(files: Files, problem: DeclarationProblem): Promise<string | undefined> {
  const named = /^fields\.([^.[\]]+)\.references$/.exec(problem.path);
  if (named) return named[1];
  const tokens = [...problem.path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)].map((m) => (m[2] !== undefined ? Number(m[2]) : m[1]!));
  let node: unknown = await files.read(problem.file);
  let field: string | undefined;
  tokens.forEach((token, i) => {
    const next: unknown = Array.isArray(node) && typeof token === 'number' ? node[token] : isDoc(node) && typeof token === 'string' ? node[token] : undefined;
    const parent = tokens[i - 1];
    if (typeof token === 'number' && (parent === 'fields' || parent === 'properties') && isDoc(next) && typeof next.name === 'string') field = next.name;
    node = next;
  });
  return field;
}

/** Locates every problem: which kind of file, which product, which field, and whether it keeps a domain out. */
export async function locateProblems(problems: readonly DeclarationProblem[], options: LocateOptions): Promise<LocatedProblem[]> {
  const files = new Files();
  const located: LocatedProblem[] = [];
  for (const problem of problems) {
    if (options.policyFile !== undefined && path.resolve(problem.file) === path.resolve(options.policyFile)) {
      located.push({ ...problem, source: 'policy', product: 'mesh' });
      continue;
    }
    const inside = path.relative(options.subgraphsDir, problem.file);
    const domain = inside && !inside.startsWith('..') && !path.isAbsolute(inside) ? inside.split(path.sep)[0] : undefined;
    const domainDir = domain !== undefined ? path.join(options.subgraphsDir, domain) : undefined;
    const field = await fieldOf(files, problem);
    located.push({
      ...problem,
      source: DESCRIPTOR.test(path.basename(problem.file)) ? 'descriptor' : 'contract',
      product: await productOf(files, problem.file, domainDir),
      ...(field !== undefined && { field }),
      ...(domain !== undefined && options.excluded.includes(domain) && { excludedDomain: domain }),
    });
  }
  return located;
}
