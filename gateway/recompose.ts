/**
 * Hot re-composition: the subgraphs as now declared are composed anew and, when they compose, the
 * supergraph is swapped through Apollo Gateway's `update` callback, and with it what else holds the
 * API schema (the GraphiQL page) and the declarations (the access plugin's product index). A
 * request in flight keeps the query plan it was given, so it finishes on the previous supergraph;
 * the next one is planned on the new. A re-composition that fails changes nothing: the problems are
 * logged, readiness reports the refusal, and the previous supergraph keeps serving.
 */
import type { GraphQLSchema } from 'graphql';
import { composeSupergraph } from './composeSupergraph.js';
import type { GatewayAccess, Recomposition } from './GatewayOptions.js';
import type { GraphiQLPage } from './graphiql.js';
import type { GatewayMetrics } from './metrics.js';
import type { Upstreams } from './upstream/Upstreams.js';
import { getValidServices } from './validateGatewayOptions.js';

/** The access control the plugin reads, with a product index re-composition can replace. */
export interface LiveIndex {
  readonly access: GatewayAccess;
  set(index: GatewayAccess['index']): void;
}

/** Wraps `access` so that its `index` is read anew on every request. */
export function liveIndex(access: GatewayAccess): LiveIndex {
  let index = access.index;
  const live: GatewayAccess = {
    authenticate: access.authenticate,
    policy: access.policy,
    policyFile: access.policyFile,
    contextKey: access.contextKey,
    get index() {
      return index;
    },
  };
  return { access: live, set: (next) => void (index = next) };
}

/** The GraphiQL page the HTTP handler serves, replaceable after a re-composition. */
export interface LiveGraphiQL {
  readonly page: GraphiQLPage;
  set(page: GraphiQLPage): void;
}

/** Wraps a page so that the handler always serves the latest. */
export function liveGraphiQL(first: GraphiQLPage): LiveGraphiQL {
  let current = first;
  const page: GraphiQLPage = {
    get html() {
      return current.html;
    },
    serve: (req, res) => current.serve(req, res),
  };
  return { page, set: (next) => void (current = next) };
}

/** What re-composing needs of the running gateway. */
export interface RecomposeDeps {
  readonly log: (line: string) => void;
  readonly metrics: GatewayMetrics;
  readonly upstreams: Upstreams;
  readonly index: LiveIndex | undefined;
  readonly graphiql: LiveGraphiQL;
  readonly pageOf: (schema: GraphQLSchema) => Promise<GraphiQLPage>;
  readonly swap: (supergraphSdl: string) => void;
}

/** The gateway's `recompose`: one at a time, in the order asked. */
export function recomposer(deps: RecomposeDeps, first: string): (next: Recomposition) => Promise<{ readonly errors?: readonly string[] }> {
  let queue: Promise<unknown> = Promise.resolve();
  const state = { supergraphSdl: first };
  return (next) => {
    const run = queue.then(() => recomposeOnce(deps, next, state));
    queue = run.catch(() => undefined);
    return run;
  };
}

function refuse(deps: RecomposeDeps, errors: readonly string[]): { errors: readonly string[] } {
  for (const e of errors) deps.log(`re-composition refused, the previous supergraph keeps serving: ${e}`);
  deps.upstreams.health.setRefusedReload(errors);
  deps.metrics.observeRecomposition(false);
  return { errors };
}

async function recomposeOnce(deps: RecomposeDeps, next: Recomposition, state: { supergraphSdl: string }): Promise<{ readonly errors?: readonly string[] }> {
  if (next.problems && next.problems.length > 0) return refuse(deps, next.problems);
  let services;
  try {
    services = getValidServices(next.services);
  } catch (error) {
    return refuse(deps, [error instanceof Error ? error.message : String(error)]);
  }
  const composed = composeSupergraph(services);
  if (composed.errors) return refuse(deps, composed.errors);
  deps.upstreams.health.setRefusedReload(undefined);
  deps.upstreams.health.setLeftOut(next.leftOut ?? []);
  // A save that changed nothing the API shows (a comment, a transform) is not a new supergraph.
  if (composed.supergraphSdl === state.supergraphSdl) return {};
  state.supergraphSdl = composed.supergraphSdl;
  // Everything that can fail comes first; the swaps after it cannot.
  const page = await deps.pageOf(composed.apiSchema);
  deps.upstreams.update(services);
  if (next.index) deps.index?.set(next.index);
  deps.swap(composed.supergraphSdl);
  deps.graphiql.set(page);
  deps.metrics.observeRecomposition(true);
  deps.log(`re-composed the supergraph over ${services.length} subgraph(s)`);
  deps.upstreams.probe();
  return {};
}
