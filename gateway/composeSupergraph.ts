import { composeServices } from '@apollo/composition';
import { GraphQLError, parse } from 'graphql';
import type { DocumentNode, GraphQLSchema } from 'graphql';
import type { SubgraphService } from './GatewayOptions.js';

/** The outcome of composition: the supergraph SDL and the API schema clients query, or every reason it could not be built (one line each). */
export type CompositionOutcome = { supergraphSdl: string; apiSchema: GraphQLSchema; errors?: undefined } | { errors: string[]; supergraphSdl?: undefined; apiSchema?: undefined };

function describeError(error: GraphQLError): string {
  const code = error.extensions['code'];
  // Composition messages can span lines; the caller prints one problem per line.
  const message = error.message.replace(/\s*\n\s*/g, ' ');
  return typeof code === 'string' ? `${code}: ${message}` : message;
}

/** Composes the subgraphs' SDLs into a supergraph in-process (no network); expected failures are returned, not thrown. */
export function composeSupergraph(services: readonly Pick<SubgraphService, 'name' | 'url' | 'typeDefs'>[]): CompositionOutcome {
  const errors: string[] = [];
  const definitions: { name: string; url: string; typeDefs: DocumentNode }[] = [];
  for (const service of services) {
    try {
      definitions.push({ name: service.name, url: service.url, typeDefs: parse(service.typeDefs) });
    } catch (error) {
      const message = error instanceof GraphQLError ? error.message : String(error);
      errors.push(`subgraph "${service.name}": the SDL does not parse: ${message}`);
    }
  }
  if (errors.length > 0) return { errors };
  if (definitions.length === 0) return { errors: ['there are no subgraphs to compose'] };
  const result = composeServices(definitions);
  if (result.errors) return { errors: result.errors.map(describeError) };
  return { supergraphSdl: result.supergraphSdl, apiSchema: result.schema.toAPISchema().toGraphQLJSSchema() };
}
