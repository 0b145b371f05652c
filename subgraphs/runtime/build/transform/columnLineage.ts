/** Column-level lineage from a transform's parse tree: which input columns each output column is computed from. */
import type { ColumnLineage, DataProduct } from '../../../../schema/index.js';
import type { TreeNode } from './checkTransform.js';

/** Each contract column's sources, where the SQL says. */
export function columnLineage(_tree: TreeNode, _product: DataProduct): ColumnLineage[] {
  return [];
}
