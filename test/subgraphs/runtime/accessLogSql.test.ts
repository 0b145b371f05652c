import { mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { AccessLogWriter } from '../../../gateway/index.js';
import type { AccessFacts } from '../../../schema/index.js';
import { compactAccessLog } from '../../../subgraphs/governance/compactAccessLog.js';
import { readAccessLog, verifyAccessLog } from '../../../subgraphs/governance/readAccessLog.js';
import { buildCompactedEntries, buildCompactSegment, buildEmptyProduct, buildListVersion, buildParquetRowCounts } from '../../../subgraphs/runtime/sql/index.js';

const dir = "/data/it's; DROP TABLE t; --";

const facts = (i: number): AccessFacts => ({
  time: new Date().toISOString(),
  request_id: `req-${i}`,
  subject: `user-${i}`,
  roles: 'steward',
  purpose: null,
  client_name: null,
  client_version: null,
  operation_name: null,
  operation_type: 'query',
  document_hash: null,
  products: 'access-log',
  fields_read: 'access-log.seq',
  masks_applied: '',
  pii_unmasked: '',
  pii_unmasked_count: 0,
  fields_denied: '',
  row_rules: '',
  rows_returned: 'access-log=1',
  rows_total: 1,
  decision: 'allow',
  status: 'ok',
  http_status: 200,
  error_code: null,
  duration_ms: 1,
});

describe('the access-log statements', () => {
  it.each([
    ['compaction', buildCompactSegment({ segment: `${dir}/segment.jsonl`, outDir: dir, fileStem: 'segment-1', columns: { seq: 'BIGINT' }, maxLineBytes: 1024, chain: 'default' })],
    ['the empty product', buildEmptyProduct(`${dir}/empty.parquet`, { seq: 'BIGINT' })],
    ['the row counts', buildParquetRowCounts([`${dir}/a.parquet`])],
    ['the compacted entries', buildCompactedEntries([`${dir}/a.parquet`])],
    ['the list version', buildListVersion({ from: `${dir}/a.parquet`, to: `${dir}/b.parquet.tmp`, lists: ['roles'], masks: 'masks_applied', unmasked: 'pii_unmasked' })],
  ])('quote a path holding a single quote as one literal (%s)', (_what, text) => {
    expect(text).toContain("'/data/it''s; DROP TABLE t; --");
    expect(text.replaceAll("''", '')).not.toContain("it's");
  });

  it('quote each column of the layout as an identifier', () => {
    expect(buildEmptyProduct('/data/empty.parquet', { 'a"b': 'VARCHAR' })).toContain('CAST(NULL AS VARCHAR) AS "a""b"');
    expect(buildListVersion({ from: '/a.parquet', to: '/b.parquet', lists: ['a"b'], masks: 'm"x', unmasked: 'u' })).toContain('string_split("a""b", \',\') END AS "a""b"');
  });

  it('compact a log under a folder named with a single quote into both versions, a v2 file for each v1 file', async () => {
    const root = await mkdtemp(path.join(tmpdir(), "meshgate-it's-v2-"));
    const rawDir = path.join(root, 'governance', 'access-log-raw');
    const writer = await AccessLogWriter.open({ dir: rawDir, segmentMaxBytes: 1, log: () => undefined });
    await Promise.all([1, 2].map((i) => writer.append(facts(i))));
    await writer.close();
    await compactAccessLog(rawDir, path.join(root, 'governance', 'access-log'), () => undefined);
    expect((await readdir(path.join(root, 'governance', 'access-log-v2'), { recursive: true })).filter((f) => f.endsWith('.parquet'))).toHaveLength(2);
  });

  it('compact a log under a folder named with a single quote, and read every entry back with its chain intact', async () => {
    const root = await mkdtemp(path.join(tmpdir(), "meshgate-it's-"));
    const rawDir = path.join(root, 'governance', 'access-log-raw');
    const outDir = path.join(root, 'governance', 'access-log');
    // Rotated after its first fsync: the entries written at once share segment 1, whatever the timing.
    const writer = await AccessLogWriter.open({ dir: rawDir, segmentMaxBytes: 1, log: () => undefined });
    const entries = await Promise.all([1, 2, 3].map((i) => writer.append(facts(i))));
    await writer.close();
    expect(await compactAccessLog(rawDir, outDir, () => undefined)).toBe(1);
    expect((await readdir(outDir, { recursive: true })).filter((f) => f.endsWith('.parquet'))).toHaveLength(2);
    const read = await readAccessLog({ dataRoot: root, rawDir });
    expect(read.entries).toEqual(entries);
    expect(read.origins.every((o) => o.row !== undefined)).toBe(true);
    expect(verifyAccessLog(read)).toEqual({ ok: true, count: 3, lastEventId: 'E000000000003' });
  });
});
