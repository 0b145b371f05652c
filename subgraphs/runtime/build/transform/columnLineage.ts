/**
 * Column-level lineage from a transform's parse tree (`json_serialize_sql`): for each contract
 * column, the input columns (`source.column`, by the inputs' declared names) its value is computed
 * from, whether it is a copy, a transformation or an aggregate, and, where the SQL alone cannot say
 * (an unqualified name two tables whose columns are unknown could hold, a `*` over such a table,
 * COLUMNS(...), PIVOT), that the lineage is partial and why, rather than a guess. Given the inputs'
 * columns (a build DESCRIBEs them), only what the binder alone decides stays partial.
 */
import type { ColumnLineage, DataProduct } from '../../../../schema/index.js';
import { inputTable } from '../inputs/InputConnector.js';
import type { TreeNode } from './checkTransform.js';
import { findColumn, statementColumns, unknown, type Columns, type InputTable } from './lineage/index.js';

/** What the lineage needs of a product: its inputs' names and its contract's columns (a DataProduct is one). */
export interface LineageSubject {
  readonly inputs: readonly Pick<DataProduct['inputs'][number], 'source'>[];
  readonly contract: { readonly fields: readonly { readonly name: string }[] };
}

/** Each contract column's lineage, in contract order; `columns` gives an input's column names, by its declared name. */
export function columnLineage(tree: TreeNode, product: LineageSubject, columns: ReadonlyMap<string, readonly string[]> = new Map()): ColumnLineage[] {
  const inputs = new Map<string, InputTable>(
    product.inputs.map((i) => {
      const known = columns.get(i.source);
      return [inputTable(i.source).toLowerCase(), { source: i.source, ...(known && { columns: known }) }];
    }),
  );
  const node = tree.node as TreeNode | undefined;
  let output: Columns;
  try {
    output = node ? statementColumns(node, inputs) : { known: [] };
  } catch (error) {
    // Lineage describes a version; a tree shape the walk trips on must not block its publish, only show in its record.
    output = { known: [], more: () => unknown(`the lineage walk failed on this SQL (${(error as Error).message}): a bug to report`) };
  }
  return product.contract.fields.map((f): ColumnLineage => {
    const value = findColumn(output, f.name)?.value ?? unknown(`the SELECT produces no column "${f.name}" that its text shows`);
    return { column: f.name, from: value.from, kind: value.kind, complete: value.gaps.length === 0, ...(value.gaps.length > 0 && { unresolved: value.gaps }) };
  });
}
