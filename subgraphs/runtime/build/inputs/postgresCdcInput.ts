/** `type: postgres-cdc` with a connection configured: the table's changes through PostgreSQL's logical replication. */
import { BuildError } from '../BuildEnv.js';
import type { InputConnector } from './InputConnector.js';

/** Reads the changes since the last build from the replication slot. */
export const postgresCdcInput: InputConnector = async ({ product, input }) => {
  throw new BuildError(product.name, `input ${input.source} (postgres-cdc): not connected yet`);
};
