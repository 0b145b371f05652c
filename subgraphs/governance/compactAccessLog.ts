/**
 * The governance domain's transform: turns the gateway's closed access-log segments (JSON lines)
 * into the `access-log` product, date-partitioned Parquet under `governance/access-log/`, keeping
 * each entry's exact line (`entry_json`) so the hash chain still verifies. Segments are compacted
 * strictly in order; the last compacted entry is recorded (`compacted-head.json`) before a segment
 * is removed, so the gateway continues the chain after a restart. Rerunning after a crash rewrites
 * the same files (idempotent).
 */
import { DuckDBInstance } from '@duckdb/node-api';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { compactedHeadFile, parseSegmentName, readHead, readManifest, versionId, writeManifest, type AccessEvent, type ChainHead } from '../../schema/index.js';
import type { DomainJob } from '../runtime/index.js';
import { buildCompactSegment, buildEmptyProduct, buildParquetRowCounts, type AccessLogColumns } from '../runtime/sql/index.js';
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
 * writes it and says why it reads each line whole). Files are named after the segment's first entry,
 * which is where readAccessLog places the entries of a file it cannot read.
 */
function compactStatement(segment: string, outDir: string, firstSeq: number): string {
  return buildCompactSegment({ segment, outDir, fileStem: `segment-${String(firstSeq).padStart(12, '0')}`, columns: COLUMNS, optional: OPTIONAL, maxLineBytes: MAX_LINE_BYTES });
}

/** An empty log is an empty product, not a missing one: an empty Parquet file with the product's columns. */
function emptyStatement(outDir: string): string {
  return buildEmptyProduct(path.join(outDir, 'empty.parquet'), COLUMNS);
}

/** Compacts every closed segment that follows the last compacted entry, in order. */
export async function compactAccessLog(rawDir: string, outDir: string, log: (line: string) => void): Promise<number> {
  const closed = (await readdir(rawDir).catch(() => []))
    .map((n) => ({ n, s: parseSegmentName(n) }))
    .filter((x) => x.s && !x.s.open)
    .sort((a, b) => a.s!.firstSeq - b.s!.firstSeq);
  const hasOutput = (await readdir(outDir).catch(() => [])).length > 0;
  if (closed.length === 0 && hasOutput && (await readManifest(outDir)).kind === 'ok') return 0;
  let head = await readHead(rawDir);
  const instance = await DuckDBInstance.create(':memory:', { threads: '1' });
  const connection = await instance.connect();
  let done = 0;
  try {
    if (!hasOutput) {
      await mkdir(outDir, { recursive: true });
      await connection.run(emptyStatement(outDir));
    }
    for (const { n, s } of closed) {
      if (s!.firstSeq !== head.seq + 1) {
        // Compacted already: its last entry is the head recorded, then a crash came before the segment was removed.
        const text = (await readFile(path.join(rawDir, n), 'utf8')).trimEnd();
        let last: Partial<AccessEvent> | undefined;
        try {
          last = JSON.parse(text.slice(text.lastIndexOf('\n') + 1)) as AccessEvent;
        } catch {
          last = undefined;
        }
        if (last?.seq === head.seq && last.hash === head.hash) {
          await rm(path.join(rawDir, n));
          continue;
        }
        log(`access log: segment ${n} does not follow entry ${head.seq}; left for \`meshgate audit verify\` to explain`);
        break;
      }
      const file = path.join(rawDir, n);
      const text = (await readFile(file, 'utf8')).trimEnd();
      if (!text) {
        await rm(file);
        continue;
      }
      const last = JSON.parse(text.slice(text.lastIndexOf('\n') + 1)) as AccessEvent;
      await connection.run(compactStatement(file, outDir, s!.firstSeq));
      head = { seq: last.seq, hash: last.hash };
      const tmp = `${compactedHeadFile(rawDir)}.tmp`;
      await writeFile(tmp, JSON.stringify(head));
      await rename(tmp, compactedHeadFile(rawDir));
      await rm(file);
      done++;
    }
    if (done > 0 || (await readManifest(outDir)).kind !== 'ok') await publishLog(connection, outDir, head);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
  if (done) log(`access log: compacted ${done} segment(s), up to entry ${head.seq}`);
  return done;
}

/**
 * Publishes the product as it now is: a manifest naming every Parquet file compaction has written
 * (schema/publish), whose version is the last entry compacted. The product is a stream: each
 * compaction adds files, and the manifest's swap makes them served at once, never half.
 */
async function publishLog(connection: DuckDBConnection, outDir: string, head: ChainHead): Promise<void> {
  const files = (await readdir(outDir, { recursive: true })).filter((f) => f.endsWith('.parquet')).sort();
  const counts = (await connection.runAndReadAll(buildParquetRowCounts(files.map((f) => path.join(outDir, f))))).getRowObjectsJson();
  const now = new Date();
  await writeManifest(outDir, {
    format: 'meshgate-manifest/1',
    product: 'access-log',
    version: versionId(head.seq, now),
    publishedAt: now.toISOString(),
    dataAsOf: now.toISOString(),
    source: 'stream',
    files,
    rows: counts.reduce((sum, c) => sum + Number(c.num_rows ?? 0), 0),
    contractVersion: '1.0.0',
  });
}

/** The job: compact every few seconds, so stewards see recent entries through the graph. */
export const compactAccessLogJob: DomainJob = {
  name: 'compact the access log',
  everyMs: 5_000,
  run: async ({ dataRoot, accessLogDir, log }) => void (await compactAccessLog(accessLogDir, path.join(dataRoot, 'governance', 'access-log'), log)),
};
