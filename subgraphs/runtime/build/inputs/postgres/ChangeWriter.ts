/**
 * Writes what a slot yields as the change records every change stream shares (changeMirror.ts):
 * JSON lines `{op, lsn, ts_ms, before, after}` with the row's columns as JSON. `lsn` orders the
 * records and must rise past the mirror's committed position: a change keeps its WAL position
 * unless that is not past the previous record's (a transaction that began before another's commit
 * is decoded after it), then it takes the next number, so the mirror applies changes exactly in
 * commit order. An update that changes the key is a delete of the old key and a create of the new.
 */
import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import { UNCHANGED, type PgoutputMessage, type Relation, type Tuple } from './pgoutput.js';
import type { PgColumn, PgText } from './PgSource.js';
import { jsonValueOf } from './pgTypes.js';

/** A PostgreSQL LSN (`16/B374D848`) as a number: exact below 2^53 bytes of WAL (8 PiB). */
export function lsnNumber(lsn: string): number {
  const [hi, lo] = lsn.split('/');
  return Number.parseInt(hi ?? '0', 16) * 2 ** 32 + Number.parseInt(lo ?? '0', 16);
}

/** The table whose changes are kept, and what to do with a change that cannot be mirrored. */
export interface MirroredTable {
  readonly oid: number;
  readonly shown: string;
  readonly key: string;
  readonly fault: (message: string) => Error;
}

/** A JSON-lines file of change records. */
export class ChangeWriter {
  private last: number;
  private commitTimeMs = 0;
  private count = 0;

  private constructor(
    private readonly out: WriteStream,
    private readonly table: MirroredTable,
    after: number,
  ) {
    this.last = after;
  }

  /** Opens `file`; records will be numbered past `after` (the mirror's committed position). */
  static open(file: string, table: MirroredTable, after: number): ChangeWriter {
    return new ChangeWriter(createWriteStream(file), table, after);
  }

  /** How many records were written. */
  get records(): number {
    return this.count;
  }

  /** A row of the initial snapshot (op `r`), at the slot's consistent position. */
  async snapshotRow(columns: readonly PgColumn[], row: readonly PgText[], at: number, tsMs: number): Promise<void> {
    await this.record('r', at, tsMs, null, rowJson(columns, row));
  }

  /** One decoded message of the slot at WAL position `lsn`. */
  async change(message: PgoutputMessage, lsn: number): Promise<void> {
    if (message.tag === 'begin') this.commitTimeMs = message.commitTimeMs;
    if (message.tag === 'truncate' && message.relations.some((r) => r.oid === this.table.oid)) {
      throw this.table.fault(`${this.table.shown} was truncated, and a mirror cannot follow a TRUNCATE row by row`);
    }
    if (message.tag !== 'insert' && message.tag !== 'update' && message.tag !== 'delete') return;
    const { relation } = message;
    if (relation.oid !== this.table.oid) return;
    const ts = this.commitTimeMs;
    if (message.tag === 'insert') return this.record('c', lsn, ts, null, this.json(relation, message.after));
    if (message.tag === 'delete') return this.record('d', lsn, ts, this.json(relation, message.before), null);
    const after = this.filled(relation, message.after, message.beforeIsFull ? message.before : null);
    const keyAt = relation.columns.findIndex((c) => c.name === this.table.key);
    if (message.before && message.before[keyAt] !== null && message.before[keyAt] !== after[keyAt]) {
      await this.record('d', lsn, ts, this.json(relation, message.before), null);
      return this.record('c', lsn, ts, null, this.json(relation, after));
    }
    return this.record('u', lsn, ts, message.before ? this.json(relation, message.before) : null, this.json(relation, after));
  }

  /** Flushes and closes the file. */
  async close(): Promise<void> {
    this.out.end();
    await once(this.out, 'finish');
  }

  /** The update's row with each unchanged TOASTed value taken from the old row, which only REPLICA IDENTITY FULL sends. */
  private filled(relation: Relation, after: Tuple, full: Tuple | null): Tuple {
    return after.map((v, i) => {
      if (v !== UNCHANGED) return v;
      const old = full?.[i];
      if (old !== undefined && old !== UNCHANGED) return old;
      throw this.table.fault(
        `an update of ${this.table.shown} left its large (TOASTed) value of "${relation.columns[i]?.name}" unchanged, and logical decoding does not resend it: ` +
          `set REPLICA IDENTITY FULL on the table, then start the mirror over from a new snapshot`,
      );
    });
  }

  private json(relation: Relation, tuple: Tuple): string {
    return rowJson(
      relation.columns,
      tuple.map((v) => (v === UNCHANGED ? null : v)),
    );
  }

  private async record(op: 'r' | 'c' | 'u' | 'd', lsn: number, tsMs: number, before: string | null, after: string | null): Promise<void> {
    this.last = Math.max(lsn, this.last + 1);
    this.count++;
    const line = `{"op":"${op}","lsn":${this.last},"ts_ms":${tsMs},"before":${before ?? 'null'},"after":${after ?? 'null'}}\n`;
    if (!this.out.write(line)) await once(this.out, 'drain');
  }
}

/** A row as a JSON object of its columns. */
function rowJson(columns: readonly { readonly name: string; readonly typeOid: number }[], row: readonly PgText[]): string {
  return `{${columns.map((c, i) => `${JSON.stringify(c.name)}:${jsonValueOf(c.typeOid, row[i] ?? null)}`).join(',')}}`;
}
