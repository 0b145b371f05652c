/**
 * Resolves what `meshgate check --base` compares against: a folder of descriptors (a `subgraphs/`
 * folder, or a checkout that contains one), a git ref of the repository, or `registry` (the latest
 * registered contract of every product). A folder wins over a ref of the same name.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadMesh, type Mesh } from '../../schema/index.js';
import { readLatestRegistered, type RegisteredContract } from './registry.js';

/** The base a check compares the current mesh with. */
export interface BaseSnapshot {
  readonly kind: 'folder' | 'git' | 'registry';
  /** How messages name the base: `git ref "main"`, `folder ../old`, `the schema registry`. */
  readonly label: string;
  /** The base's products (for the registry: the served products that are registered, with their latest registered contract). */
  readonly mesh: Mesh;
  /** Names a base file for a finding (`main:subgraphs/commerce/data-product.yaml`). */
  fileLabel(absolute: string): string;
  /** Registry only: registered products no longer served. */
  readonly registeredOnly: readonly RegisteredContract[];
  /** Registry only: served products with no registered version. */
  readonly unregistered: readonly string[];
}

/** What {@link loadBase} needs. */
export interface BaseOptions {
  readonly current: Mesh;
  readonly base: string;
  readonly repoRoot: string;
}

const EXPECTED =
  'expected a folder of data-product descriptors (a subgraphs/ folder, or a checkout that contains one), "registry", or a git ref of the repository such as main, HEAD~1 or a commit id';

/** Runs a program without a shell; resolves with its exit code and output. */
function run(cmd: string, args: readonly string[], cwd: string, input?: Buffer): Promise<{ code: number; stdout: Buffer; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', (e) => resolve({ code: -1, stdout: Buffer.alloc(0), stderr: e.message }));
    child.on('close', (code) => resolve({ code: code ?? -1, stdout: Buffer.concat(out), stderr: Buffer.concat(err).toString('utf8').trim() }));
    child.stdin.end(input);
  });
}

const isDir = (p: string): Promise<boolean> =>
  stat(p).then(
    (s) => s.isDirectory(),
    () => false,
  );

async function fromFolder(folder: string, repoRoot: string, base: string): Promise<BaseSnapshot> {
  const root = (await isDir(path.join(folder, 'subgraphs'))) ? path.join(folder, 'subgraphs') : folder;
  const mesh = await loadMesh(root, { dataRoot: root });
  const rel = (abs: string): string => (path.relative(repoRoot, abs).startsWith('..') ? abs : path.relative(repoRoot, abs));
  return { kind: 'folder', label: `folder ${base}`, mesh, fileLabel: rel, registeredOnly: [], unregistered: [] };
}

async function fromGitRef(ref: string, repoRoot: string): Promise<{ value: BaseSnapshot } | { error: string }> {
  if (ref.startsWith('-') || /\s/.test(ref)) return { error: `no git ref or folder "${ref}": ${EXPECTED}` };
  const commit = await run('git', ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], repoRoot);
  if (commit.code !== 0) return { error: `no git ref or folder "${ref}": ${EXPECTED}` };
  const sha = commit.stdout.toString('utf8').trim();
  const archive = await run('git', ['archive', '--format=tar', sha, 'subgraphs'], repoRoot);
  if (archive.code !== 0) return { error: `git ref "${ref}" has no subgraphs/ folder to compare with: ${EXPECTED}` };
  const dir = await mkdtemp(path.join(tmpdir(), 'meshgate-base-'));
  try {
    const untar = await run('tar', ['-x', '-C', dir], dir, archive.stdout);
    if (untar.code !== 0) return { error: `could not unpack git ref "${ref}": ${untar.stderr}` };
    const root = path.join(dir, 'subgraphs');
    const mesh = await loadMesh(root, { dataRoot: root });
    return { value: { kind: 'git', label: `git ref "${ref}"`, mesh, fileLabel: (abs) => `${ref}:${path.relative(dir, abs)}`, registeredOnly: [], unregistered: [] } };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function fromRegistry(current: Mesh, repoRoot: string): Promise<{ value: BaseSnapshot } | { error: string }> {
  const latest = await readLatestRegistered(repoRoot);
  if ('error' in latest) return latest;
  const served = current.domains.flatMap((d) => d.products.map((p) => p.name));
  const domains = current.domains
    .map((d) => ({
      name: d.name,
      products: d.products.flatMap((p) => {
        const r = latest.value.get(p.name);
        return r ? [{ ...p, contract: r.contract }] : [];
      }),
    }))
    .filter((d) => d.products.length > 0);
  return {
    value: {
      kind: 'registry',
      label: 'the schema registry',
      mesh: { domains, problems: [], excluded: [] },
      fileLabel: (abs) => path.relative(repoRoot, abs),
      registeredOnly: [...latest.value.values()].filter((r) => !served.includes(r.product)),
      unregistered: served.filter((name) => !latest.value.has(name)),
    },
  };
}

/** Loads the base named by `base`, or says what was expected when it names nothing. */
export async function loadBase(options: BaseOptions): Promise<{ value: BaseSnapshot } | { error: string }> {
  const { base, repoRoot, current } = options;
  if (base === 'registry') return fromRegistry(current, repoRoot);
  const folder = path.resolve(base);
  if (await isDir(folder)) return { value: await fromFolder(folder, repoRoot, base) };
  if (!(await isDir(path.join(repoRoot, '.git'))) && (await run('git', ['rev-parse', '--git-dir'], repoRoot)).code !== 0) {
    return { error: `no git ref or folder "${base}": ${EXPECTED} (${repoRoot} is not a git repository)` };
  }
  return fromGitRef(base, repoRoot);
}
