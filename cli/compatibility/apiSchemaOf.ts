/** The GraphQL API schema a mesh presents to clients: its subgraphs' SDL composed in-process, federation machinery stripped. */
import { composeServices } from '@apollo/composition';
import { parse, type GraphQLSchema } from 'graphql';
import { buildSubgraphSdl, meshShapes, type Mesh } from '../../schema/index.js';

/** Composes every domain of `mesh` as the gateway does and returns the API schema, or the composition errors. */
export function apiSchemaOf(mesh: Mesh): { schema: GraphQLSchema } | { errors: string[] } {
  const shapes = meshShapes(mesh);
  if (mesh.domains.length === 0) return { errors: ['there are no products to compose'] };
  // composeSupergraph (gateway/) returns only the supergraph SDL; the API schema, which is what a
  // client's queries are checked against, comes from the same composition's Schema object.
  const result = composeServices(mesh.domains.map((d) => ({ name: d.name, url: `http://${d.name}.invalid/graphql`, typeDefs: parse(buildSubgraphSdl(d.name, shapes)) })));
  if (result.errors) return { errors: result.errors.map((e) => e.message.replace(/\s*\n\s*/g, ' ')) };
  return { schema: result.schema.toAPISchema().toGraphQLJSSchema() };
}
