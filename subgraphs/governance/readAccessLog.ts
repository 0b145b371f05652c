/**
 * Reads the whole access log back, chain by chain (one per gateway replica), each in sequence
 * order, for `meshgate audit` and its verifier: the compacted Parquet of the `access-log` product (or of
 * `access-log-v2`, which holds the same lines, once v1 is retired)
 * (each row's exact JSON line, `entry_json`, and its `chain`), then the segments the gateway still
 * holds as JSON lines (closed ones, then the open one). Nothing is
 * trusted: a line that is not an entry, or a Parquet row whose typed columns disagree with its own
 * line, is reported where it sits, so the verifier can name the first bad entry.
 */
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import {
  chainDir,
  compactedHeadFile,
  DEFAULT_CHAIN,
  eventId,
  GENESIS_HASH,
  listChains,
  parseSegmentName,
  verifyEntry,
  zeroPaddedEnd,
  type AccessEvent,
} from '../../schema/index.js';
import { parseCompactedName, v2DirOf } from './compactAccessLog.js';
import { buildCompactedEntries, buildParquetColumns, buildParquetRowCounts } from '../runtime/sql/index.js';

/** Where an entry was read: a line of a segment, or a row of a Parquet file (both from 1). */
export interface EntryOrigin {
  readonly file: string;
  readonly line?: number;
  readonly row?: number;
}

/** Something wrong at a place in the log: before `entries[index]` (unparsable) or with it (edited). */
export interface ReadIssue {
  readonly index: number;
  readonly origin: EntryOrigin;
  readonly kind: 'unparsable' | 'edited';
  readonly reason: string;
}

/** One chain of the log as read: entries in order, where each came from, and what is wrong with it. */
export interface AccessLogRead {
  /** The chain's name: the gateway instance that wrote it (`default` for a single gateway). */
  readonly chain: string;
  readonly entries: AccessEvent[];
  /** Same index as `entries`. */
  readonly origins: EntryOrigin[];
  readonly issues: ReadIssue[];
  /** The issues as sentences, in log order. */
  readonly problems: string[];
  /** What is odd but not wrong (a torn last line the gateway truncates on restart). */
  readonly warnings: string[];
}

/** Where an entry was read, for people. */
export const describeOrigin = (o: EntryOrigin): string => (o.line !== undefined ? `${o.file}, line ${o.line}` : `${o.file}, row ${o.row}`);

/** Parses one stored line as an entry, or says why it is not one. */
function parseEntry(text: string): { entry: AccessEvent } | { error: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { error: `not JSON (${(error as Error).message})` };
  }
  const e = value as Partial<AccessEvent> | null;
  if (typeof e !== 'object' || e === null || !Number.isInteger(e.seq) || typeof e.hash !== 'string' || typeof e.prev_hash !== 'string')
    return { error: 'not an access-log entry (no seq, prev_hash or hash)' };
  return { entry: e as AccessEvent };
}

interface ParquetRow {
  entry_json: string | null;
  chain: string | null;
  seq: string | null;
  event_id: string | null;
  subject: string | null;
  decision: string | null;
  time_ms: string | null;
  filename: string;
  file_row_number: string;
}

/** Compares a row's typed columns with its own line: an edit of either is an edit of the entry. */
function typedMismatch(row: ParquetRow, e: AccessEvent): string | undefined {
  const pairs: [string, unknown, unknown][] = [
    ['seq', row.seq, String(e.seq)],
    ['event_id', row.event_id, e.event_id],
    ['subject', row.subject, e.subject],
    ['decision', row.decision, e.decision],
    ['time', row.time_ms, String(Date.parse(e.time))],
  ];
  const bad = pairs.find(([, typed, own]) => typed !== own);
  return bad && `its typed column ${bad[0]} (${JSON.stringify(bad[1])}) differs from its entry_json (${JSON.stringify(bad[2])})`;
}

/** The rows of the Parquet files that have any, ordered by their typed seq. */
async function selectRows(connection: DuckDBConnection, files: readonly string[]): Promise<ParquetRow[]> {
  if (files.length === 0) return [];
  const counts = (await connection.runAndReadAll(buildParquetRowCounts(files))).getRowObjectsJson() as { file_name: string; num_rows: string }[];
  const withRows = counts.filter((c) => Number(c.num_rows) > 0).map((c) => c.file_name);
  if (withRows.length === 0) return [];
  // Files compacted before there were chains have no chain column until compaction next runs (their rows are the default chain's).
  const withChain = (await connection.runAndReadAll(buildParquetColumns(withRows))).getRowObjectsJson().some((r) => r.column_name === 'chain');
  return (await connection.runAndReadAll(buildCompactedEntries(withRows, withChain))).getRowObjectsJson() as unknown as ParquetRow[];
}

/**
 * The compacted entries, each into its chain's read (`out`), ordered by seq (the line's own where it
 * parses); false when a file cannot be read (an issue where its entries belong, by its name).
 */
