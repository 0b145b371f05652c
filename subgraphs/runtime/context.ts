/** Per-request state of a subgraph call: never in a module variable (loaders must not outlive a request). */
import type DataLoader from 'dataloader';
import type { Context as TraceContext, Span } from '@opentelemetry/api';
import type { AccessContext } from '../../policies/index.js';

/** What a subgraph knows about the request it serves. */
export interface SubgraphContext {
  readonly requestId: string;
  /** The gateway's signed decision; null only when access control is off. */
  readonly access: AccessContext | null;
  /** DataLoaders of this request, by a key naming the product, the columns and the arguments (read/requestLoader.ts). */
  readonly loaders: Map<string, DataLoader<string, unknown>>;
  /** Rows returned per product, reported to the gateway for the access log. */
  readonly rows: Map<string, number>;
  /** The table (the version) each product was first read from in this request: every later read of it uses the same, so one answer never mixes two versions. */
  readonly tables: Map<string, string>;
  /** The request's span and its context, when tracing is on (SubgraphTelemetry.ts). */
  trace?: { readonly span: Span; readonly context: TraceContext };
}

/** Counts rows a product returned in this request. */
export function countRows(ctx: SubgraphContext, product: string, n: number): void {
  ctx.rows.set(product, (ctx.rows.get(product) ?? 0) + n);
}

/** A new context for one request. */
export function createSubgraphContext(requestId: string, access: AccessContext | null): SubgraphContext {
  return { requestId, access, loaders: new Map(), rows: new Map(), tables: new Map() };
}
