/** The access-log facts of one request, from what its context gathered. */
import type { ReadRecord, RequestContext } from '../context.js';
import { factList, type AccessFacts, type Decision, type Status } from '../../schema/index.js';

/** What an open gateway (no enforcement plugin) or an operation never analysed read: nothing known, nothing decided. */
const NOTHING_READ: ReadRecord = { decided: false, products: new Map() };

/** Builds the facts of a request answered with `httpStatus` (and, before Apollo ran, `errorCode`). */
export function factsFor(ctx: RequestContext, httpStatus: number, errorCode?: string): AccessFacts {
  const a = ctx.audit;
  const p = ctx.principal;
  const record = ctx.access.read ?? NOTHING_READ;
  const read: string[] = [];
  const masked: string[] = [];
  const unmasked: string[] = [];
  const rowRules: string[] = [];
  for (const [product, r] of record.products) {
    for (const column of r.columns) read.push(`${product}.${column}`);
    for (const [column, mask] of r.masked) masked.push(`${product}.${column}=${mask}`);
    for (const column of r.unmasked) unmasked.push(`${product}.${column}`);
    for (const rule of r.rowRules) rowRules.push(`${product}=${rule}`);
  }
  const codes = errorCode ? [errorCode] : a.errorCodes;
  const decision: Decision = httpStatus === 401 ? 'unauthenticated' : a.denied ? 'deny' : !record.decided && codes.length > 0 ? 'invalid' : masked.length > 0 ? 'mask' : 'allow';
  const status: Status = a.timedOut ? 'timeout' : codes.length === 0 && httpStatus === 200 ? 'ok' : a.hasData ? 'partial' : 'error';
  return {
    time: new Date(ctx.startedAt).toISOString(),
    request_id: ctx.requestId,
    ...(ctx.clientRequestId !== undefined && { client_request_id: ctx.clientRequestId }),
    subject: p?.sub ?? null,
    roles: factList(p?.roles ?? []),
    purpose: p?.purpose ?? null,
    client_name: ctx.clientName ?? null,
    client_version: ctx.clientVersion ?? null,
    operation_name: a.operationName ?? null,
    operation_type: a.operationType ?? null,
    document_hash: a.documentHash ?? null,
    products: factList(record.products.keys()),
    fields_read: factList(read),
    masks_applied: factList(masked),
    pii_unmasked: factList(unmasked),
    pii_unmasked_count: unmasked.length,
    fields_denied: factList(a.denied ?? []),
    row_rules: factList(rowRules),
    rows_returned: factList([...a.rows].map(([product, n]) => `${product}=${n}`)),
    rows_total: [...a.rows.values()].reduce((x, y) => x + y, 0),
    decision,
    status,
    http_status: httpStatus,
    error_code: codes[0] ?? null,
    duration_ms: Math.round((Date.now() - ctx.startedAt) * 1000) / 1000,
  };
}
