/**
 * The governance domain's transform: turns the gateways' closed access-log segments (JSON lines,
 * one chain per gateway replica) into the `access-log` product, date-partitioned Parquet under `governance/access-log/`, keeping
 * each entry's exact line (`entry_json`) so the hash chain still verifies. Segments are compacted
 * strictly in order; the last compacted entry is recorded (`compacted-head.json`) before a segment
 * is removed, so the gateway continues the chain after a restart. Rerunning after a crash rewrites
 * the same files (idempotent).
 *
 * It publishes the log twice, from the same segments: `access-log` (v1, list facts as comma-separated
 * text, deprecated) and `access-log-v2` beside it (`governance/access-log-v2/`, list facts as lists).
 * Each v2 file is derived from the v1 file of the same name, once it is complete, so both products
 * hold the same entries; the v2 files of a log compacted before v2 existed are derived on the first
 * run. Both keep `entry_json`, so the chain verifies from either once v1 is retired.
 */
import { DuckDBInstance } from '@duckdb/node-api';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import {
  chainDir,
  compactedHeadFile,
  DEFAULT_CHAIN,
  listChains,
  parseSegmentName,
  readHead,
  readManifest,
  versionId,
  writeManifest,
  ACCESS_LOG_PRODUCT,
  ACCESS_LOG_V2_PRODUCT,
  LIST_FACTS,
  type AccessEvent,
} from '../../schema/index.js';
import type { DomainJob } from '../runtime/index.js';
import {
  buildAddChain,
  buildCompactSegment,
  buildEmptyProduct,
  buildListVersion,
  buildParquetColumns,
  buildParquetRowCounts,
  type AccessLogColumns,
} from '../runtime/sql/index.js';
import type { DuckDBConnection } from '@duckdb/node-api';

/** The longest entry line compacted (an operation reading thousands of fields stays well under it). */
const MAX_LINE_BYTES = 64 * 2 ** 20;

/** The product's Parquet layout: every entry field as the contract (schemas/access-log-v1.odcs.yaml) types it, in its order. */
const COLUMNS: AccessLogColumns = {
  event_id: 'VARCHAR',
  seq: 'BIGINT',
  request_id: 'VARCHAR',
  client_request_id: 'VARCHAR',
  subject: 'VARCHAR',
  roles: 'VARCHAR',
  purpose: 'VARCHAR',
  client_name: 'VARCHAR',
  client_version: 'VARCHAR',
  operation_name: 'VARCHAR',
  operation_type: 'VARCHAR',
  document_hash: 'VARCHAR',
  products: 'VARCHAR',
  fields_read: 'VARCHAR',
  masks_applied: 'VARCHAR',
  pii_unmasked: 'VARCHAR',
  pii_unmasked_count: 'INTEGER',
  fields_denied: 'VARCHAR',
  row_rules: 'VARCHAR',
  rows_returned: 'VARCHAR',
  rows_total: 'BIGINT',
  decision: 'VARCHAR',
  status: 'VARCHAR',
  http_status: 'INTEGER',
  error_code: 'VARCHAR',
  duration_ms: 'DOUBLE',
  prev_hash: 'VARCHAR',
  hash: 'VARCHAR',
};

/** Fields an entry may lack: it was written before they existed. */
const OPTIONAL: readonly string[] = ['client_request_id'];

/**
 * The statement that compacts one segment file into the partitioned product folder (sql/accessLogSql.ts
 * writes it and says why it reads each line whole). Files are named after the chain and the segment's
 * first entry (the default chain's without a chain name, as before replicas), which is where
 * readAccessLog places the entries of a file it cannot read.
 */
function compactStatement(segment: string, outDir: string, chain: string, firstSeq: number): string {
  return buildCompactSegment({ segment, outDir, fileStem: compactedStem(chain, firstSeq), columns: COLUMNS, optional: OPTIONAL, maxLineBytes: MAX_LINE_BYTES, chain });
}

/** An empty log is an empty product, not a missing one: an empty Parquet file with the product's columns. */
function emptyStatement(outDir: string): string {
  return buildEmptyProduct(path.join(outDir, 'empty.parquet'), COLUMNS);
}

/** The contract version the product's files follow: 1.1.0 added the `chain` column. */
const CONTRACT_VERSION = '1.1.0';
/** The contract version access-log-v2's files follow (schemas/access-log-v2.odcs.yaml). */
const V2_CONTRACT_VERSION = '2.0.0';

/** Where access-log-v2 is published beside the product folder `outDir` (`governance/access-log-v2/`). */
export const v2DirOf = (outDir: string): string => path.join(path.dirname(outDir), 'access-log-v2');

