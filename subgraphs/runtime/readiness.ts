/** `/readyz` of a subgraph: whether it can serve its products now, with its schema hash and its last reload. */
import type { ServedSchema } from './servedSchema.js';

/** The last hot reload: the schema it swapped in, or why the new declarations were refused (the previous version still serves). */
export type ReloadState = { readonly reloaded: string; readonly at: string } | { readonly refused: string; readonly at: string };

/** What readiness depends on besides the schema serving. */
export interface ReadinessState {
  readonly started: boolean;
  readonly draining: boolean;
  readonly reload: ReloadState | undefined;
}

/**
 * 200 when every product has a version loaded (looking at each one loads a version published since),
 * 503 while starting, draining, or when a product has no data to serve. The body names each
 * product's version or, for clients, why it is unavailable (no file paths).
 */
export async function readiness(served: ServedSchema, state: ReadinessState): Promise<{ status: number; body: unknown }> {
  const products: Record<string, { version: string } | { unavailable: string }> = {};
  let ready = state.started && !state.draining;
  if (state.started) {
    for (const [name, rt] of served.subgraph.products) {
      try {
        await rt.table.table();
        products[name] = { version: rt.table.version };
      } catch (error) {
        ready = false;
        products[name] = { unavailable: (error as Error).message };
      }
    }
  }
  const status = state.draining ? 'draining' : !state.started ? 'starting' : ready ? 'ready' : 'not ready';
  return {
    status: ready ? 200 : 503,
    body: { status, domain: served.subgraph.domain, schemaHash: served.schemaHash, products, ...(state.reload && { reload: state.reload }) },
  };
}