async function readParquet(outDir: string, out: (chain: string) => Builder): Promise<boolean> {
  const files = (await readdir(outDir, { recursive: true }).catch(() => [] as string[]))
    .filter((f) => f.endsWith('.parquet'))
    .sort()
    .map((f) => path.join(outDir, f));
  if (files.length === 0) return true;
  const instance = await DuckDBInstance.create(':memory:', { threads: '1' });
  const connection = await instance.connect();
  const unreadable: { file: string; reason: string }[] = [];
  try {
    let rows: ParquetRow[];
    try {
      rows = await selectRows(connection, files);
    } catch {
      // Some file is not Parquet (any more): find which, and read the others.
      const readable: string[] = [];
      for (const file of files)
        await selectRows(connection, [file]).then(
          () => readable.push(file),
          (error: Error) => unreadable.push({ file, reason: error.message }),
        );
      rows = await selectRows(connection, readable);
    }
    const parsed = rows.map((row) => ({ row, result: parseEntry(row.entry_json ?? '') }));
    const order = (p: (typeof parsed)[number]): number => ('entry' in p.result ? p.result.entry.seq : Number(p.row.seq));
    parsed.sort((a, b) => order(a) - order(b));
    for (const { row, result } of parsed) {
      const origin = { file: row.filename, row: Number(row.file_row_number) };
      const chain = out(row.chain ?? DEFAULT_CHAIN);
      if ('error' in result) chain.unparsable(origin, `its entry_json is ${result.error}`);
      else chain.entry(result.entry, origin, typedMismatch(row, result.entry));
    }
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
  for (const { file, reason } of unreadable) {
    const { chain, firstSeq } = parseCompactedName(file) ?? { chain: DEFAULT_CHAIN, firstSeq: 1 };
    const into = out(chain);
    into.issues.push({
      index: into.entries.filter((e) => e.seq < firstSeq).length,
      origin: { file, row: 1 },
      kind: 'unparsable',
      reason: `the file cannot be read as Parquet (${reason.split('\n')[0]})`,
    });
  }
  return unreadable.length === 0;
}

/** The segments still in `rawDir`, in order; false when one vanished while being read (compacted meanwhile), a problem on the last attempt. */
async function readSegments(rawDir: string, out: Builder, lastAttempt: boolean): Promise<boolean> {
  const names = (await readdir(rawDir).catch(() => [] as string[])).map((n) => ({ n, s: parseSegmentName(n) })).filter((x) => x.s !== undefined);
  names.sort((a, b) => a.s!.firstSeq - b.s!.firstSeq);
  const compacted = new Map(out.entries.map((e) => [e.seq, e.hash]));
  for (const { n, s } of names) {
    const file = path.join(rawDir, n);
    const buf = await readFile(file).catch((error: NodeJS.ErrnoException) => error);
    if (!Buffer.isBuffer(buf)) {
      if (buf.code === 'ENOENT' && !lastAttempt) return false;
      out.unparsable({ file, line: 1 }, `the segment cannot be read (${buf.code ?? buf.message})`);
      continue;
    }
    // The open segment is grown ahead of its entries with zeros; a closed one never holds any (a zero there is unparsable).
    const text = buf.toString('utf8', 0, s!.open ? zeroPaddedEnd(buf) : buf.length);
    const lines = text.split('\n');
    const torn = lines.pop();
    let skipped = 0;
    lines.forEach((line, i) => {
      const result = parseEntry(line);
      if ('error' in result) out.unparsable({ file, line: i + 1 }, `it is ${result.error}`);
      // Compaction writes the Parquet, records its head, then removes the segment: a crash (or this read) can fall between.
      else if (compacted.get(result.entry.seq) === result.entry.hash) skipped++;
      else out.entry(result.entry, { file, line: i + 1 });
    });
    if (skipped > 0) out.warnings.push(`${file}: ${skipped} entries already compacted (the segment awaits removal), read once`);
    if (torn) {
      if (s!.open) out.warnings.push(`${file}, line ${lines.length + 1}: a torn last line (a crash mid-write; its reply was never sent), truncated when the gateway restarts`);
      else out.unparsable({ file, line: lines.length + 1 }, 'it is cut short (no end of line) in a closed segment');
    }
  }
  return true;
}

class Builder implements AccessLogRead {
  constructor(readonly chain: string) {}
  readonly entries: AccessEvent[] = [];
  readonly origins: EntryOrigin[] = [];
  readonly issues: ReadIssue[] = [];
  readonly warnings: string[] = [];
  get problems(): string[] {
    return [...this.issues].sort((a, b) => a.index - b.index).map((i) => `${describeOrigin(i.origin)}: ${i.reason}`);
  }
  entry(e: AccessEvent, origin: EntryOrigin, edited?: string): void {
    if (edited) this.issues.push({ index: this.entries.length, origin, kind: 'edited', reason: edited });
    this.entries.push(e);
    this.origins.push(origin);
  }
  unparsable(origin: EntryOrigin, reason: string): void {
    this.issues.push({ index: this.entries.length, origin, kind: 'unparsable', reason });
  }
}

const headOf = (rawDir: string): Promise<string> => readFile(compactedHeadFile(rawDir), 'utf8').catch(() => '');

/** A chain's read as handed out. */
const done = (b: Builder): AccessLogRead => ({ chain: b.chain, entries: b.entries, origins: b.origins, issues: b.issues, problems: b.problems, warnings: b.warnings });

/**
 * The folder of the compacted entries: access-log's (v1), or once v1 is retired and its files are
 * gone, access-log-v2's, which keeps the same rows' `entry_json` and `chain` (compactAccessLog.ts).
 */
async function compactedDir(dataRoot: string): Promise<string> {
  const v1 = path.join(dataRoot, 'governance', 'access-log');
  const hasParquet = async (dir: string): Promise<boolean> => (await readdir(dir, { recursive: true }).catch(() => [] as string[])).some((f) => f.endsWith('.parquet'));
  return (await hasParquet(v1)) ? v1 : v2DirOf(v1);
}

/**
 * Reads chains: the compacted Parquet under `<dataRoot>/governance/access-log` (every chain's rows),
 * then each chain's segments in its folder (`dirs`, by chain; a chain only compacted, its gateway
 * retired, has none). Only the chains `only` names when given. The log may be live: when
 * compaction moved entries during the read, it reads again (a few times at most).
 */
async function readChains(dataRoot: string, dirs: ReadonlyMap<string, string>, only?: string): Promise<AccessLogRead[]> {
  const heads = (): Promise<string[]> => Promise.all([...dirs.values()].map(headOf));
  for (let attempt = 1; ; attempt++) {
    const builders = new Map<string, Builder>();
    const ignored = new Builder('(other chains)');
    const out = (chain: string): Builder => {
      if (only !== undefined && chain !== only) return ignored;
      let b = builders.get(chain);
      if (!b) builders.set(chain, (b = new Builder(chain)));
      return b;
    };
    const before = (await heads()).join('\n');
    const parquetRead = await readParquet(await compactedDir(dataRoot), out);
    let complete = parquetRead;
    for (const [chain, dir] of dirs) complete = (await readSegments(dir, out(chain), attempt === 4)) && complete;
    complete = complete && before === (await heads()).join('\n');
    if (complete || attempt === 4)
      return [...builders.values()].sort((a, b) => (a.chain === DEFAULT_CHAIN ? -1 : b.chain === DEFAULT_CHAIN ? 1 : a.chain.localeCompare(b.chain))).map(done);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Reads every entry of one chain (the default unless `chain` is given): its compacted rows, then the segments in `rawDir`, its folder. */
export async function readAccessLog(options: { dataRoot: string; rawDir: string; chain?: string }): Promise<AccessLogRead> {
  const chain = options.chain ?? DEFAULT_CHAIN;
  const [read] = await readChains(options.dataRoot, new Map([[chain, options.rawDir]]), chain);
  return read!;
}

/** Reads every chain of the log in `logDir` (one per gateway replica), and those only the Parquet still holds, the default first. */
export async function readAccessLogChains(options: { dataRoot: string; logDir: string }): Promise<AccessLogRead[]> {
  const chains = await listChains(options.logDir);
  return readChains(options.dataRoot, new Map(chains.map((c) => [c, chainDir(options.logDir, c)])));
}

/** How the first bad entry is broken. */
export type BreakKind = 'edited' | 'removed' | 'reordered' | 'duplicated' | 'unparsable';

/** The verifier's verdict: the chain holds up to the last entry, or where it first breaks. */
export type Verdict =
  | { readonly ok: true; readonly count: number; readonly lastEventId: string | undefined }
  | {
      readonly ok: false;
      readonly position: number;
      readonly expected: string;
      readonly found?: AccessEvent;
      readonly origin: EntryOrigin;
      readonly kind: BreakKind;
      readonly reason: string;
    };

/** Recomputes one chain from the genesis hash and returns its first bad entry, if any. */
export function verifyAccessLog(read: AccessLogRead): Verdict {
  const { entries, origins, issues, chain } = read;
  let prev = GENESIS_HASH;
  for (let i = 0; i <= entries.length; i++) {
    const position = i + 1;
    const expected = eventId(position, chain);
    const issue = issues.find((x) => x.index === i && x.kind === 'unparsable') ?? issues.find((x) => x.index === i);
    if (issue) return { ok: false, position, expected, origin: issue.origin, kind: issue.kind, reason: issue.reason, ...(issue.kind === 'edited' && { found: entries[i]! }) };
    const e = entries[i];
    if (!e) break;
    const why = verifyEntry(e, position, prev, chain);
    if (why) return { ok: false, position, expected, found: e, origin: origins[i]!, kind: classify(entries, i, position), reason: why };
    prev = e.hash;
  }
  return { ok: true, count: entries.length, lastEventId: entries.at(-1)?.event_id };
}

/** Why the entry at index `i` is not the one expected at `position`. */
function classify(entries: readonly AccessEvent[], i: number, position: number): BreakKind {
  const seq = entries[i]!.seq;
  if (seq === position) return 'edited';
  if (seq > position) return entries.slice(i + 1).some((e) => e.seq === position) ? 'reordered' : 'removed';
  return entries.slice(0, i).some((e) => e.seq === seq) ? 'duplicated' : 'reordered';
}
