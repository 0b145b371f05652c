/**
 * schema/accessLog: the access log's published format, shared by the gateway (which writes it) and
 * the governance domain (which serves it). One entry: who asked, for what, what they read and how,
 * and what came of it. The field order here is the canonical order the hash chain is computed over; list-valued facts are
 * comma-separated text, so the entry is one flat row of the `access-log` product. The `access-log-v2` product
 * serves them as lists (AccessEventV2.ts), derived from the entry and never hashed, so the chain is unchanged.
 */
import { createHash } from 'node:crypto';

/** The product the governance domain serves the log as (its descriptor's name). */
export const ACCESS_LOG_PRODUCT = 'access-log';

/** What the gateway decided for an operation. */
export type Decision = 'allow' | 'mask' | 'deny' | 'unauthenticated' | 'invalid';
/** How the operation ended. */
export type Status = 'ok' | 'partial' | 'error' | 'timeout';

/** The facts of one operation, as the gateway records them. */
export interface AccessFacts {
  readonly time: string;
  /** The gateway's own id of the request (a UUID), unique in the log. */
  readonly request_id: string;
  /**
   * The id the client sent in `x-request-id` (short and inert), when it sent one. Absent, not null,
   * otherwise: an entry written before the field existed has no such key, and its canonical text
   * (which leaves absent keys out) is what it was when it was hashed.
   */
  readonly client_request_id?: string;
  readonly subject: string | null;
  readonly roles: string;
  readonly purpose: string | null;
  readonly client_name: string | null;
  readonly client_version: string | null;
  readonly operation_name: string | null;
  readonly operation_type: string | null;
  /** SHA-256 of the operation text; never the variables, never a token. */
  readonly document_hash: string | null;
  /** Products read, comma-separated. */
  readonly products: string;
  /** Columns read, as `product.column`, comma-separated. */
  readonly fields_read: string;
  /** Masks applied, as `product.column=mask`, comma-separated. */
  readonly masks_applied: string;
  /** PII columns read unmasked, as `product.column`, comma-separated. */
  readonly pii_unmasked: string;
  readonly pii_unmasked_count: number;
  /** Denied columns (or products) that made the operation refused, comma-separated. */
  readonly fields_denied: string;
  /** Row rules applied, as `product=rule-id`, comma-separated. */
  readonly row_rules: string;
  /** Rows returned per product, as `product=n`, comma-separated. */
  readonly rows_returned: string;
  readonly rows_total: number;
  readonly decision: Decision;
  readonly status: Status;
  readonly http_status: number;
  readonly error_code: string | null;
  readonly duration_ms: number;
}

/** A list-valued fact as the entry holds it: sorted, comma-separated (`orders-enriched.order_id,orders-enriched.status`). */
export const factList = (items: Iterable<string>): string => [...items].sort().join(',');

/** An entry as written: the facts, its position in the chain and the chain's hashes. */
export interface AccessEvent extends AccessFacts {
  /** Position in the log, from 1. */
  readonly seq: number;
  readonly event_id: string;
  readonly prev_hash: string;
  readonly hash: string;
}

/** The hash before the first entry. */
export const GENESIS_HASH = '0'.repeat(64);

/** The chain a single gateway writes (no MESHGATE_INSTANCE): the log's folder itself, as before there were replicas. */
export const DEFAULT_CHAIN = 'default';

/**
 * The event id of the entry at `seq` of a chain: sortable within it, unique in the whole log. The
 * default chain's are `E000000000042`, as a single gateway always wrote them; another chain's carry
 * its name (`gw-2:E000000000042`), so the product's key stays unique and the hash binds each entry to
 * its chain (moved into another, it fails there on its own).
 */
export const eventId = (seq: number, chainName: string = DEFAULT_CHAIN): string => `${chainName === DEFAULT_CHAIN ? '' : `${chainName}:`}E${String(seq).padStart(12, '0')}`;

/** The canonical text an entry's hash covers: every field but `hash`, in a fixed order; an optional field that is absent is left out (JSON.stringify drops undefined). */
export function canonical(e: Omit<AccessEvent, 'hash'>): string {
  const { seq, event_id, prev_hash, ...facts } = e;
  const ordered: Record<string, unknown> = { seq, event_id, prev_hash };
  for (const key of FACT_KEYS) ordered[key] = (facts as Record<string, unknown>)[key];
  return JSON.stringify(ordered);
}

/** The facts' keys, in canonical order. */
export const FACT_KEYS: readonly (keyof AccessFacts)[] = [
  'time',
  'request_id',
  'client_request_id',
  'subject',
  'roles',
  'purpose',
  'client_name',
  'client_version',
  'operation_name',
  'operation_type',
  'document_hash',
  'products',
  'fields_read',
  'masks_applied',
  'pii_unmasked',
  'pii_unmasked_count',
  'fields_denied',
  'row_rules',
  'rows_returned',
  'rows_total',
  'decision',
  'status',
  'http_status',
  'error_code',
  'duration_ms',
];

/**
 * Chains facts after `prevHash` at position `seq` of the chain named `chainName`: the entry, and the line written for it (the
 * canonical fields in order, then its hash, newline included; CR, LF and quotes inside values are
 * escaped by JSON). The canonical text is built once, for both the hash and the line.
 */
export function chain(facts: AccessFacts, seq: number, prevHash: string, chainName: string = DEFAULT_CHAIN): { readonly event: AccessEvent; readonly line: string } {
  const unhashed = { ...facts, seq, event_id: eventId(seq, chainName), prev_hash: prevHash };
  const text = canonical(unhashed);
  const hash = createHash('sha256').update(prevHash).update('\n').update(text).digest('hex');
  return { event: { ...unhashed, hash }, line: `${text.slice(0, -1)},"hash":${JSON.stringify(hash)}}\n` };
}

/** Why an entry does not verify after `prevHash` at position `seq` of its chain, or undefined when it does. */
export function verifyEntry(e: AccessEvent, seq: number, prevHash: string, chainName: string = DEFAULT_CHAIN): string | undefined {
  if (e.seq !== seq) return `expected entry ${seq} here, found entry ${e.seq} (an entry was removed or reordered)`;
  if (e.event_id !== eventId(seq, chainName))
    return `its event id ${JSON.stringify(e.event_id)} is not the one of entry ${seq} of chain "${chainName}" (an entry was moved from another chain or edited)`;
  if (e.prev_hash !== prevHash) return 'its prev_hash is not the hash of the entry before it (an entry was removed, reordered or edited)';
  const { hash, ...rest } = e;
  const expected = createHash('sha256').update(prevHash).update('\n').update(canonical(rest)).digest('hex');
  return expected === hash ? undefined : 'its content does not match its hash (it was edited)';
}
