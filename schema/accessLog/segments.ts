/**
 * The on-disk layout of the access log: `segment-<first seq>.open.jsonl` is the one being written;
 * a rotated segment is renamed `segment-<first seq>.jsonl` (closed, ready for compaction by the
 * governance domain); `compacted-head.json` records the last entry compaction removed from here.
 * The open segment is grown ahead of its entries with zeros, which a crash can leave behind.
 *
 * A log directory holds one chain per gateway replica: the default chain (a gateway with no
 * MESHGATE_INSTANCE) in the directory itself, exactly as a single gateway always wrote it, and the
 * chain of instance `gw-2` in `<dir>/gw-2/`, laid out the same way. `inbox/` beside them is shared.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { DEFAULT_CHAIN, GENESIS_HASH } from './AccessEvent.js';

/** The file name of a segment starting at `firstSeq`. */
export const segmentName = (firstSeq: number, open: boolean): string => `segment-${String(firstSeq).padStart(12, '0')}${open ? '.open' : ''}.jsonl`;

/** A segment file's first sequence number and whether it is open, or undefined for other files. */
export function parseSegmentName(name: string): { firstSeq: number; open: boolean } | undefined {
  const m = /^segment-(\d{12})(\.open)?\.jsonl$/.exec(name);
  return m ? { firstSeq: Number(m[1]), open: m[2] !== undefined } : undefined;
}

/** Where the last compacted entry is recorded, so a restart continues the chain after compaction. */
export const compactedHeadFile = (dir: string): string => path.join(dir, 'compacted-head.json');

/** The last compacted entry. */
export interface ChainHead {
  readonly seq: number;
  readonly hash: string;
}

/** The last compacted entry of the log in `dir`, or the chain's start when nothing has been compacted yet. */
export async function readHead(dir: string): Promise<ChainHead> {
  try {
    return JSON.parse(await readFile(compactedHeadFile(dir), 'utf8')) as ChainHead;
  } catch {
    return { seq: 0, hash: GENESIS_HASH };
  }
}

/** Where a segment's entries end: at its first zero byte if only zeros follow it, else at its end. */
export function zeroPaddedEnd(buf: Uint8Array): number {
  const first = buf.indexOf(0);
  return first !== -1 && buf.subarray(first).every((b) => b === 0) ? first : buf.length;
}

/** The folder a chain's files live in: the log directory for the default chain, `<dir>/<name>/` for another. */
export const chainDir = (logDir: string, chainName: string = DEFAULT_CHAIN): string => (chainName === DEFAULT_CHAIN ? logDir : path.join(logDir, chainName));

/** Folders of a log directory that are not chains. */
const NOT_CHAINS = new Set(['inbox']);

/** The chains in a log directory, the default first: every sub-folder but the inbox, and the default chain when it holds anything. */
export async function listChains(logDir: string): Promise<string[]> {
  const entries = await readdir(logDir, { withFileTypes: true }).catch(() => []);
  const named = entries.filter((e) => e.isDirectory() && !NOT_CHAINS.has(e.name) && e.name !== DEFAULT_CHAIN).map((e) => e.name);
  const hasDefault = entries.some((e) => e.isFile() && (parseSegmentName(e.name) !== undefined || e.name === path.basename(compactedHeadFile(logDir))));
  return [...(hasDefault || named.length === 0 ? [DEFAULT_CHAIN] : []), ...named.sort()];
}
