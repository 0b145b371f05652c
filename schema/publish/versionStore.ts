/**
 * How a product's published versions are laid out in its output folder (the descriptor's
 * `location`, under the data root). Every build or publish writes a new immutable version folder;
 * `_manifest.json` names the one version that is served, and is replaced atomically (written
 * beside, fsynced, renamed over), so a reader sees the old version or the new one, never a mix.
 * A version that fails its gate is kept aside under `failed/` with its report and is never served.
 *
 *     <location>/_manifest.json                 the served version (the pointer)
 *     <location>/versions/<id>/part-*.parquet   a published version's data (immutable)
 *     <location>/versions/<id>/version.json     what built it, its tests, profile and lineage
 *     <location>/failed/<id>/...                a version its gate refused, kept with its report
 *     <location>/_state/                        the input connectors' checkpoints (CDC)
 *     <location>/.build.lock                    held while a build of the product runs
 */
import path from 'node:path';

/** The manifest's file name in a product's output folder. */
export const MANIFEST_FILE = '_manifest.json';

/** The folders and files of one product's version store. */
export interface VersionStore {
  /** The product's output folder. */
  readonly dir: string;
  readonly manifest: string;
  readonly versions: string;
  readonly failed: string;
  readonly state: string;
  readonly lock: string;
}

/** The layout of the store in `dir`. */
export function versionStore(dir: string): VersionStore {
  return {
    dir,
    manifest: path.join(dir, MANIFEST_FILE),
    versions: path.join(dir, 'versions'),
    failed: path.join(dir, 'failed'),
    state: path.join(dir, '_state'),
    lock: path.join(dir, '.build.lock'),
  };
}

const VERSION_ID = /^v(\d{6,})-(\d{8}T\d{6}Z)$/;

/** A version's id: its sequence number in the store and when it was made, `v000012-20261201T203000Z` (ids sort in order). */
export function versionId(seq: number, at: Date): string {
  const stamp = at
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replace(/[-:]/g, '');
  return `v${String(seq).padStart(6, '0')}-${stamp}`;
}

/** The sequence number of a version id, or undefined for a name that is not one. */
export function versionSeq(id: string): number | undefined {
  const m = VERSION_ID.exec(id);
  return m ? Number(m[1]) : undefined;
}

/** When a version was made, from its id (epoch milliseconds), or undefined for a name that is not one. */
export function versionTime(id: string): number | undefined {
  const m = VERSION_ID.exec(id);
  if (!m) return undefined;
  const t = m[2]!;
  return Date.UTC(Number(t.slice(0, 4)), Number(t.slice(4, 6)) - 1, Number(t.slice(6, 8)), Number(t.slice(9, 11)), Number(t.slice(11, 13)), Number(t.slice(13, 15)));
}
