/** The columns of each input a build loaded, so the column lineage resolves what the SQL leaves to the tables (an unqualified name, a `*`). */
import type { DataProduct } from '../../../../schema/index.js';
import { buildDescribeTable } from '../../sql/index.js';
import type { BuildSession } from '../BuildSession.js';
import { inputTable } from '../inputs/InputConnector.js';

/** Each input's column names, by its declared name, as its table in the session has them. */
export async function describeInputs(session: BuildSession, product: DataProduct): Promise<Map<string, string[]>> {
  const columns = new Map<string, string[]>();
  for (const input of product.inputs) {
    const described = await session.rows(buildDescribeTable(inputTable(input.source)));
    columns.set(
      input.source,
      described.map((r) => String(r.column_name)),
    );
  }
  return columns;
}
