/**
 * A PostgreSQL failure in words an operator acts on: which server, which role, what to check. The
 * server's own message is kept where it is the clearest account (an unknown column, a syntax
 * error), with its SQLSTATE; the connection's password never appears (messages name the target as
 * `user@host:port/database`).
 */

/** Where a connection points, for messages; `password` only so messages can be scrubbed of it. */
export interface PgTarget {
  readonly user: string;
  readonly database: string;
  /** `user@host:port/database`. */
  readonly shown: string;
  readonly password: string;
}

const NETWORK: Record<string, (t: PgTarget) => string> = {
  ECONNREFUSED: (t) => `PostgreSQL at ${t.shown} refuses connections (is the server running, on that host and port?)`,
  ECONNRESET: (t) => `PostgreSQL at ${t.shown} closed the connection`,
  ENOTFOUND: (t) => `the host of ${t.shown} is unknown`,
  EAI_AGAIN: (t) => `the host of ${t.shown} cannot be resolved now`,
  ETIMEDOUT: (t) => `PostgreSQL at ${t.shown} did not answer in time`,
  EHOSTUNREACH: (t) => `the host of ${t.shown} is unreachable`,
};

const SERVER: Record<string, (t: PgTarget, message: string) => string> = {
  '28P01': (t) => `PostgreSQL at ${t.shown} refused the credentials of role "${t.user}" (wrong password, or no such role)`,
  '28000': (t, m) => `PostgreSQL at ${t.shown} refused role "${t.user}": ${m}`,
  '3D000': (t) => `database "${t.database}" does not exist at ${t.shown}`,
  '57014': (_t, m) => (/statement timeout/.test(m) ? 'it ran longer than its statement timeout and was cancelled' : `it was cancelled: ${m}`),
  '25006': (_t, m) => `it tried to write, and the snapshot is read-only: ${m}`,
  '42501': (t, m) => `role "${t.user}" lacks a privilege: ${m}`,
  '57P01': (t) => `PostgreSQL at ${t.shown} is shutting down`,
  '53300': (t) => `PostgreSQL at ${t.shown} has too many connections`,
};

/** What went wrong, in one line. */
export function pgProblem(error: unknown, target: PgTarget): string {
  const e = error as { code?: unknown; message?: unknown; errors?: readonly { code?: unknown }[] };
  const code = typeof e.code === 'string' ? e.code : typeof e.errors?.[0]?.code === 'string' ? e.errors[0].code : undefined;
  const message = typeof e.message === 'string' ? e.message.split('\n')[0]! : String(error);
  if (code && NETWORK[code]) return NETWORK[code](target);
  if (code && SERVER[code]) return SERVER[code](target, message);
  if (/connection timeout/i.test(message)) return `PostgreSQL at ${target.shown} did not answer within 10 s`;
  if (/Connection terminated/i.test(message)) return `the connection to PostgreSQL at ${target.shown} was lost (${message})`;
  return code && /^[0-9A-Z]{5}$/.test(code) ? `PostgreSQL says: ${message} (SQLSTATE ${code})` : message;
}
