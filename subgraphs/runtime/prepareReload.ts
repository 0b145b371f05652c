/**
 * The checks of a hot reload, before anything is swapped: the new declarations must still hold the
 * domain, build into a subgraph (the same buildSubgraph as at start), and every product whose
 * columns changed must load its served version under the new contract. A product whose columns did
 * not change keeps its loaded table. Nothing of the version serving is touched here.
 */
import type { DataProduct, Mesh } from '../../schema/index.js';
import { buildSubgraph, type BuildSubgraphOptions } from './buildSubgraph.js';
import type { ProductTable } from './duckdb/ProductTable.js';
import { serveSchema, type ServedSchema } from './servedSchema.js';

/** What a reload would do. */
export type PreparedReload =
  | { readonly kind: 'swap'; readonly next: ServedSchema; readonly replaced: readonly ProductTable[] }
  | { readonly kind: 'unchanged' }
  | { readonly kind: 'refused'; readonly reason: string };

/** What a product's table depends on: the same, and the loaded table serves the new declaration as it is. */
const tableIdentity = (p: DataProduct): string => JSON.stringify([p.name, p.storeDir, p.contract.keys, p.contract.fields.map((f) => [f.name, f.type])]);

/** Where a product's contract is declared, for messages. */
const contractOf = (p: DataProduct): string => `${p.descriptorFile} (contract ${p.outputs[0]?.schema ?? 'inline'})`;

/** Builds the subgraph `mesh` declares for the domain of `current`, ready to swap in, or says why not. */
export async function prepareReload(current: ServedSchema, options: BuildSubgraphOptions, mesh: Mesh): Promise<PreparedReload> {
  const { domain } = options;
  if (!mesh.domains.some((d) => d.name === domain)) return { kind: 'refused', reason: `the new declarations no longer hold domain "${domain}"` };
  const kept = new Map<string, ProductTable>();
  for (const rt of current.subgraph.products.values()) kept.set(tableIdentity(rt.table.product), rt.table);
  const reused = new Set<ProductTable>();
  // The new tables' own lines (a version refused under the new contract) stay quiet while on trial: the refusal says why in one line.
  let trial = true;
  const log = options.log ?? (() => undefined);
  let built;
  try {
    built = buildSubgraph({
      ...options,
      log: (line) => (trial ? undefined : log(line)),
      mesh,
      tableOf: (p) => {
        const table = kept.get(tableIdentity(p));
        if (table) reused.add(table);
        return table;
      },
    });
  } catch (error) {
    return { kind: 'refused', reason: `its subgraph cannot be built: ${(error as Error).message.split('\n')[0]}` };
  }
  const fresh = [...built.products.values()].filter((rt) => !reused.has(rt.table));
  const discard = (): void => fresh.forEach((rt) => void rt.table.retire());
  if (built.typeDefs === current.subgraph.typeDefs && fresh.length === 0) return { kind: 'unchanged' };
  await Promise.all(fresh.map((rt) => rt.table.refresh()));
  for (const rt of fresh) {
    const before = current.subgraph.products.get(rt.shape.product.name);
    const why = rt.table.unavailableReason;
    // A product that had data and would lose it under the new contract (a column the Parquet lacks): refused.
    if (why !== undefined && before !== undefined && before.table.unavailableReason === undefined) {
      discard();
      return { kind: 'refused', reason: `${contractOf(rt.shape.product)}: product ${rt.shape.product.name}: ${why}` };
    }
  }
  const replaced = [...current.subgraph.products.values()].map((rt) => rt.table).filter((t) => !reused.has(t));
  trial = false;
  return { kind: 'swap', next: await serveSchema(built, log, options.telemetry?.tracer !== undefined), replaced };
}
