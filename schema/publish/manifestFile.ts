/**
 * Reading and replacing a product's manifest. The replacement is the publish: the new manifest is
 * written beside the old one, fsynced, renamed over it (atomic on one file system) and the folder
 * fsynced, so a crash leaves either manifest whole, and a reader never sees half of one.
 */
import { open, readFile, rename } from 'node:fs/promises';
import path from 'node:path';
import { manifestSchema, type Manifest } from './Manifest.js';
import { MANIFEST_FILE } from './versionStore.js';

/** What reading a manifest found: none yet, a valid one, or one that cannot be used (and why). */
export type ManifestRead = { readonly kind: 'none' } | { readonly kind: 'ok'; readonly manifest: Manifest } | { readonly kind: 'bad'; readonly reason: string };

/** Reads the manifest of the product folder `dir`. */
export async function readManifest(dir: string): Promise<ManifestRead> {
  let text: string;
  try {
    text = await readFile(path.join(dir, MANIFEST_FILE), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'none' };
    return { kind: 'bad', reason: `its manifest cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})` };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { kind: 'bad', reason: 'its manifest is not JSON' };
  }
  const parsed = manifestSchema.safeParse(value);
  if (!parsed.success) return { kind: 'bad', reason: `its manifest is not valid (${parsed.error.issues[0]?.path.join('.') ?? ''}: ${parsed.error.issues[0]?.message ?? ''})` };
  return { kind: 'ok', manifest: parsed.data };
}

/** The absolute paths of a manifest's files. */
export const manifestFiles = (dir: string, manifest: Manifest): string[] => manifest.files.map((f) => path.join(dir, f));

/** Fsyncs a file or folder. */
async function syncPath(p: string, flags = 'r'): Promise<void> {
  const handle = await open(p, flags);
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Publishes `manifest` in `dir`: the atomic swap every publish ends with. */
export async function writeManifest(dir: string, manifest: Manifest): Promise<void> {
  const target = path.join(dir, MANIFEST_FILE);
  const temp = `${target}.${process.pid}.tmp`;
  const handle = await open(temp, 'w');
  try {
    await handle.writeFile(`${JSON.stringify(manifest, null, 2)}\n`);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temp, target);
  await syncPath(dir);
}
