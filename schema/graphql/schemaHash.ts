import { createHash } from 'node:crypto';

/** The HTTP header on every subgraph reply (and in its `/readyz` body) that names the schema it serves. */
export const SCHEMA_HASH_HEADER = 'x-meshgate-schema-hash';

/**
 * The hash of a subgraph's SDL as buildSubgraphSdl prints it: what the subgraph serves and what the
 * gateway composed from the same declarations hash alike, so a gateway notices a subgraph that serves
 * a different schema (a changed or broken contract on one side only). SHA-256, first 16 hex digits.
 */
export function schemaHash(typeDefs: string): string {
  return createHash('sha256').update(typeDefs).digest('hex').slice(0, 16);
}
