/**
 * The access log's inbox: how a process that is not the log's writer (a `meshgate build` while a
 * mesh is running, which holds the log) still gets its accesses on the record. It writes each
 * entry's facts as one file in `<log dir>/inbox/`, fsynced before it goes on (so no access is ever
 * unrecorded), and the writer appends them to the chain within about a second, then removes them.
 * With several gateways on one log directory, each drains the one inbox: a file is claimed by an
 * atomic rename to `<name>.claimed-<instance>` before its append, so exactly one gateway appends it.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, open, rename } from 'node:fs/promises';
import path from 'node:path';
import { DEFAULT_CHAIN, type AccessFacts } from './AccessEvent.js';

/** The inbox folder of a log directory. */
export const inboxDir = (logDir: string): string => path.join(logDir, 'inbox');

/**
 * An inbox file waiting to be appended, and one a writer has claimed (appending it now, or when it
 * crashed doing so): `.claimed-<instance>`, or `.claimed` as a gateway before replicas claimed.
 */
export const INBOX_ENTRY = /^(\d{13})-[0-9a-f-]{36}\.json(\.claimed(-[A-Za-z0-9][A-Za-z0-9._-]*)?)?$/;

/** The instance whose claim an inbox file is (the default chain's for a bare `.claimed`), or undefined when it is unclaimed. */
export function claimedBy(name: string): string | undefined {
  const m = INBOX_ENTRY.exec(name);
  if (!m?.[2]) return undefined;
  return m[3] ? m[3].slice(1) : DEFAULT_CHAIN;
}

/** Puts one entry's facts in the inbox, durably; resolves once it cannot be lost. */
export async function submitToInbox(logDir: string, facts: AccessFacts): Promise<void> {
  const dir = inboxDir(logDir);
  await mkdir(dir, { recursive: true });
  const name = `${Date.now()}-${randomUUID()}.json`;
  const temp = path.join(dir, `.${name}.tmp`);
  const handle = await open(temp, 'w');
  try {
    await handle.writeFile(JSON.stringify(facts));
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temp, path.join(dir, name));
  const folder = await open(dir, 'r');
  await folder.sync().catch(() => undefined);
  await folder.close();
}
