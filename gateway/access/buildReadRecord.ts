/** What an operation read of each product once the decision is applied, for the access log (which then needs nothing of this folder). */
import { readParts, type ProductDecision } from '../../policies/index.js';
import type { ProductRead, ReadRecord } from '../context.js';
import type { OperationUsage } from './analyzeOperation.js';
import type { ProductIndex } from './ProductIndex.js';

/** Builds the read record of an operation from what it reads and its decisions (all of them, or undefined when it was not decided). */
export function buildReadRecord(usage: OperationUsage, decisions: ReadonlyMap<string, ProductDecision> | undefined, index: ProductIndex): ReadRecord {
  const products = new Map<string, ProductRead>();
  for (const [product, use] of usage) {
    const decision = decisions?.get(product);
    const shape = index.shape(product);
    const columns = [...use.selected];
    const masked: (readonly [string, string])[] = [];
    const unmasked: string[] = [];
    // A refused operation was served nothing: only what it asked for is known.
    if (decision) {
      for (const column of columns) {
        const field = shape?.fieldOfColumn(column)?.field;
        const mask = decision.masks[column];
        // A column the shape does not know counts as personal data: the log errs towards showing a read.
        if (!field) {
          if (mask) masked.push([column, mask.mask]);
          else unmasked.push(column);
          continue;
        }
        // Each classified part: the column, or each classified member of a struct (`ship_to.postal_code`).
        const parts = readParts(field, decision.masks);
        masked.push(...parts.masked);
        unmasked.push(...parts.unmasked);
      }
    }
    products.set(product, { columns, masked, unmasked, rowRules: decision?.rowRules ?? [] });
  }
  return { decided: decisions !== undefined, products };
}
