/**
 * The access log's inbox: a process that is not the log's writer (a build while a mesh holds the
 * log) hands its entries over as files; the writer appends them to the chain and removes them,
 * never losing one and never writing one twice, even after a crash between the append and the removal.
 */
import { mkdtemp, readdir, rename, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { AccessLogWriter } from '../../gateway/index.js';
import { inboxDir, submitToInbox, type AccessFacts } from '../../schema/index.js';
import { readAccessLog, verifyAccessLog } from '../../subgraphs/governance/readAccessLog.js';

const facts = (id: string): AccessFacts => ({
  time: new Date().toISOString(),
  request_id: id,
  subject: 'service:commerce',
  roles: 'service:commerce',
  purpose: 'analytics',
  client_name: 'meshgate build',
  client_version: null,
  operation_name: 'build orders-enriched',
  operation_type: 'build',
  document_hash: null,
  products: 'customer-profiles',
  fields_read: 'customer-profiles.customer_id',
  masks_applied: '',
  pii_unmasked: '',
  pii_unmasked_count: 0,
  fields_denied: '',
  row_rules: '',
  rows_returned: 'customer-profiles=3',
  rows_total: 3,
  decision: 'allow',
  status: 'ok',
  http_status: 200,
  error_code: null,
  duration_ms: 2,
});

const entries = async (dir: string): Promise<string[]> => (await readAccessLog({ dataRoot: path.join(dir, 'none'), rawDir: dir })).entries.map((e) => e.request_id);

describe('the access log inbox', () => {
  it('appends what another process left there, in order, and empties it', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'meshgate-inbox-'));
    const writer = await AccessLogWriter.open({ dir, log: () => undefined, inboxEveryMs: 0 });
    try {
      await writer.append(facts('own-1'));
      await submitToInbox(dir, facts('handed-1'));
      await submitToInbox(dir, facts('handed-2'));
      await writer.drainInbox();
      await writer.append(facts('own-2'));
      expect(await entries(dir)).toEqual(['own-1', 'handed-1', 'handed-2', 'own-2']);
      expect(await readdir(inboxDir(dir))).toEqual([]);
    } finally {
      await writer.close();
    }
    expect(verifyAccessLog(await readAccessLog({ dataRoot: path.join(dir, 'none'), rawDir: dir })).ok).toBe(true);
  });

  it('drains the inbox when a writer opens, so entries handed over while none ran are not left behind', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'meshgate-inbox-'));
    await submitToInbox(dir, facts('while-closed'));
    const writer = await AccessLogWriter.open({ dir, log: () => undefined });
    await writer.close();
    expect(await entries(dir)).toEqual(['while-closed']);
  });

  it('after a crash between the append and the removal, writes the entry once', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'meshgate-inbox-'));
    const writer = await AccessLogWriter.open({ dir, log: () => undefined, inboxEveryMs: 0 });
    await submitToInbox(dir, facts('appended-then-crash'));
    const [name] = await readdir(inboxDir(dir));
    // The state a crash leaves: the entry appended, its file claimed but not removed.
    await writer.append(facts('appended-then-crash'));
    await rename(path.join(inboxDir(dir), name!), path.join(inboxDir(dir), `${name}.claimed`));
    await submitToInbox(dir, facts('claimed-not-appended'));
    const [second] = (await readdir(inboxDir(dir))).filter((n) => !n.endsWith('.claimed'));
    await rename(path.join(inboxDir(dir), second!), path.join(inboxDir(dir), `${second}.claimed`));
    await writer.drainInbox();
    await writer.close();
    expect(await entries(dir)).toEqual(['appended-then-crash', 'claimed-not-appended']);
  });

  it('moves a file that holds no entry aside, and says so', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'meshgate-inbox-'));
    const lines: string[] = [];
    const writer = await AccessLogWriter.open({ dir, log: (l) => lines.push(l), inboxEveryMs: 0 });
    await submitToInbox(dir, facts('good'));
    const bad = `${Date.now() + 1}-00000000-0000-0000-0000-000000000000.json`;
    await writeFile(path.join(inboxDir(dir), bad), '{ not json');
    await writer.drainInbox();
    await writer.close();
    expect(await entries(dir)).toEqual(['good']);
    expect(lines.some((l) => l.includes(`inbox file ${bad} cannot be appended`))).toBe(true);
    expect(await readdir(inboxDir(dir))).toEqual([`${bad}.bad`]);
  });
});
