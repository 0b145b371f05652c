/**
 * Refusals of an operation the graph cannot run, as the client's mistake (BAD_USER_INPUT, HTTP 400)
 * and before any plugin or the query planner sees it: a mutation or subscription (every product is
 * read-only, so the graph has neither root type), and a document whose operation cannot be chosen
 * (an unknown `operationName`, or several operations and none named). Left to Apollo Gateway, both
 * end in its executor as an error without a registry code, which reached clients as a 500.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, type ValidationRule } from 'graphql';
import { BadUserInputError } from '../../schema/index.js';

/** A validation rule: every operation's root type must exist in the schema. */
export const knownRootType: ValidationRule = (context) => ({
  OperationDefinition(node) {
    if (context.getSchema().getRootType(node.operation)) return;
    const what = node.operation === 'mutation' ? 'mutations' : 'subscriptions';
    context.reportError(new GraphQLError(`This graph has no ${what}: its data products are read through queries only.`, { nodes: [node] }));
  },
});

/** The plugin that refuses a request whose operation cannot be chosen from its document. */
export function requireOperationPlugin<Context extends object>(): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, request, document }) {
          if (operation) return;
          const named = request.operationName;
          const count = document.definitions.filter((d) => d.kind === 'OperationDefinition').length;
          throw new BadUserInputError(
            named ? `The document has no operation named ${JSON.stringify(named)}.` : `The document holds ${count} operations: name the one to run in "operationName".`,
            { httpStatus: 400 },
          );
        },
      };
    },
  };
}
