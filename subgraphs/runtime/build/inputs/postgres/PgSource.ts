/**
 * One connection to the PostgreSQL an input reads, at the URL the deployment configures
 * (MESHGATE_INPUT_<SOURCE>_URL through `env.connection`). Every failure becomes a BuildError that
 * names the product, the input and the problem in words (refused connection, refused credentials,
 * a missing table, a timeout), never a stack, and never the URL's password: messages show
 * `user@host:port/database` and pass through {@link PgSource.fault}, which scrubs the secret.
 */
import pg from 'pg';
import Cursor from 'pg-cursor';
import { BuildError } from '../../BuildEnv.js';
import type { InputContext } from '../InputConnector.js';
import { connectionVariable } from './connectionVariable.js';
import { PG_SESSION, PG_SHOW_TIMEOUT, pgSetLocalTimeout, type PgStatement } from './pgSql.js';
import { pgProblem, type PgTarget } from './pgProblem.js';

/** A value as PostgreSQL prints it (its output function's text), or null. */
export type PgText = string | null;

/** A result column: its name and type (OID and modifier). */
export interface PgColumn {
  readonly name: string;
  readonly typeOid: number;
  readonly typeMod: number;
}

/** Every value arrives as PostgreSQL's own text: the connectors decide each type once, from the column's OID. */
const RAW_TEXT = { getTypeParser: () => (text: string) => text } as unknown as pg.CustomTypesConfig;
const CONNECT_TIMEOUT_MS = 10_000;
/** A statement's time limit when the deployment sets none (on the role, or in the URL's `options=-c statement_timeout=...`). */
export const PG_DEFAULT_TIMEOUT_MS = 10 * 60_000;
/** Rows fetched per round trip of a cursor: enough to stream quickly, few enough to keep memory flat. */
export const PG_BATCH_ROWS = 10_000;

/** An open connection of one input, with its faults in words. */
export class PgSource {
  private constructor(
    private readonly client: pg.Client,
    private readonly target: PgTarget,
    private readonly prefix: string,
    private readonly product: string,
  ) {}

  /** Connects to the input's configured PostgreSQL (a replication connection when asked), with UTC, ISO session settings; `doing` prefixes a failure. */
  static async open(ctx: InputContext, type: string, options: { replication?: boolean; doing?: string } = {}): Promise<PgSource> {
    const { product, input, env } = ctx;
    const prefix = `input ${input.source} (${type})`;
    const url = env.connection(input.source);
    const variable = connectionVariable(input.source);
    if (!url) throw new BuildError(product.name, `${prefix}: no connection is configured: set ${variable} to a postgres:// URL`);
    const target = parseTarget(url);
    if (!target) throw new BuildError(product.name, `${prefix}: ${variable} does not hold a PostgreSQL URL (postgres://user:password@host:port/database)`);
    const client = new pg.Client({
      connectionString: url,
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
      application_name: `meshgate build ${product.name}`,
      // A replication command is not bound by statement_timeout: the client bounds it.
      ...(options.replication && { replication: 'database', query_timeout: PG_DEFAULT_TIMEOUT_MS }),
    });
    // A server that ends the connection emits 'error' on the client; the next call reports it, so here it only must not crash the process.
    client.on('error', () => undefined);
    const source = new PgSource(client, target, prefix, product.name);
    try {
      await client.connect();
    } catch (error) {
      await client.end().catch(() => undefined);
      throw source.fault(`${options.doing ? `${options.doing}: ` : ''}${pgProblem(error, target)}`, error);
    }
    if (!options.replication) for (const s of PG_SESSION) await source.query(s);
    return source;
  }

  /** Runs one statement; a failure is a BuildError saying what went wrong. */
  async query<T extends Record<string, unknown>>(statement: PgStatement, doing?: string): Promise<T[]> {
    try {
      // Without values pg sends the simple protocol, which a replication connection's commands need.
      return (await this.client.query<T>(statement.text, [...statement.values])).rows;
    } catch (error) {
      throw this.fault(`${doing ? `${doing}: ` : ''}${pgProblem(error, this.target)}`, error);
    }
  }

  /** Bounds the statements of the current transaction by the default timeout, unless the deployment set its own. */
  async bound(): Promise<void> {
    const [current] = await this.query<{ value: string }>(PG_SHOW_TIMEOUT);
    if (current?.value === '0') await this.query(pgSetLocalTimeout(PG_DEFAULT_TIMEOUT_MS));
  }

  /** Streams a statement's rows as text, a batch at a time, through the extended protocol (a single statement only). */
  async stream(statement: PgStatement, onBatch: (rows: readonly PgText[][], columns: readonly PgColumn[]) => Promise<void>, doing?: string): Promise<number> {
    const cursor = this.client.query(new Cursor(statement.text, [...statement.values], { rowMode: 'array', types: RAW_TEXT }));
    let total = 0;
    try {
      for (;;) {
        const { rows, columns } = await read(cursor);
        if (rows.length > 0 || total === 0) await onBatch(rows, columns);
        total += rows.length;
        if (rows.length < PG_BATCH_ROWS) return total;
      }
    } catch (error) {
      if (error instanceof BuildError) throw error;
      throw this.fault(`${doing ? `${doing}: ` : ''}${pgProblem(error, this.target)}`, error);
    } finally {
      await cursor.close().catch(() => undefined);
    }
  }

  /** A BuildError of this input, with the connection's password scrubbed from the text. */
  fault(message: string, cause?: unknown): BuildError {
    return new BuildError(this.product, `${this.prefix}: ${scrub(message, this.target.password)}`, cause === undefined ? undefined : { cause });
  }

  /** `user@host:port/database`, for messages. */
  get shown(): string {
    return this.target.shown;
  }

  /** Ends the connection. */
  async close(): Promise<void> {
    await this.client.end().catch(() => undefined);
  }
}

/** One read of a cursor, as a promise with the result's columns. */
function read(cursor: Cursor<PgText[]>): Promise<{ rows: PgText[][]; columns: PgColumn[] }> {
  return new Promise((resolve, reject) => {
    cursor.read(PG_BATCH_ROWS, (error, rows, result) => {
      if (error) return reject(error);
      const columns = (result?.fields ?? []).map((f) => ({ name: f.name, typeOid: f.dataTypeID, typeMod: f.dataTypeModifier }));
      resolve({ rows, columns });
    });
  });
}

/** Where a URL points, for messages (`user@host:port/database`), or undefined when it is no URL. */
function parseTarget(url: string): PgTarget | undefined {
  try {
    const u = new URL(url);
    if (u.protocol !== 'postgres:' && u.protocol !== 'postgresql:') return undefined;
    const user = decodeURIComponent(u.username) || 'the default user';
    const database = decodeURIComponent(u.pathname.replace(/^\//, '')) || user;
    return { user, database, shown: `${user}@${u.hostname || 'localhost'}:${u.port || '5432'}/${database}`, password: decodeURIComponent(u.password) };
  } catch {
    return undefined;
  }
}

/** The text with every occurrence of the password (plain or URL-encoded) replaced. */
function scrub(text: string, password: string): string {
  if (!password) return text;
  return [password, encodeURIComponent(password)].reduce((t, secret) => t.split(secret).join('***'), text);
}
