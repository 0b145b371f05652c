/**
 * Misuse: someone with write access to the log's files edits, removes, reorders or corrupts an
 * entry, in the gateway's JSON-lines segments or in the compacted Parquet. `meshgate audit verify`
 * must fail and name exactly the first bad entry.
 */
import { DuckDBInstance } from '@duckdb/node-api';
import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { cli } from '../support/cli.js';
import { eventId, type AccessEvent } from '../../schema/index.js';
import { readAccessLog, type AccessLogRead } from '../../subgraphs/governance/readAccessLog.js';
import { startTestMesh, type TestMesh } from '../support/startTestMesh.js';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const quote = (text: string): string => `'${text.replaceAll("'", "''")}'`;

let mesh: TestMesh;
let original: AccessLogRead;

/** Allowed, masked, denied and unauthenticated requests, twice over, all at once. */
async function mixedLoad(): Promise<void> {
  const analyst = { authorization: `Bearer ${await mesh.token({ sub: 'ana', roles: ['analyst'] })}` };
  await Promise.all(
    [0, 1].flatMap(() => [
      mesh.query('{ orders(limit: 2) { orderId totalAmount } }'),
      mesh.query('{ customers(limit: 2) { customerId email } }', {}, analyst),
      mesh.query('{ accessLog(limit: 1) { eventId } }', {}, analyst),
      mesh.query('{ orders(limit: 1) { orderId } }', {}, { authorization: 'Bearer not.a.token' }),
    ]),
  );
}

const rawDirOf = (root: string): string => path.join(root, 'governance', 'access-log-raw');

beforeAll(async () => {
  mesh = await startTestMesh({ env: { MESHGATE_ACCESS_LOG_ROTATE_MS: '200' } });
  await mixedLoad();
  // The governance job compacts closed segments every 5 s; right after it has, the next load stays in segments.
  const head = path.join(rawDirOf(mesh.dataRoot), 'compacted-head.json');
  for (
    let waited = 0;
    !(await readFile(head, 'utf8').then(
      (t) => (JSON.parse(t) as { seq: number }).seq >= 8,
      () => false,
    ));
    waited += 100
  ) {
    if (waited > 20_000) throw new Error('the governance job did not compact the access log within 20 s');
    await sleep(100);
  }
  await mixedLoad();
  await mesh.close();
  original = await readAccessLog({ dataRoot: mesh.dataRoot, rawDir: rawDirOf(mesh.dataRoot) });
}, 90_000);

/** A position k whose entries k and k+1 were read from one file of the given kind, away from the log's ends. */
function pick(kind: 'segment' | 'parquet'): { k: number; file: string; at: number } {
  const { origins } = original;
  const inKind = (i: number): boolean => (kind === 'segment' ? origins[i]?.line !== undefined : origins[i]?.row !== undefined);
  const candidates = origins.map((_, i) => i).filter((i) => i > 0 && inKind(i) && inKind(i + 1) && origins[i]!.file === origins[i + 1]!.file);
  const i = candidates[Math.floor(candidates.length / 2)];
  if (i === undefined) throw new Error(`no two neighbouring entries in one ${kind} file: ${JSON.stringify(origins)}`);
  return { k: i + 1, file: origins[i]!.file, at: origins[i]!.line ?? origins[i]!.row! };
}

/** A copy of the mesh's log, and where a file of the original is in it. */
async function copyOfLog(): Promise<{ root: string; inCopy: (file: string) => string }> {
  const root = await mkdtemp(path.join(tmpdir(), 'meshgate-tamper-'));
  await cp(path.join(mesh.dataRoot, 'governance'), path.join(root, 'governance'), { recursive: true });
  return { root, inCopy: (file) => path.join(root, path.relative(mesh.dataRoot, file)) };
}

/** `meshgate audit verify` on a log, and the first bad entry it names. */
async function verify(root: string) {
  const r = await cli(['audit', 'verify', '--data-dir', root, '--log-dir', rawDirOf(root)]);
  const m = /^access log BROKEN at position (\d+) \((E\d+)\): (\w+)$/m.exec(r.stdout);
  return { ...r, position: m ? Number(m[1]) : undefined, named: m?.[2], kind: m?.[3] };
}

