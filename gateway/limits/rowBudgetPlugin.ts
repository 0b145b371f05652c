/** Refuses, before planning, an operation that could return more rows than the budget allows. */
import type { ApolloServerPlugin } from '@apollo/server';
import { QueryTooComplexError } from '../../schema/index.js';
import type { RequestContext } from '../context.js';
import { operationScope } from '../operation/operationScope.js';
import { estimateRows } from './estimateRows.js';

/** Builds the plugin that refuses operations over `maxRows` with QUERY_TOO_COMPLEX. */
export function rowBudgetPlugin(maxRows: number): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, operation, request, schema, contextValue }) {
          if (!operation) return;
          const rows = estimateRows(schema, operation, operationScope(contextValue, schema, document, operation, request.variables));
          if (rows > maxRows) {
            throw new QueryTooComplexError(
              `This operation could return up to ${Math.round(rows).toLocaleString('en')} rows; the limit is ${maxRows.toLocaleString('en')}: ask for smaller pages or fewer nested lists.`,
              { httpStatus: 400 },
            );
          }
        },
      };
    },
  };
}
