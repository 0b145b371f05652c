/**
 * The one logging function threaded through every layer: a message and, optionally, structured
 * fields. A plain `(line) => void` is still a {@link Log} (the fields are optional), so every caller
 * and every test double written before structured logs keeps working; the composition root (cli/)
 * backs it with pino. Fields are for identifiers and counts only: never a token, a variable's value
 * or personal data (the root's logger also redacts the usual places for them).
 */

/** How bad a logged event is; an unset level is `info`. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** Structured context of one log line: what request, operation and client it is about, and how bad it is. */
export interface LogFields {
  readonly level?: LogLevel;
  readonly requestId?: string;
  readonly operationName?: string;
  readonly clientName?: string;
  readonly clientVersion?: string;
  /** Any other bounded, non-personal value (durations, counts, codes, a domain's name). */
  readonly [key: string]: unknown;
}

/** Writes one log line. */
export type Log = (line: string, fields?: LogFields) => void;
