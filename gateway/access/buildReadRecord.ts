/** What an operation read of each product once the decision is applied, for the access log (which then needs nothing of this folder). */
import type { ProductDecision } from '../../policies/index.js';
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
        const mask = decision.masks[column];
        if (mask) masked.push([column, mask.mask]);
        // A column the shape does not know counts as personal data: the log errs towards showing a read.
        else if (shape?.fieldOfColumn(column)?.field.classification !== 'none') unmasked.push(column);
      }
    }
    products.set(product, { columns, masked, unmasked, rowRules: decision?.rowRules ?? [] });
  }
  return { decided: decisions !== undefined, products };
}