/**
 * Compacts every closed segment of every chain in the log directory `logDir` (one per gateway
 * replica, schema/accessLog/segments.ts), each in its own order, and publishes the product once.
 * Files written before there were chains are given the default chain's name first.
 */
export async function compactAccessLog(logDir: string, outDir: string, log: (line: string) => void, v2Dir: string = v2DirOf(outDir)): Promise<number> {
  const chains = await listChains(logDir);
  const closed = await Promise.all(chains.map(async (chain) => ({ chain, dir: chainDir(logDir, chain), segments: await closedSegments(chainDir(logDir, chain)) })));
  const hasOutput = (await readdir(outDir).catch(() => [])).length > 0;
  const manifest = await readManifest(outDir);
  const current = manifest.kind === 'ok' && manifest.manifest.contractVersion === CONTRACT_VERSION;
  // v2 is current when it was published with the same entries as v1 (a crash between the two publications leaves it behind).
  const v2Manifest = await readManifest(v2Dir);
  const v2Current =
    v2Manifest.kind === 'ok' && manifest.kind === 'ok' && v2Manifest.manifest.contractVersion === V2_CONTRACT_VERSION && v2Manifest.manifest.rows === manifest.manifest.rows;
  if (closed.every((c) => c.segments.length === 0) && hasOutput && current && v2Current) return 0;
  const instance = await DuckDBInstance.create(':memory:', { threads: '1' });
  const connection = await instance.connect();
  let done = 0;
  try {
    if (!hasOutput) {
      await mkdir(outDir, { recursive: true });
      await connection.run(emptyStatement(outDir));
    } else if (!current) await addChainColumn(connection, outDir, log);
    for (const c of closed) {
      done += await compactChain(connection, c, outDir, log);
    }
    if (done > 0 || !current) await publishLog(connection, outDir, ACCESS_LOG_PRODUCT, CONTRACT_VERSION);
    if ((await deriveListVersion(connection, outDir, v2Dir, log)) > 0 || !v2Current) await publishLog(connection, v2Dir, ACCESS_LOG_V2_PRODUCT, V2_CONTRACT_VERSION);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
  return done;
}

/** The closed segments of a chain's folder, in order. */
async function closedSegments(dir: string): Promise<{ n: string; firstSeq: number }[]> {
  return (await readdir(dir).catch(() => []))
    .map((n) => ({ n, s: parseSegmentName(n) }))
    .filter((x) => x.s && !x.s.open)
    .map((x) => ({ n: x.n, firstSeq: x.s!.firstSeq }))
    .sort((a, b) => a.firstSeq - b.firstSeq);
}

/** Compacts one chain's closed segments strictly in order, recording its head before each segment is removed. */
async function compactChain(
  connection: DuckDBConnection,
  c: { chain: string; dir: string; segments: { n: string; firstSeq: number }[] },
  outDir: string,
  log: (line: string) => void,
): Promise<number> {
  let head = await readHead(c.dir);
  let done = 0;
  for (const { n, firstSeq } of c.segments) {
    const file = path.join(c.dir, n);
    if (firstSeq !== head.seq + 1) {
      // Compacted already: its last entry is the head recorded, then a crash came before the segment was removed.
      const last = lastEntry((await readFile(file, 'utf8')).trimEnd());
      if (last?.seq === head.seq && last.hash === head.hash) {
        await rm(file);
        continue;
      }
      log(`access log: segment ${n} of chain "${c.chain}" does not follow entry ${head.seq}; left for \`meshgate audit verify\` to explain`);
      break;
    }
    const text = (await readFile(file, 'utf8')).trimEnd();
    if (!text) {
      await rm(file);
      continue;
    }
    const last = JSON.parse(text.slice(text.lastIndexOf('\n') + 1)) as AccessEvent;
    await connection.run(compactStatement(file, outDir, c.chain, firstSeq));
    head = { seq: last.seq, hash: last.hash };
    const tmp = `${compactedHeadFile(c.dir)}.tmp`;
    await writeFile(tmp, JSON.stringify(head));
    await rename(tmp, compactedHeadFile(c.dir));
    await rm(file);
    done++;
  }
  if (done) log(`access log: compacted ${done} segment(s) of chain "${c.chain}", up to entry ${head.seq}`);
  return done;
}

/** The last line of a segment as an entry, or undefined when it does not parse. */
function lastEntry(text: string): Partial<AccessEvent> | undefined {
  try {
    return JSON.parse(text.slice(text.lastIndexOf('\n') + 1)) as AccessEvent;
  } catch {
    return undefined;
  }
}

/**
 * The migration to chains: a file compacted before there were replicas has no `chain` column; it
 * holds the default chain's entries (the only chain there was), so it is rewritten with that name
 * (to a temporary file, then renamed over it: a crash leaves the old file, and the next run redoes it).
 */
async function addChainColumn(connection: DuckDBConnection, outDir: string, log: (line: string) => void): Promise<void> {
  const files = (await readdir(outDir, { recursive: true })).filter((f) => f.endsWith('.parquet')).map((f) => path.join(outDir, f));
  if (files.length === 0) return;
  const columns = (await connection.runAndReadAll(buildParquetColumns(files))).getRowObjectsJson();
  const withChain = new Set(columns.filter((c) => c.column_name === 'chain').map((c) => String(c.file_name)));
  let rewritten = 0;
  for (const file of files) {
    if (withChain.has(file)) continue;
    await connection.run(buildAddChain(file, `${file}.tmp`, DEFAULT_CHAIN));
    await rename(`${file}.tmp`, file);
    rewritten++;
  }
  if (rewritten) log(`access log: ${rewritten} compacted file(s) from before replicas given the chain "${DEFAULT_CHAIN}"`);
}

/**
 * Publishes the product as it now is: a manifest naming every Parquet file compaction has written
 * (schema/publish), whose version counts the entries compacted over every chain. The product is a stream: each
 * compaction adds files, and the manifest's swap makes them served at once, never half.
 */
async function publishLog(connection: DuckDBConnection, outDir: string, product: string, contractVersion: string): Promise<void> {
  const files = (await readdir(outDir, { recursive: true })).filter((f) => f.endsWith('.parquet')).sort();
  const counts = (await connection.runAndReadAll(buildParquetRowCounts(files.map((f) => path.join(outDir, f))))).getRowObjectsJson();
  const rows = counts.reduce((sum, c) => sum + Number(c.num_rows ?? 0), 0);
  const now = new Date();
  await writeManifest(outDir, {
    format: 'meshgate-manifest/1',
    product,
    // The entries compacted over every chain (a retired gateway's included): it grows with each compaction, and is the last seq for a single chain.
    version: versionId(rows, now),
    publishedAt: now.toISOString(),
    dataAsOf: now.toISOString(),
    source: 'stream',
    files,
    rows,
    contractVersion,
  });
}

/** Every Parquet file under a folder, relative to it, sorted. */
const parquetFiles = async (dir: string): Promise<string[]> => (await readdir(dir, { recursive: true }).catch(() => [] as string[])).filter((f) => f.endsWith('.parquet')).sort();

/**
 * Derives the v2 file of every v1 file that has none yet (the segments just compacted, or the whole
 * log the first time), at the same relative path: written to a temporary name and renamed, so a crash
 * leaves no half file that would pass for derived. A v1 file rewritten by a rerun after a crash holds
 * the same rows, so its v2 file stays right.
 */
async function deriveListVersion(connection: DuckDBConnection, outDir: string, v2Dir: string, log: (line: string) => void): Promise<number> {
  const have = new Set(await parquetFiles(v2Dir));
  const missing = (await parquetFiles(outDir)).filter((f) => !have.has(f));
  for (const f of missing) {
    const to = path.join(v2Dir, f);
    await mkdir(path.dirname(to), { recursive: true });
    await connection.run(buildListVersion({ from: path.join(outDir, f), to: `${to}.tmp`, lists: LIST_FACTS, masks: 'masks_applied', unmasked: 'pii_unmasked' }));
    await rename(`${to}.tmp`, to);
  }
  // The first run after an upgrade derives the whole log at once: worth a line; afterwards it follows each compaction silently.
  if (have.size === 0 && missing.length > 1) log(`access log: ${missing.length} compacted file(s) of ${ACCESS_LOG_PRODUCT} given their ${ACCESS_LOG_V2_PRODUCT} version`);
  return missing.length;
}

/** The job: compact every few seconds, so stewards see recent entries through the graph. */
export const compactAccessLogJob: DomainJob = {
  name: 'compact the access log',
  everyMs: 5_000,
  run: async ({ dataRoot, accessLogDir, log }) => void (await compactAccessLog(accessLogDir, path.join(dataRoot, 'governance', 'access-log'), log)),
};

/** The name of the Parquet files compacted from a segment: `segment-<first seq>` for the default chain, `<chain>.segment-<first seq>` for another. */
export const compactedStem = (chain: string, firstSeq: number): string => `${chain === DEFAULT_CHAIN ? '' : `${chain}.`}segment-${String(firstSeq).padStart(12, '0')}`;

/** The chain and first entry of a compacted file, from its name (undefined for another file, such as empty.parquet). */
export function parseCompactedName(file: string): { chain: string; firstSeq: number } | undefined {
  const m = /^(?:(.+)\.)?segment-(\d{12})-\d+\.parquet$/.exec(path.basename(file));
  return m ? { chain: m[1] ?? DEFAULT_CHAIN, firstSeq: Number(m[2]) } : undefined;
}
