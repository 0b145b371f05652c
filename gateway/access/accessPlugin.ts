/**
 * The enforcement plugin: after Apollo has parsed and validated an operation, and before the query
 * planner calls any subgraph, it analyses what the operation reads, decides (refusing with
 * FORBIDDEN), and signs the decision into the access context every subgraph call carries. On
 * request (`x-meshgate-explain: 1`) the response says why: rules, row filters, masks, denials.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import { grantOf, signAccessContext, type PolicyFile, type ProductDecision } from '../../policies/index.js';
import { UnauthenticatedError } from '../../schema/index.js';
import type { RequestContext } from '../context.js';
import { operationScope } from '../operation/operationScope.js';
import { analyzeOperation } from './analyzeOperation.js';
import { buildReadRecord } from './buildReadRecord.js';
import { catalogScope } from './catalogScope.js';
import { AccessRefusal, decideAccess, decideCatalog } from './decideAccess.js';
import type { ProductIndex } from './ProductIndex.js';

/** What enforcement needs, fixed at start. */
export interface AccessControl {
  readonly policy: PolicyFile;
  /** The policy file's name, quoted in explanations. */
  readonly policyFile: string;
  readonly index: ProductIndex;
  /** The key the access context is signed with (shared with the subgraphs). */
  readonly contextKey: Uint8Array;
}

/** The `extensions.meshgate.access` explanation of a request's decisions. */
export function explain(decisions: ReadonlyMap<string, ProductDecision>, index: ProductIndex): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, d] of decisions) {
    const gql = index.shape(name)!.label;
    out[name] = {
      grantedBy: d.grantedBy,
      rowRules: d.rowRules,
      rows: d.rows,
      masked: Object.fromEntries(Object.entries(d.masks).map(([c, m]) => [gql(c), m])),
      denied: Object.fromEntries(Object.entries(d.denied).map(([c, why]) => [gql(c), why])),
    };
  }
  return out;
}

/** Builds the enforcement plugin. */
export function accessPlugin(access: AccessControl): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, operation, request, schema, contextValue }) {
          const principal = contextValue.principal;
          if (!principal) throw new UnauthenticatedError('Authentication is required.', { httpStatus: 401 });
          if (!operation) return;
          const walkScope = operationScope(contextValue, schema, document, operation, request.variables);
          const usage = analyzeOperation(schema, access.index, operation, walkScope);
          try {
            const decisions = decideAccess(access.policy, access.policyFile, principal, usage, access.index);
            const scope = catalogScope(schema, operation, walkScope);
            const catalog = scope && decideCatalog(access.policy, access.policyFile, principal, access.index, scope, usage);
            const grants = (d: ReadonlyMap<string, ProductDecision>) => Object.fromEntries([...d].map(([name, x]) => [name, grantOf(x)]));
            const granted = { products: grants(decisions), ...(catalog && { catalog: grants(catalog) }) };
            const token = await signAccessContext(access.contextKey, { requestId: contextValue.requestId, sub: principal.sub, ...granted });
            // The log and the explanation see every decision the request was served under.
            contextValue.access.decisions = catalog ? new Map([...catalog, ...decisions]) : decisions;
            contextValue.access.token = token;
            contextValue.access.grant = JSON.stringify(granted);
          } catch (error) {
            if (error instanceof AccessRefusal) contextValue.audit.denied = [error.denied];
            throw error;
          } finally {
            // However deciding ends, the log records what the operation asked for (and, if decided, how it was served), built once.
            contextValue.access.read = buildReadRecord(usage, contextValue.access.decisions, access.index);
          }
        },
        async willSendResponse({ response, contextValue }) {
          const decisions = contextValue.access.decisions;
          if (!contextValue.explain || !decisions || response.body.kind !== 'single') return;
          const result = response.body.singleResult;
          result.extensions = { ...result.extensions, meshgate: { access: explain(decisions, access.index) } };
        },
      };
    },
  };
}
