/**
 * The access log published twice from the same segments: `access-log` (v1, list facts as
 * comma-separated text) and `access-log-v2` (the same rows, list facts as lists). Both are read back
 * here with plain DuckDB statements written in the test, and compared with the entries the writer
 * chained; the lists are checked against the v1 text split in TypeScript.
 */
import { DuckDBInstance } from '@duckdb/node-api';
import { mkdtemp, readdir, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { AccessLogWriter } from '../../gateway/index.js';
import { LIST_FACTS, MANIFEST_FILE, readManifest, toV2, type AccessFacts } from '../../schema/index.js';
import { compactAccessLog } from '../../subgraphs/governance/compactAccessLog.js';
import { readAccessLog } from '../../subgraphs/governance/readAccessLog.js';
import { cli } from '../support/cli.js';

const base: AccessFacts = {
  time: '2026-11-02T10:00:00.000Z',
  request_id: 'r',
  subject: 'ana',
  roles: 'analyst',
  purpose: null,
  client_name: null,
  client_version: null,
  operation_name: null,
  operation_type: 'query',
  document_hash: null,
  products: '',
  fields_read: '',
  masks_applied: '',
  pii_unmasked: '',
  pii_unmasked_count: 0,
  fields_denied: '',
  row_rules: '',
  rows_returned: '',
  rows_total: 0,
  decision: 'allow',
  status: 'ok',
  http_status: 200,
  error_code: null,
  duration_ms: 1,
};

/** Entries with lists of none, one and several items, over two days (two partitions). */
const FACTS: AccessFacts[] = [
  { ...base, request_id: 'r1', roles: '', subject: null, decision: 'unauthenticated', status: 'error', http_status: 401, error_code: 'UNAUTHENTICATED' },
  {
    ...base,
    request_id: 'r2',
    roles: 'analyst,auditor',
    products: 'customer-profiles,orders-enriched',
    fields_read: 'customer-profiles.email,customer-profiles.full_name,orders-enriched.order_id',
    masks_applied: 'customer-profiles.email=email,customer-profiles.full_name=redact',
    rows_returned: 'customer-profiles=3,orders-enriched=3',
    rows_total: 6,
    decision: 'mask',
  },
  {
    ...base,
    time: '2026-11-03T09:00:00.000Z',
    request_id: 'r3',
    subject: 'shop',
    roles: 'app',
    purpose: 'fulfillment',
    products: 'customer-profiles,payments',
    fields_read: 'customer-profiles.email,payments.card_number',
    masks_applied: 'payments.card_number=last4',
    pii_unmasked: 'customer-profiles.email',
    pii_unmasked_count: 1,
    row_rules: 'payments=apps-see-their-payments',
    rows_returned: 'customer-profiles=1,payments=1',
    rows_total: 2,
  },
  { ...base, request_id: 'r4', products: 'access-log-v2', fields_denied: 'access-log-v2', decision: 'deny', status: 'error', http_status: 403, error_code: 'FORBIDDEN' },
];

type Row = Record<string, unknown>;

/** Every row of a product folder, read by a plain statement (lists as JS arrays), by seq. */
async function rowsOf(dir: string): Promise<Row[]> {
  const instance = await DuckDBInstance.create(':memory:');
  const c = await instance.connect();
  try {
    const reader = await c.runAndReadAll(`SELECT * EXCLUDE (time), epoch_ms(time) AS time_ms FROM read_parquet('${dir}/**/*.parquet', hive_partitioning = false) ORDER BY seq`);
    return reader.getRowObjectsJS().map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === 'bigint' ? Number(v) : v])));
  } finally {
    c.closeSync();
    instance.closeSync();
  }
}

