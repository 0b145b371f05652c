/**
 * The order builds run in: a product after every product it reads (its data-product inputs), across
 * domains. A cycle of inputs is refused, naming it, since no order can build it.
 */
import type { DataProduct } from '../../../schema/index.js';

/** The products to build in dependency order, or the cycle that prevents any order. */
export function buildOrder(products: ReadonlyMap<string, DataProduct>, wanted: readonly DataProduct[]): { order: DataProduct[] } | { cycle: string[] } {
  const upstream = (p: DataProduct): DataProduct[] => p.inputs.filter((i) => i.type === 'data-product').flatMap((i) => products.get(i.source) ?? []);
  const state = new Map<string, 'visiting' | 'done'>();
  const all: DataProduct[] = [];
  const visit = (p: DataProduct, path: string[]): string[] | undefined => {
    const s = state.get(p.name);
    if (s === 'done') return undefined;
    if (s === 'visiting') return [...path.slice(path.indexOf(p.name)), p.name];
    state.set(p.name, 'visiting');
    for (const u of upstream(p)) {
      const cycle = visit(u, [...path, p.name]);
      if (cycle) return cycle;
    }
    state.set(p.name, 'done');
    all.push(p);
    return undefined;
  };
  for (const p of [...products.values()].sort((a, b) => a.name.localeCompare(b.name))) {
    const cycle = visit(p, []);
    if (cycle) return { cycle };
  }
  const names = new Set(wanted.map((p) => p.name));
  return { order: all.filter((p) => names.has(p.name)) };
}
