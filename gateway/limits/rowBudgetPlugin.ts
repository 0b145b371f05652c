/** Refuses, before planning, an operation that could return more rows than the budget allows. */
import type { ApolloServerPlugin } from '@apollo/server';
import { getVariableValues, GraphQLError, Kind, type FragmentDefinitionNode } from 'graphql';
import { estimateRows } from './estimateRows.js';

/** Builds the plugin that refuses operations over `maxRows` with QUERY_TOO_COMPLEX. */
export function rowBudgetPlugin<T extends object>(maxRows: number): ApolloServerPlugin<T> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, operation, request, schema }) {
          if (!operation) return;
          const fragments = new Map(document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((f) => [f.name.value, f]));
          // The values execution will use: raw variables would read `$l: Int = 1000` as no limit given (100).
          const { coerced } = getVariableValues(schema, operation.variableDefinitions ?? [], request.variables ?? {});
          const rows = estimateRows(schema, operation, fragments, coerced ?? {});
          if (rows > maxRows) {
            throw new GraphQLError(`This operation could return up to ${Math.round(rows).toLocaleString('en')} rows; the limit is ${maxRows.toLocaleString('en')}: ask for smaller pages or fewer nested lists.`, {
              extensions: { code: 'QUERY_TOO_COMPLEX', http: { status: 400 } },
            });
          }
        },
      };
    },
  };
}