/** The Parquet type of each column of a product folder. */
async function typesOf(dir: string): Promise<Record<string, string>> {
  const instance = await DuckDBInstance.create(':memory:');
  const c = await instance.connect();
  try {
    const rows = (await c.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet('${dir}/**/*.parquet', hive_partitioning = false)`)).getRowObjectsJson();
    return Object.fromEntries(rows.map((r) => [String(r.column_name), String(r.column_type)]));
  } finally {
    c.closeSync();
    instance.closeSync();
  }
}

const split = (text: string): string[] => (text ? text.split(',') : []);
/** The PII columns a v1 row read, computed here from its text: the unmasked ones and the masked ones without their mask. */
const piiRead = (r: Row): string[] => [...new Set([...split(String(r.pii_unmasked)), ...split(String(r.masks_applied)).map((m) => m.split('=')[0]!)])].sort();

async function compactedLog(): Promise<{ root: string; rawDir: string; outDir: string; v2Dir: string }> {
  const root = await mkdtemp(path.join(tmpdir(), 'meshgate-v2-'));
  const rawDir = path.join(root, 'governance', 'access-log-raw');
  const outDir = path.join(root, 'governance', 'access-log');
  // Rotated after each fsync: entries written one by one land in segments of their own.
  const writer = await AccessLogWriter.open({ dir: rawDir, segmentMaxBytes: 1, log: () => undefined });
  for (const f of FACTS) await writer.append(f);
  await writer.close();
  await compactAccessLog(rawDir, outDir, () => undefined);
  return { root, rawDir, outDir, v2Dir: path.join(root, 'governance', 'access-log-v2') };
}

describe('compaction publishes access-log and access-log-v2 from the same segments', () => {
  it('writes the same entries to both, each v2 list the v1 text split at its commas', async () => {
    const { root, rawDir, outDir, v2Dir } = await compactedLog();
    const entries = (await readAccessLog({ dataRoot: root, rawDir })).entries;
    expect(entries).toHaveLength(FACTS.length);
    const v1 = await rowsOf(outDir);
    const v2 = await rowsOf(v2Dir);
    expect(v2.map((r) => r.event_id)).toEqual(entries.map((e) => e.event_id));
    expect(v1.map((r) => r.event_id)).toEqual(entries.map((e) => e.event_id));
    v1.forEach((r1, i) => {
      const r2 = v2[i]!;
      for (const [k, v] of Object.entries(r1)) {
        if ((LIST_FACTS as readonly string[]).includes(k)) expect({ k, v: r2[k] }).toEqual({ k, v: split(String(v)) });
        else expect({ k, v: r2[k] }).toEqual({ k, v });
      }
      expect(r2.pii_fields_read).toEqual(piiRead(r1));
    });
    // The lists of the entries above, spelt out once (split and piiRead are checked against them too).
    expect(v2.map((r) => r.products)).toEqual([[], ['customer-profiles', 'orders-enriched'], ['customer-profiles', 'payments'], ['access-log-v2']]);
    expect(v2.map((r) => r.pii_fields_read)).toEqual([[], ['customer-profiles.email', 'customer-profiles.full_name'], ['customer-profiles.email', 'payments.card_number'], []]);
    expect(v2.map((r) => r.roles)).toEqual([[], ['analyst', 'auditor'], ['app'], ['analyst']]);
  });

  it('types the list facts as VARCHAR[] in v2 and as text in v1, and publishes both with the same entries', async () => {
    const { outDir, v2Dir } = await compactedLog();
    const [t1, t2] = [await typesOf(outDir), await typesOf(v2Dir)];
    for (const k of LIST_FACTS) expect({ k, v1: t1[k], v2: t2[k] }).toEqual({ k, v1: 'VARCHAR', v2: 'VARCHAR[]' });
    expect(t2.pii_fields_read).toBe('VARCHAR[]');
    expect(t2.entry_json).toBe('VARCHAR');
    const [m1, m2] = [await readManifest(outDir), await readManifest(v2Dir)];
    if (m1.kind !== 'ok' || m2.kind !== 'ok') throw new Error('a product is not published');
    expect({ product: m2.manifest.product, contract: m2.manifest.contractVersion, rows: m2.manifest.rows }).toEqual({
      product: 'access-log-v2',
      contract: '2.0.0',
      rows: FACTS.length,
    });
    expect({ product: m1.manifest.product, contract: m1.manifest.contractVersion, rows: m1.manifest.rows }).toEqual({
      product: 'access-log',
      contract: '1.1.0',
      rows: FACTS.length,
    });
    // The same files, by name: each v2 file is its v1 file's list version.
    expect(m2.manifest.files).toEqual(m1.manifest.files);
  });

  it('rows are what `meshgate audit` derives from the entries (toV2), so the CLI and the product agree', async () => {
    const { root, rawDir, v2Dir } = await compactedLog();
    const entries = (await readAccessLog({ dataRoot: root, rawDir })).entries;
    const v2 = await rowsOf(v2Dir);
    entries.forEach((e, i) => {
      const derived = toV2(e) as unknown as Row;
      for (const k of [...LIST_FACTS, 'pii_fields_read']) expect({ k, v: v2[i]![k] }).toEqual({ k, v: derived[k] });
    });
  });

  it('derives the v2 files of a log compacted before v2 existed, and republishes v2 when its publication was lost', async () => {
    const { rawDir, outDir, v2Dir } = await compactedLog();
    const before = await rowsOf(v2Dir);
    await rm(v2Dir, { recursive: true });
    const lines: string[] = [];
    await compactAccessLog(rawDir, outDir, (line) => lines.push(line));
    expect(await rowsOf(v2Dir)).toEqual(before);
    expect(lines).toContainEqual(expect.stringMatching(/compacted file\(s\) of access-log given their access-log-v2 version/));
    // As if the process died after v1 was published and before v2 was: the next run publishes v2.
    await rm(path.join(v2Dir, MANIFEST_FILE));
    expect((await readManifest(v2Dir)).kind).not.toBe('ok');
    await compactAccessLog(rawDir, outDir, () => undefined);
    const m = await readManifest(v2Dir);
    expect(m.kind === 'ok' && m.manifest.rows).toBe(FACTS.length);
  });

  it('verifies the chain from v2 once v1 is retired (its files removed), and finds an entry edited there', async () => {
    const { root, rawDir, outDir, v2Dir } = await compactedLog();
    await rm(outDir, { recursive: true });
    const ok = await cli(['audit', 'verify', '--data-dir', root, '--log-dir', rawDir]);
    expect(ok.stdout).toMatch(new RegExp(`^access log verified: ${FACTS.length} entries`));
    expect((await cli(['audit', 'query', '--data-dir', root, '--log-dir', rawDir, '--format', 'json'])).stdout).toContain('"customer-profiles.full_name=redact"');
    // An edit of the subject inside a v2 row's entry_json (and its typed column, so only the hash can tell).
    const file = (await readdir(v2Dir, { recursive: true })).find((f) => f.endsWith('.parquet') && f.includes('segment-000000000002'))!;
    const at = path.join(v2Dir, file);
    const instance = await DuckDBInstance.create(':memory:');
    const c = await instance.connect();
    await c.run(
      `COPY (SELECT * REPLACE (replace(entry_json, '"subject":"ana"', '"subject":"eve"') AS entry_json, 'eve' AS subject) FROM read_parquet('${at}', hive_partitioning = false)) TO '${at}.tmp' (FORMAT parquet)`,
    );
    c.closeSync();
    instance.closeSync();
    await rename(`${at}.tmp`, at);
    const broken = await cli(['audit', 'verify', '--data-dir', root, '--log-dir', rawDir]);
    expect(broken.code).toBe(1);
    expect(broken.stdout).toMatch(/^access log BROKEN at position 2 \(E000000000002\): edited\n/);
    expect(broken.stdout).toContain(`where: ${at}, row 1`);
  });

  it('keeps `meshgate audit verify` on the chain: it verifies after both are written', async () => {
    const { root, rawDir } = await compactedLog();
    const r = await cli(['audit', 'verify', '--data-dir', root, '--log-dir', rawDir]);
    expect(r.stdout).toMatch(new RegExp(`^access log verified: ${FACTS.length} entries`));
    expect(r.code).toBe(0);
  });
});
