/**
 * The writer's side of the access log's inbox (schema/accessLog/inbox.ts): appends the facts other
 * processes left there to the chain, oldest first, and removes each file once its entry is durable.
 * A file is claimed (renamed `.claimed`) before its append, so after a crash between the append and
 * the removal, the restart finds it claimed and looks for its request id in the open segment before
 * appending it again: an entry is never lost and never written twice.
 */
import { readdir, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { inboxDir, INBOX_ENTRY, parseSegmentName, type AccessFacts } from '../../schema/index.js';
import type { AccessLog } from './AccessLog.js';

/** Whether the open segment of `logDir` already holds an entry of `requestId`. */
async function alreadyAppended(logDir: string, requestId: string): Promise<boolean> {
  const open = (await readdir(logDir)).find((n) => parseSegmentName(n)?.open);
  if (!open) return false;
  const text = await readFile(path.join(logDir, open), 'utf8').catch(() => '');
  return text.includes(`"request_id":${JSON.stringify(requestId)}`);
}

/** Appends every entry waiting in the inbox; resolves to how many were appended. A bad file is reported and left. */
export async function drainInbox(logDir: string, accessLog: AccessLog, log: (line: string) => void): Promise<number> {
  const dir = inboxDir(logDir);
  const names = (await readdir(dir).catch(() => [] as string[])).filter((n) => INBOX_ENTRY.test(n)).sort();
  let appended = 0;
  for (const name of names) {
    const claimed = name.endsWith('.claimed') ? path.join(dir, name) : `${path.join(dir, name)}.claimed`;
    if (!name.endsWith('.claimed')) await rename(path.join(dir, name), claimed);
    let facts: AccessFacts;
    try {
      facts = JSON.parse(await readFile(claimed, 'utf8')) as AccessFacts;
      if (typeof facts.request_id !== 'string' || typeof facts.time !== 'string') throw new Error('not the facts of an entry');
    } catch (error) {
      log(`access log: inbox file ${name} cannot be appended (${(error as Error).message}); moved aside as ${name.replace(/\.claimed$/, '')}.bad`);
      await rename(claimed, `${claimed.replace(/\.claimed$/, '')}.bad`).catch(() => undefined);
      continue;
    }
    if (!(name.endsWith('.claimed') && (await alreadyAppended(logDir, facts.request_id)))) {
      await accessLog.append(facts);
      appended++;
    }
    await rm(claimed, { force: true });
  }
  return appended;
}
