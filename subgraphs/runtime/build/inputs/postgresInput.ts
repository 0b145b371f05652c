/** `type: postgres`: a snapshot of a query against the PostgreSQL the deployment configures (MESHGATE_INPUT_<SOURCE>_URL). */
import { BuildError } from '../BuildEnv.js';
import type { InputConnector } from './InputConnector.js';

/** Snapshots the input's query. */
export const postgresInput: InputConnector = async ({ product, input, env }) => {
  if (!env.connection(input.source)) throw new BuildError(product.name, `input ${input.source} (postgres): no connection is configured: set ${connectionVariable(input.source)}`);
  throw new BuildError(product.name, `input ${input.source} (postgres): not connected yet`);
};

/** The environment variable that holds an input's connection URL. */
export const connectionVariable = (source: string): string => `MESHGATE_INPUT_${source.toUpperCase().replaceAll('-', '_')}_URL`;