/** Rewrites a segment's lines (line n is `lines[n - 1]`). */
async function editLines(file: string, change: (lines: string[]) => void): Promise<void> {
  const lines = (await readFile(file, 'utf8')).split('\n');
  change(lines);
  await writeFile(file, lines.join('\n'));
}

/** Rewrites a compacted Parquet file through DuckDB, as someone with DuckDB and write access would. */
async function editParquet(file: string, statement: string, values: (string | number)[] = []): Promise<void> {
  const instance = await DuckDBInstance.create(':memory:');
  const c = await instance.connect();
  try {
    await c.run(`CREATE TABLE t AS SELECT * FROM read_parquet(${quote(file)}, hive_partitioning = false)`);
    await c.run(statement, values);
    await c.run(`COPY t TO ${quote(file)} (FORMAT parquet)`);
  } finally {
    c.closeSync();
    instance.closeSync();
  }
}

describe('meshgate audit verify against a tampered log', () => {
  it('verifies the log as the gateway wrote it, allowed, masked, denied and unauthenticated, compacted and not', async () => {
    const n = original.entries.length;
    expect(n).toBe(16);
    expect(original.problems).toEqual([]);
    const decisions = (part: 'line' | 'row') => new Set(original.entries.filter((_, i) => original.origins[i]![part] !== undefined).map((e) => e.decision));
    expect(decisions('row')).toEqual(new Set(['allow', 'mask', 'deny', 'unauthenticated']));
    expect(decisions('line')).toEqual(new Set(['allow', 'mask', 'deny', 'unauthenticated']));
    const { root } = await copyOfLog();
    const r = await verify(root);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`access log verified: ${n} entries, chain intact up to ${eventId(n)}\n`);
  });

  describe('in the segments the gateway still holds', () => {
    it('names entry k when one of its fields was edited', async () => {
      const { k, file, at } = pick('segment');
      const { root, inCopy } = await copyOfLog();
      await editLines(inCopy(file), (lines) => {
        const e = JSON.parse(lines[at - 1]!) as Record<string, unknown>;
        lines[at - 1] = JSON.stringify({ ...e, decision: e.decision === 'allow' ? 'deny' : 'allow' });
      });
      expect(await verify(root)).toMatchObject({ code: 1, position: k, named: eventId(k), kind: 'edited' });
    });

    it('names entry k as missing, and entry k+1 as found in its place, when entry k was removed', async () => {
      const { k, file, at } = pick('segment');
      const { root, inCopy } = await copyOfLog();
      await editLines(inCopy(file), (lines) => void lines.splice(at - 1, 1));
      const r = await verify(root);
      expect(r).toMatchObject({ code: 1, position: k, named: eventId(k), kind: 'removed' });
      expect(r.stdout).toContain(`found: ${eventId(k + 1)} (seq ${k + 1})`);
    });

    it('names entry k when entries k and k+1 were swapped', async () => {
      const { k, file, at } = pick('segment');
      const { root, inCopy } = await copyOfLog();
      await editLines(inCopy(file), (lines) => void ([lines[at - 1], lines[at]] = [lines[at]!, lines[at - 1]!]));
      expect(await verify(root)).toMatchObject({ code: 1, position: k, named: eventId(k), kind: 'reordered' });
    });

    it('names entry k when garbage was written into the middle of its line', async () => {
      const { k, file, at } = pick('segment');
      const { root, inCopy } = await copyOfLog();
      await editLines(inCopy(file), (lines) => {
        const line = lines[at - 1]!;
        const mid = Math.floor(line.length / 2);
        lines[at - 1] = `${line.slice(0, mid)}\u0000\u00ff#garbage#${line.slice(mid + 12)}`;
      });
      const r = await verify(root);
      expect(r).toMatchObject({ code: 1, position: k, named: eventId(k), kind: 'unparsable' });
      expect(r.stdout).toContain(`${path.basename(file)}, line ${at}`);
    });

    it('names position k when a line of garbage was slipped in before entry k', async () => {
      const { k, file, at } = pick('segment');
      const { root, inCopy } = await copyOfLog();
      await editLines(inCopy(file), (lines) => void lines.splice(at - 1, 0, '{"seq": "garbage'));
      expect(await verify(root)).toMatchObject({ code: 1, position: k, named: eventId(k), kind: 'unparsable' });
    });
  });

  describe('in the compacted Parquet', () => {
    it('names entry k when a field of its stored line was edited', async () => {
      const { k, file } = pick('parquet');
      const e = original.entries[k - 1]!;
      const { root, inCopy } = await copyOfLog();
      const forged: AccessEvent = { ...e, masks_applied: '', pii_unmasked: e.fields_read };
      await editParquet(inCopy(file), 'UPDATE t SET entry_json = $1 WHERE seq = $2', [JSON.stringify(forged), k]);
      const r = await verify(root);
      expect(r).toMatchObject({ code: 1, position: k, named: eventId(k), kind: 'edited' });
      expect(r.stdout).toContain('does not match its hash');
    });

    it.each([
      ['subject', "subject = 'someone-else'"],
      ['decision', "decision = CASE WHEN decision = 'allow' THEN 'deny' ELSE 'allow' END"],
      ['time', '"time" = "time" + INTERVAL 1 HOUR'],
      ['event_id', "event_id = 'E999999999999'"],
      ['seq', 'seq = seq + 1000'],
    ])('names entry k when its typed column %s was changed', async (column, assignment) => {
      const { k, file } = pick('parquet');
      const { root, inCopy } = await copyOfLog();
      await editParquet(inCopy(file), `UPDATE t SET ${assignment} WHERE seq = $1`, [k]);
      const r = await verify(root);
      expect(r).toMatchObject({ code: 1, position: k, named: eventId(k), kind: 'edited' });
      expect(r.stdout).toContain(`typed column ${column}`);
    });

    it('names entry k as missing when its row was deleted', async () => {
      const { k, file } = pick('parquet');
      const { root, inCopy } = await copyOfLog();
      await editParquet(inCopy(file), 'DELETE FROM t WHERE seq = $1', [k]);
      const r = await verify(root);
      expect(r).toMatchObject({ code: 1, position: k, named: eventId(k), kind: 'removed' });
      expect(r.stdout).toContain(`found: ${eventId(k + 1)}`);
    });

    it('names entry k when the stored lines of entries k and k+1 were swapped', async () => {
      const { k, file } = pick('parquet');
      const { root, inCopy } = await copyOfLog();
      await editParquet(
        inCopy(file),
        'UPDATE t SET entry_json = (SELECT o.entry_json FROM t AS o WHERE o.seq = (CASE WHEN t.seq = $1 THEN $2 ELSE $1 END)) WHERE seq IN ($1, $2)',
        [k, k + 1],
      );
      expect(await verify(root)).toMatchObject({ code: 1, position: k, named: eventId(k) });
    });

    it('names the first entry of a compacted file cut short in the middle, and the file', async () => {
      const { file } = pick('parquet');
      const first = original.origins.findIndex((o) => o.file === file) + 1;
      const { root, inCopy } = await copyOfLog();
      const bytes = await readFile(inCopy(file));
      await writeFile(inCopy(file), Buffer.concat([bytes.subarray(0, bytes.length / 2), Buffer.from('garbage')]));
      const r = await verify(root);
      expect(r).toMatchObject({ code: 1, position: first, named: eventId(first), kind: 'unparsable' });
      expect(r.stdout).toContain(path.basename(file));
    });

    it('names entry k when garbage was written into its stored line', async () => {
      const { k, file } = pick('parquet');
      const { root, inCopy } = await copyOfLog();
      await editParquet(inCopy(file), "UPDATE t SET entry_json = substr(entry_json, 1, 40) || '#garbage' WHERE seq = $1", [k]);
      const r = await verify(root);
      expect(r).toMatchObject({ code: 1, position: k, named: eventId(k), kind: 'unparsable' });
      expect(r.stdout).toContain(path.basename(file));
    });
  });
});
