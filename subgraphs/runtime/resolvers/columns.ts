/** Maps a GraphQL selection on a product type to the columns the SQL must read. */
import type { ProductShape, ReverseShape } from '../../../schema/index.js';
import type { Selection } from '../graphql/selection.js';
import type { Selected } from '../sql/index.js';
import { columnOf } from '../graphql/translateArgs.js';

/** The columns a selection needs: its data fields, the columns behind its references, and always the key. */
export function columnsFor(shape: ProductShape, selection: Selection, reverse: readonly ReverseShape[] = []): Selected[] {
  const wanted = new Set<string>([shape.key.name]);
  for (const name of selection.keys()) {
    const ref = shape.references.find((r) => r.name === name);
    if (ref) wanted.add(ref.from.name);
    else if (!reverse.some((r) => r.name === name)) wanted.add(name);
  }
  return shape.fields.filter((f) => wanted.has(f.name)).map((f) => ({ column: columnOf(f), as: f.name }));
}

/** A stable text naming a column set, for loader keys. */
export const columnsKey = (columns: readonly Selected[]): string => columns.map((c) => c.as).join(',');
