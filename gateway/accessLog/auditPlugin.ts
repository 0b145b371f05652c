/** Gathers what the access log records about an operation: its hash, name and type, and how it ended. */
import type { ApolloServerPlugin } from '@apollo/server';
import { createHash } from 'node:crypto';
import type { RequestContext } from '../context.js';

/** Builds the plugin that fills `ctx.audit` as Apollo processes a request. */
export function auditPlugin(): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveSource({ source, contextValue }) {
          contextValue.audit.documentHash = createHash('sha256').update(source).digest('hex');
        },
        async didResolveOperation({ operationName, operation, contextValue }) {
          if (operationName) contextValue.audit.operationName = operationName;
          if (operation) contextValue.audit.operationType = operation.operation;
        },
        async willSendResponse({ response, contextValue }) {
          if (response.body.kind !== 'single') return;
          const r = response.body.singleResult;
          contextValue.audit.hasData = r.data !== undefined && r.data !== null;
          contextValue.audit.errorCodes = (r.errors ?? []).map((e) => String(e.extensions?.code ?? 'INTERNAL_SERVER_ERROR'));
        },
      };
    },
  };
}
