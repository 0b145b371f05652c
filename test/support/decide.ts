/**
 * The gateway's whole decision on one operation, as a caller would see it: the products granted
 * with their masks and row predicate, or the refusal (its code, message and what it refused).
 */
import type { GraphQLSchema } from 'graphql';
import { AccessRefusal, decideAccess } from '../../gateway/access/decideAccess.js';
import type { ProductIndex } from '../../gateway/access/ProductIndex.js';
import type { PolicyFile, Principal, RowPredicate } from '../../policies/index.js';
import { usageOf } from './operationUsage.js';
import { POLICY_FILE } from './sampleMesh.js';

/** What the caller gets: per product, the masks (column → mask) and the rows; or a refusal. */
export type Outcome =
  | { readonly granted: Record<string, { masks: Record<string, string>; denied: string[]; rows: RowPredicate | null }> }
  | { readonly refused: string; readonly code: unknown; readonly message: string };

/** Decides `query` for `principal` under `policy` over the sample's schema and index. */
export function decide(schema: GraphQLSchema, index: ProductIndex, policy: PolicyFile, principal: Principal, query: string, variables?: Record<string, unknown>): Outcome {
  const usage = usageOf(schema, index, query, variables);
  try {
    const decisions = decideAccess(policy, POLICY_FILE, principal, usage, index);
    return {
      granted: Object.fromEntries(
        [...decisions].map(([name, d]) => [
          name,
          { masks: Object.fromEntries(Object.entries(d.masks).map(([c, m]) => [c, m.mask])), denied: Object.keys(d.denied).sort(), rows: d.rows },
        ]),
      ),
    };
  } catch (error) {
    if (!(error instanceof AccessRefusal)) throw error;
    return { refused: error.denied, code: error.extensions.code, message: error.message };
  }
}

/** The refusal of an outcome: what was refused, or `granted` when nothing was. */
export const refusalOf = (o: Outcome): string => ('refused' in o ? o.refused : 'granted');
