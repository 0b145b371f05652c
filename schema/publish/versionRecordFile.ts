/** Reading a version's record (`versions/<id>/version.json`), for the catalog and `meshgate lineage`. */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { VERSION_RECORD_FILE, type VersionRecord } from './VersionRecord.js';
import { versionStore } from './versionStore.js';

/** The record of version `version` in the product folder `dir` (a published one, or one its gate refused: `failed`); undefined when it is missing, unreadable, or not this version's. */
export async function readVersionRecord(dir: string, version: string, kept: 'versions' | 'failed' = 'versions'): Promise<VersionRecord | undefined> {
  const text = await readFile(path.join(versionStore(dir)[kept], version, VERSION_RECORD_FILE), 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  try {
    const record = JSON.parse(text) as Partial<VersionRecord> | null;
    // The platform writes these files itself; the check only keeps a stray or foreign file from being taken for one.
    return record?.format === 'meshgate-version/1' && record.version === version ? (record as VersionRecord) : undefined;
  } catch {
    return undefined;
  }
}
