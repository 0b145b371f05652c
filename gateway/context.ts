import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

/** Who is asking: the verified claims of the caller's token (filled in once authentication exists). */
export interface Principal {
  readonly sub: string;
  readonly roles: readonly string[];
  readonly purpose?: string;
  readonly countries?: readonly string[];
  readonly claims: Record<string, unknown>;
}

/** The per-request state every layer of the gateway reads: built once per HTTP request, never shared. */
export interface RequestContext {
  readonly requestId: string;
  /** Epoch milliseconds at which the request arrived. */
  readonly startedAt: number;
  /** Null until authentication sets it; the access decision will sit beside it. */
  principal: Principal | null;
  readonly clientName?: string;
  readonly clientVersion?: string;
}

// A caller-chosen id goes into logs and response headers, so only short, inert tokens are kept.
const SAFE_REQUEST_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const SAFE_CLIENT_LABEL = /^[\x20-\x7E]{1,128}$/;

function singleHeader(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return typeof value === 'string' ? value : undefined;
}

function safeLabel(value: string | undefined): string | undefined {
  return value !== undefined && SAFE_CLIENT_LABEL.test(value) ? value : undefined;
}

/** Builds the context of one request from its headers: the request id (caller's if safe, else a UUID) and client identity. */
export function createRequestContext(headers: IncomingHttpHeaders, now: number = Date.now()): RequestContext {
  const offeredId = singleHeader(headers, 'x-request-id');
  const clientName = safeLabel(singleHeader(headers, 'apollographql-client-name'));
  const clientVersion = safeLabel(singleHeader(headers, 'apollographql-client-version'));
  return {
    requestId: offeredId !== undefined && SAFE_REQUEST_ID.test(offeredId) ? offeredId : randomUUID(),
    startedAt: now,
    principal: null,
    ...(clientName !== undefined ? { clientName } : {}),
    ...(clientVersion !== undefined ? { clientVersion } : {}),
  };
}
