/**
 * The version store's operations for a build (the layout is schema/publish's): the next version id,
 * a staging folder per build, moving a version into `versions/` (published) or `failed/` (kept aside
 * with its report), and retention. Publishing ends with the manifest's atomic swap; nothing before it
 * is visible to a reader.
 */
import { mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import {
  VERSION_RECORD_FILE,
  versionId,
  versionSeq,
  versionStore,
  versionTime,
  writeManifest,
  type Manifest,
  type VersionRecord,
  type VersionStore,
} from '../../../schema/index.js';

/** A build's staging folder: the version's data (renamed into `versions/` or `failed/`) and the connectors' scratch files. */
export interface Staging {
  readonly root: string;
  readonly data: string;
  readonly scratch: string;
}

const STAGING = /^\.staging-/;

/** The ids in a folder of versions, oldest first. */
async function idsIn(dir: string): Promise<string[]> {
  return (await readdir(dir).catch(() => [] as string[])).filter((n) => versionSeq(n) !== undefined).sort();
}

/** The next version's id: one past every version made so far, published or failed. */
export async function nextVersionId(store: VersionStore, at: Date): Promise<string> {
  const seqs = [...(await idsIn(store.versions)), ...(await idsIn(store.failed))].map((id) => versionSeq(id)!);
  return versionId(Math.max(0, ...seqs) + 1, at);
}

/** Removes what a crashed build left (its lock is held now, so no staging folder is anyone's). */
export async function clearStaging(store: VersionStore): Promise<void> {
  for (const n of await readdir(store.dir).catch(() => [] as string[])) if (STAGING.test(n)) await rm(path.join(store.dir, n), { recursive: true, force: true });
}

/** Creates a build's staging folder for version `id`. */
export async function createStaging(store: VersionStore, id: string): Promise<Staging> {
  const root = path.join(store.dir, `.staging-${id}`);
  const staging = { root, data: path.join(root, 'data'), scratch: path.join(root, 'scratch') };
  await mkdir(staging.data, { recursive: true });
  await mkdir(staging.scratch, { recursive: true });
  return staging;
}

/** Writes a version's record into its data folder. */
async function writeRecord(dir: string, record: VersionRecord): Promise<void> {
  await writeFile(path.join(dir, VERSION_RECORD_FILE), `${JSON.stringify(record, null, 2)}\n`);
}

/** Moves a refused version aside, with its report; it is never served. */
export async function keepAside(store: VersionStore, staging: Staging, record: VersionRecord): Promise<string> {
  await mkdir(store.failed, { recursive: true });
  await writeRecord(staging.data, record);
  const dir = path.join(store.failed, record.version);
  await rename(staging.data, dir);
  await rm(staging.root, { recursive: true, force: true });
  return dir;
}

/** Publishes a version: its folder into `versions/`, then the manifest's swap. */
export async function publish(store: VersionStore, staging: Staging, record: VersionRecord, manifest: Manifest): Promise<void> {
  await mkdir(store.versions, { recursive: true });
  await writeRecord(staging.data, record);
  await rename(staging.data, path.join(store.versions, record.version));
  await writeManifest(store.dir, manifest);
}

/** Removes a build's staging folder (what is left of it). */
export const dropStaging = (staging: Staging): Promise<void> => rm(staging.root, { recursive: true, force: true });

/**
 * Removes the versions retention no longer keeps: all but the newest `keep`, unless younger than
 * `forMs`, and never the one served. Failed versions are kept by the same rule. Returns the ids removed.
 */
export async function applyRetention(store: VersionStore, retention: { readonly keep: number; readonly forMs?: number }, served: string, now: Date): Promise<string[]> {
  const removed: string[] = [];
  for (const dir of [store.versions, store.failed]) {
    const ids = (await idsIn(dir)).reverse();
    for (const [i, id] of ids.entries()) {
      if (i < retention.keep || id === served) continue;
      if (retention.forMs !== undefined && now.getTime() - (versionTime(id) ?? 0) < retention.forMs) continue;
      await rm(path.join(dir, id), { recursive: true, force: true });
      removed.push(id);
    }
  }
  return removed;
}

/** The store of a product's output folder. */
export { versionStore };
