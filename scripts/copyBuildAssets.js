#!/usr/bin/env node
/**
 * The second half of `npm run build`: tsc writes the JavaScript to dist/, this copies beside it every
 * file the code reads at run time that is not TypeScript (the domains' declarations, contracts and
 * transforms, the policies, the GraphiQL and catalog pages' browser files, the vendored ODCS schema,
 * the schema registry, .env.example). The compiled code finds them exactly where the sources do:
 * relative to its own module (import.meta.url) or to the root it resolves (dist/ for dist/cli/config.js).
 */
import { cp, readdir } from 'node:fs/promises';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const out = path.join(root, 'dist');

/** The source folders whose non-TypeScript files travel with the code. */
const CODE_FOLDERS = ['schema', 'policies', 'subgraphs', 'gateway', 'cli', 'bench'];
/** Whole folders and files copied as they are. */
const AS_IS = ['schema-registry', '.env.example'];
/** What is never copied: local data and results, not code. */
const SKIP = new Set(['bench/data', 'bench/results', 'bench/scratch']);

let copied = 0;
for (const folder of CODE_FOLDERS) {
  const entries = await readdir(path.join(root, folder), { recursive: true, withFileTypes: true });
  for (const e of entries) {
    if (!e.isFile() || e.name.endsWith('.ts')) continue;
    const rel = path.relative(root, path.join(e.parentPath, e.name));
    if ([...SKIP].some((s) => rel === s || rel.startsWith(`${s}${path.sep}`))) continue;
    await cp(path.join(root, rel), path.join(out, rel));
    copied++;
  }
}
for (const rel of AS_IS) {
  await cp(path.join(root, rel), path.join(out, rel), { recursive: true });
  copied++;
}
process.stdout.write(`copied ${copied} assets beside the compiled code in dist/\n`);
