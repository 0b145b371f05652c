/**
 * The process's one logger, made at the edge: pino writing to stderr (commands print their data on
 * stdout), JSON lines for a log collector, or readable lines in a terminal (MESHGATE_LOG_FORMAT:
 * auto picks pretty when stderr is a TTY). Every layer below gets it as a {@link Log} function, so
 * none of them depends on pino. pino-pretty runs as an in-process stream, not a transport worker.
 */
import { hostname } from 'node:os';
import type { Writable } from 'node:stream';
import { pino, type Logger } from 'pino';
import pretty from 'pino-pretty';
import type { Log, LogFields } from '../schema/index.js';
import type { Config } from './config.js';

/**
 * Where secrets or personal data would sit if a field ever carried them: a token, the headers it
 * came in, the signed access context, variable values, a row. The message text is ours and never
 * holds them (tested in test/cli/logger.test.ts); this is the second line of defence.
 */
export const REDACTED_PATHS: readonly string[] = [
  'authorization',
  'cookie',
  'token',
  'password',
  'secret',
  'variables',
  'row',
  'rows',
  'headers',
  '*.authorization',
  '*.cookie',
  '*.token',
  '*.password',
  '*.secret',
  '*.variables',
  '*.headers',
  '*["x-meshgate-access-context"]',
];

/** What the logger is made from: the configuration's level and format, and (tests) another destination than stderr. */
export interface LoggerOptions {
  readonly level: Config['MESHGATE_LOG_LEVEL'];
  readonly format: Config['MESHGATE_LOG_FORMAT'];
  readonly instance?: string | undefined;
  /** Default: stderr. */
  readonly destination?: Writable;
  /** Whether the destination is a terminal (decides `auto`); default: whether stderr is. */
  readonly isTTY?: boolean;
}

/** The pino logger of the process. */
export function createLogger(options: LoggerOptions): Logger {
  const isTTY = options.isTTY ?? (options.destination ? false : process.stderr.isTTY === true);
  const usePretty = options.format === 'pretty' || (options.format === 'auto' && isTTY);
  const common = {
    level: options.level,
    base: { pid: process.pid, hostname: hostname(), ...(options.instance !== undefined && { instance: options.instance }) },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: [...REDACTED_PATHS], censor: '[redacted]' },
  };
  if (usePretty) {
    const stream = pretty({ destination: options.destination ?? process.stderr, sync: true, colorize: isTTY, ignore: 'pid,hostname', translateTime: 'SYS:HH:MM:ss.l' });
    return pino(common, stream);
  }
  // Level names rather than numbers in JSON: what log collectors and people grep for. Through process.stderr, which is
  // synchronous for files and pipes on Linux: a line logged before a failed start reaches stderr before the one-line
  // reason, none is lost when the process exits, and whatever captures process.stderr sees it.
  return pino({ ...common, formatters: { level: (label) => ({ level: label }) } }, options.destination ?? process.stderr);
}

/** The logger made from the configuration. */
export function loggerFromConfig(config: Pick<Config, 'MESHGATE_LOG_LEVEL' | 'MESHGATE_LOG_FORMAT' | 'MESHGATE_INSTANCE'>): Logger {
  return createLogger({ level: config.MESHGATE_LOG_LEVEL, format: config.MESHGATE_LOG_FORMAT, instance: config.MESHGATE_INSTANCE });
}

// Lines written before structured logs named their level in words; they keep meaning it.
const SAYS_WARNING = /^(WARNING|warning)\b/;

/** `logger` as the {@link Log} function the layers call: the fields' level (else info, or warn for a line starting "WARNING") and the rest as structured context. */
export function logTo(logger: Logger): Log {
  return (line: string, fields?: LogFields) => {
    const { level, ...context } = fields ?? {};
    const chosen = level ?? (SAYS_WARNING.test(line) ? 'warn' : 'info');
    if (!logger.isLevelEnabled(chosen)) return;
    if (Object.keys(context).length === 0) logger[chosen](line);
    else logger[chosen](context, line);
  };
}
