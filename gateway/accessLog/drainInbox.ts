/**
 * The writer's side of the access log's inbox (schema/accessLog/inbox.ts): appends the facts other
 * processes left there to this writer's chain, oldest first, and removes each file once its entry
 * is durable. Several gateways drain the one inbox: a file is claimed by renaming it
 * `<name>.claimed-<instance>` before its append, and a rename is atomic, so one gateway wins each
 * file and the others find it gone. After a crash between the append and the removal, the restart
 * (the same instance: its name is stable) finds its own claim and looks for the request id in its
 * open segment before appending it again: an entry is never lost and never written twice. Another
 * instance's claim is left to that instance.
 */
import { readdir, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { claimedBy, inboxDir, INBOX_ENTRY, parseSegmentName, type AccessFacts } from '../../schema/index.js';
import type { AccessLog } from './AccessLog.js';

/** Where this writer's inbox is and whose claims are its own. */
export interface InboxOwner {
  /** The log directory (the inbox is `<logDir>/inbox`). */
  readonly logDir: string;
  /** This writer's chain folder, whose open segment a claimed file's entry may already be in. */
  readonly chainDir: string;
  /** This writer's instance: its claims are `.claimed-<instance>`. */
  readonly instance: string;
}

/** Whether the open segment of `dir` already holds an entry of `requestId`. */
async function alreadyAppended(dir: string, requestId: string): Promise<boolean> {
  const open = (await readdir(dir)).find((n) => parseSegmentName(n)?.open);
  if (!open) return false;
  const text = await readFile(path.join(dir, open), 'utf8').catch(() => '');
  return text.includes(`"request_id":${JSON.stringify(requestId)}`);
}

/** Claims an unclaimed file; resolves to its claimed path, or undefined when another writer claimed it first. */
async function claim(dir: string, name: string, instance: string): Promise<string | undefined> {
  const claimed = path.join(dir, `${name}.claimed-${instance}`);
  try {
    await rename(path.join(dir, name), claimed);
    return claimed;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** Appends every entry waiting in the inbox that this writer claims; resolves to how many were appended. A bad file is reported and left. */
export async function drainInbox(owner: InboxOwner, accessLog: AccessLog, log: (line: string) => void): Promise<number> {
  const dir = inboxDir(owner.logDir);
  const names = (await readdir(dir).catch(() => [] as string[])).filter((n) => INBOX_ENTRY.test(n)).sort();
  let appended = 0;
  for (const name of names) {
    const by = claimedBy(name);
    if (by !== undefined && by !== owner.instance) continue;
    const recovering = by !== undefined;
    const claimed = recovering ? path.join(dir, name) : await claim(dir, name, owner.instance);
    if (claimed === undefined) continue;
    const base = name.replace(/\.claimed(-.*)?$/, '');
    let facts: AccessFacts;
    try {
      facts = JSON.parse(await readFile(claimed, 'utf8')) as AccessFacts;
      if (typeof facts.request_id !== 'string' || typeof facts.time !== 'string') throw new Error('not the facts of an entry');
    } catch (error) {
      log(`access log: inbox file ${base} cannot be appended (${(error as Error).message}); moved aside as ${base}.bad`);
      await rename(claimed, path.join(dir, `${base}.bad`)).catch(() => undefined);
      continue;
    }
    if (!(recovering && (await alreadyAppended(owner.chainDir, facts.request_id)))) {
      await accessLog.append(facts);
      appended++;
    }
    await rm(claimed, { force: true });
  }
  return appended;
}
