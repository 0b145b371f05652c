/**
 * A gateway replica's access log in a process of its own, for test/accessLog/replicas.test.ts:
 * `node --import tsx replicaWriter.ts <log dir> <instance> <entries>` opens the instance's chain
 * (which drains the shared inbox at once and every 20 ms), appends its own entries, waits until the
 * inbox is empty, closes, and exits 0.
 */
import { readdir } from 'node:fs/promises';
import { AccessLogWriter } from '../../gateway/index.js';
import { inboxDir, type AccessFacts } from '../../schema/index.js';

const [dir, instance, count] = process.argv.slice(2) as [string, string, string];
const facts = (id: string): AccessFacts => ({
  time: new Date().toISOString(),
  request_id: id,
  subject: null,
  roles: '',
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
});

const writer = await AccessLogWriter.open({ dir, instance, inboxEveryMs: 20, log: () => undefined });
await Promise.all(Array.from({ length: Number(count) }, (_, i) => writer.append(facts(`${instance}-${i}`))));
for (const deadline = Date.now() + 20_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 20))) {
  if ((await readdir(inboxDir(dir))).length === 0) break;
}
await writer.close();
