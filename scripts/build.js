#!/usr/bin/env node
/**
 * `npm run build` (`node scripts/build.js [--out DIR]`, DIR defaults to dist/): the compiled code the
 * image runs. tsc writes the JavaScript (tsconfig.build.json), then every file the code reads at run
 * time that is not TypeScript is copied beside it: the domains' declarations, contracts and
 * transforms, the policies, the GraphiQL and catalog pages' browser files, the vendored ODCS schema,
 * the schema registry and .env.example. The compiled code finds them where the sources do: relative
 * to its own module (import.meta.url) or to the root it resolves (DIR for DIR/cli/config.js). Run
 * DIR/cli/bin.js from a folder holding package.json ("type": "module") and node_modules.
 */
import { execFileSync } from 'node:child_process';
import { cp, readdir, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { parseArgs } from 'node:util';

const root = path.resolve(import.meta.dirname, '..');
const { values } = parseArgs({ options: { out: { type: 'string' } } });
const out = path.resolve(values.out ?? path.join(root, 'dist'));

/** The source folders whose non-TypeScript files travel with the code. */
const CODE_FOLDERS = ['schema', 'policies', 'subgraphs', 'gateway', 'cli', 'bench'];
/** Whole folders and files copied as they are. */
const AS_IS = ['schema-registry', '.env.example'];
/** What is never copied: local data and results, not code. */
const SKIP = ['bench/data', 'bench/results', 'bench/scratch'];

await rm(out, { recursive: true, force: true });
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
execFileSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.build.json'), '--outDir', out], { stdio: 'inherit' });

let copied = 0;
for (const folder of CODE_FOLDERS) {
  for (const e of await readdir(path.join(root, folder), { recursive: true, withFileTypes: true })) {
    if (!e.isFile() || e.name.endsWith('.ts')) continue;
    const rel = path.relative(root, path.join(e.parentPath, e.name));
    if (SKIP.some((s) => rel.startsWith(`${s}${path.sep}`))) continue;
    await cp(path.join(root, rel), path.join(out, rel));
    copied++;
  }
}
for (const rel of AS_IS) {
  await cp(path.join(root, rel), path.join(out, rel), { recursive: true });
  copied++;
}
process.stdout.write(`compiled into ${path.relative(process.cwd(), out) || out}, with ${copied} assets beside the code\n`);
