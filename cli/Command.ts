/** The shape of a `meshgate` sub-command, and the argument parsing they share. */
import { parseArgs, type ParseArgsConfig } from 'node:util';

/** One sub-command: its help text and what it does; resolves to an exit code. */
export interface Command {
  readonly help: string;
  run(args: readonly string[]): Promise<number>;
}

/** A mistake in how a command was called (exit code 2). */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Parses options strictly, turning node's parse errors into a {@link UsageError}. */
export function parseOptions<T extends NonNullable<ParseArgsConfig['options']>>(args: readonly string[], options: T) {
  try {
    return parseArgs({ args: [...args], options, strict: true, allowPositionals: true });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

/** Reads a positive integer option, or throws a {@link UsageError} naming it. */
export function positiveInt(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0) throw new UsageError(`--${name} must be a positive integer, got "${raw}"`);
  return n;
}

/** Reads a positive finite number option (fractions allowed), or throws a {@link UsageError} naming it. */
export function positiveNumber(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  const n = raw.trim() === '' ? Number.NaN : Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`--${name} must be a positive number, got "${raw}"`);
  return n;
}
