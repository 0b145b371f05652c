/**
 * A decoder of PostgreSQL's built-in logical decoding output, `pgoutput` (protocol version 1, text
 * values): the messages of the "Logical Replication Message Formats" chapter of PostgreSQL's
 * documentation. Values stay PostgreSQL's text, so the connector decides each type once, from the
 * column's OID, exactly as for a snapshot row; an unchanged TOASTed value (which pgoutput does not
 * resend) is the {@link UNCHANGED} marker. Each message is decoded with the relations seen before it
 * in the same stream (pgoutput sends a relation's description before its first change).
 */

/** A TOASTed value an update left unchanged, which pgoutput does not send. */
export const UNCHANGED: unique symbol = Symbol('unchanged TOASTed value');

/** One row's values, in the relation's column order. */
export type Tuple = readonly (string | null | typeof UNCHANGED)[];

/** A published table, as its relation message describes it. */
export interface Relation {
  readonly oid: number;
  readonly schema: string;
  readonly name: string;
  readonly columns: readonly { readonly name: string; readonly typeOid: number; readonly typeMod: number; readonly key: boolean }[];
}

/** The messages a change reader acts on; the rest (origin, type, logical messages) are `other`. */
export type PgoutputMessage =
  | { readonly tag: 'begin'; readonly commitTimeMs: number }
  | { readonly tag: 'commit' }
  | { readonly tag: 'relation'; readonly relation: Relation }
  | { readonly tag: 'insert'; readonly relation: Relation; readonly after: Tuple }
  | { readonly tag: 'update'; readonly relation: Relation; readonly before: Tuple | null; readonly beforeIsFull: boolean; readonly after: Tuple }
  | { readonly tag: 'delete'; readonly relation: Relation; readonly before: Tuple; readonly beforeIsFull: boolean }
  | { readonly tag: 'truncate'; readonly relations: readonly Relation[] }
  | { readonly tag: 'other' };

/** Microseconds from the Unix epoch to PostgreSQL's (2000-01-01). */
const PG_EPOCH_US = 946_684_800_000_000n;

/** Reads one message's bytes front to back. */
class Reader {
  private at = 0;
  constructor(private readonly buf: Buffer) {}
  byte(): number {
    return this.buf.readUInt8(this.at++);
  }
  int16(): number {
    const v = this.buf.readInt16BE(this.at);
    this.at += 2;
    return v;
  }
  int32(): number {
    const v = this.buf.readInt32BE(this.at);
    this.at += 4;
    return v;
  }
  int64(): bigint {
    const v = this.buf.readBigInt64BE(this.at);
    this.at += 8;
    return v;
  }
  string(): string {
    const end = this.buf.indexOf(0, this.at);
    const s = this.buf.toString('utf8', this.at, end);
    this.at = end + 1;
    return s;
  }
  text(length: number): string {
    const s = this.buf.toString('utf8', this.at, this.at + length);
    this.at += length;
    return s;
  }
}

/** Decodes the messages of one pgoutput stream, in order. */
export class PgoutputDecoder {
  private readonly relations = new Map<number, Relation>();

  /** The message in `buf`. */
  decode(buf: Buffer): PgoutputMessage {
    const r = new Reader(buf);
    const tag = String.fromCharCode(r.byte());
    switch (tag) {
      case 'B': {
        r.int64(); // the transaction's final LSN: the reader keeps each change's own position
        const commitTimeMs = Number((r.int64() + PG_EPOCH_US) / 1000n);
        return { tag: 'begin', commitTimeMs };
      }
      case 'C':
        return { tag: 'commit' };
      case 'R':
        return { tag: 'relation', relation: this.relation(r) };
      case 'I': {
        const relation = this.known(r.int32());
        r.byte(); // 'N'
        return { tag: 'insert', relation, after: tuple(r) };
      }
      case 'U': {
        const relation = this.known(r.int32());
        const kind = String.fromCharCode(r.byte());
        // 'K' (the old key, when it changed) or 'O' (the whole old row, under REPLICA IDENTITY FULL) comes before 'N'.
        const before = kind === 'N' ? null : tuple(r);
        if (before) r.byte();
        return { tag: 'update', relation, before, beforeIsFull: kind === 'O', after: tuple(r) };
      }
      case 'D': {
        const relation = this.known(r.int32());
        const beforeIsFull = String.fromCharCode(r.byte()) === 'O';
        return { tag: 'delete', relation, before: tuple(r), beforeIsFull };
      }
      case 'T': {
        const count = r.int32();
        r.byte(); // options: CASCADE, RESTART IDENTITY
        return { tag: 'truncate', relations: Array.from({ length: count }, () => this.known(r.int32())) };
      }
      default:
        return { tag: 'other' };
    }
  }

  private relation(r: Reader): Relation {
    const oid = r.int32();
    const schema = r.string();
    const name = r.string();
    r.byte(); // replica identity: the connector reads it from the catalog
    const columns = Array.from({ length: r.int16() }, () => {
      const flags = r.byte();
      return { name: r.string(), typeOid: r.int32(), typeMod: r.int32(), key: (flags & 1) === 1 };
    });
    const relation = { oid, schema: schema || 'pg_catalog', name, columns };
    this.relations.set(oid, relation);
    return relation;
  }

  private known(oid: number): Relation {
    const relation = this.relations.get(oid);
    if (!relation) throw new Error(`pgoutput sent a change of relation ${oid} before describing it`);
    return relation;
  }
}

/** A TupleData: per column null, an unchanged TOASTed value, or text. */
function tuple(r: Reader): Tuple {
  return Array.from({ length: r.int16() }, () => {
    const kind = String.fromCharCode(r.byte());
    if (kind === 'n') return null;
    if (kind === 'u') return UNCHANGED;
    if (kind === 't') return r.text(r.int32());
    throw new Error(`pgoutput sent a value of kind "${kind}" (binary values are not asked for)`);
  });
}
