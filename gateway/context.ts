import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { Context as TraceContext } from '@opentelemetry/api';
import type { Principal, ProductDecision } from '../policies/index.js';
import type { WalkScope } from '../schema/index.js';

export type { Principal } from '../policies/index.js';

/** What a request read of one product, with the decision applied: what the access log records of it. */
export interface ProductRead {
  /** The columns the operation selects. */
  readonly columns: readonly string[];
  /** The selected columns read masked, each with its mask's name. */
  readonly masked: readonly (readonly [column: string, mask: string])[];
  /** The selected columns holding personal data (classified other than `none`) that were read unmasked. */
  readonly unmasked: readonly string[];
  /** The ids of the row rules that filtered the product. */
  readonly rowRules: readonly string[];
}

/** What a request read, per product: plain data the enforcement plugin leaves for the access log. */
export interface ReadRecord {
  /** Whether the operation was decided; when it was refused (or could not be signed) no product has masks, unmasked reads or row rules. */
  readonly decided: boolean;
  readonly products: ReadonlyMap<string, ProductRead>;
}

/**
 * The access decision of a request, filled in by the enforcement plugin once the operation is
 * known. It is an object created with the request and filled in place, because Apollo hands
 * plugins a shallow copy of the context: a property set on the copy would be lost.
 */
export interface RequestAccess {
  decisions?: ReadonlyMap<string, ProductDecision>;
  /** The signed access context sent to every subgraph call. */
  token?: string;
  /** The grants the access context carries, as a text: subgraph calls in flight are merged only between requests whose grants are equal. */
  grant?: string;
  /** What the access log records of the operation, set once it is analysed, whether or not it is allowed. */
  read?: ReadRecord;
}

/** The resolved operation as the gateway's analyses read it, filled in by the first one that needs it (see operation/operationScope.ts). */
export interface RequestOperation {
  /** The operation's fragments and its variables, coerced once for every analysis. */
  scope?: WalkScope;
}

/** What the access log records about a request, gathered as it runs. */
export interface RequestAudit {
  /** SHA-256 of the operation text (never its variables). */
  documentHash?: string;
  operationName?: string;
  operationType?: string;
  /** The fields or products whose refusal made the operation FORBIDDEN. */
  denied?: readonly string[];
  /** Rows returned per product, as the subgraphs report them. */
  readonly rows: Map<string, number>;
  /** A subgraph call or a query ran out of time. */
  timedOut: boolean;
  /** The error codes of the response. */
  errorCodes: string[];
  /** Whether the response carried data. */
  hasData: boolean;
}

/** The trace state of one request (gateway/telemetry.ts), shared by the shallow copies Apollo makes of its context. */
export interface RequestTelemetry {
  /** The request span's context, when tracing is on: the parent of its subgraph calls' spans. */
  trace?: TraceContext;
}

/** The per-request state every layer of the gateway reads: built once per HTTP request, never shared. */
export interface RequestContext {
  /** The server's own id of the request (a UUID): in every log line, the access log and every subgraph call. */
  readonly requestId: string;
  /** The id the client sent in `x-request-id`, when it is short and inert; recorded beside the server's, never used in its place. */
  readonly clientRequestId?: string;
  /** Epoch milliseconds at which the request arrived. */
  readonly startedAt: number;
  /** The verified caller; null when access control is off. */
  principal: Principal | null;
  /** The operation, once Apollo has resolved it. */
  readonly operation: RequestOperation;
  /** The access decision, filled in by the enforcement plugin before any subgraph is called. */
  readonly access: RequestAccess;
  /** The caller asked for an explanation of the decision (`x-meshgate-explain: 1`). */
  readonly explain: boolean;
  /** What the access log records. */
  readonly audit: RequestAudit;
  /** Tracing state; empty when tracing is off. */
  readonly telemetry: RequestTelemetry;
  readonly clientName?: string;
  readonly clientVersion?: string;
}

// A caller-chosen id goes into the access log and a response header, so only short, inert tokens are kept.
const SAFE_REQUEST_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const SAFE_CLIENT_LABEL = /^[\x20-\x7E]{1,128}$/;

function singleHeader(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return typeof value === 'string' ? value : undefined;
}

function safeLabel(value: string | undefined): string | undefined {
  return value !== undefined && SAFE_CLIENT_LABEL.test(value) ? value : undefined;
}

/**
 * Builds the context of one request from its headers: a fresh server-assigned request id, the
 * client's own id beside it (if safe) and the client identity. The server never adopts the
 * client's id: two clients (or one replaying) could send the same one, and the access log, the
 * logs and the subgraph calls must each name one request only.
 */
export function createRequestContext(headers: IncomingHttpHeaders, now: number = Date.now()): RequestContext {
  const offeredId = singleHeader(headers, 'x-request-id');
  const clientName = safeLabel(singleHeader(headers, 'apollographql-client-name'));
  const clientVersion = safeLabel(singleHeader(headers, 'apollographql-client-version'));
  return {
    requestId: randomUUID(),
    ...(offeredId !== undefined && SAFE_REQUEST_ID.test(offeredId) ? { clientRequestId: offeredId } : {}),
    startedAt: now,
    principal: null,
    explain: singleHeader(headers, 'x-meshgate-explain') === '1',
    operation: {},
    access: {},
    audit: { rows: new Map(), timedOut: false, errorCodes: [], hasData: false },
    telemetry: {},
    ...(clientName !== undefined ? { clientName } : {}),
    ...(clientVersion !== undefined ? { clientVersion } : {}),
  };
}
