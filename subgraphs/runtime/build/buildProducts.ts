/** Builds several products, each after its upstream ones, with a progress line per step; a failure stops nothing but what it feeds from this run. */
import type { DataProduct } from '../../../schema/index.js';
import type { BuildEnv } from './BuildEnv.js';
import { buildOrder } from './buildOrder.js';
import { buildProduct, type BuildOutcome } from './buildProduct.js';

/** The outcome of a run of builds: each product's, in the order they ran; or the input cycle that stopped the run before it began. */
export type BuildRun = { readonly outcomes: readonly BuildOutcome[] } | { readonly cycle: readonly string[] };

/** Builds `wanted` (every product with a transform when empty) in dependency order. */
export async function buildProducts(wanted: readonly DataProduct[], env: BuildEnv): Promise<BuildRun> {
  const targets = wanted.length > 0 ? wanted : [...env.products.values()].filter((p) => p.transform);
  const planned = buildOrder(env.products, targets);
  if ('cycle' in planned) return planned;
  const outcomes: BuildOutcome[] = [];
  const failed = new Set<string>();
  for (const [i, product] of planned.order.entries()) {
    // A product whose upstream failed in this run still builds, from the upstream's served version, as it would on its own schedule.
    const stale = product.inputs.filter((input) => failed.has(input.source)).map((input) => input.source);
    env.log(`[${i + 1}/${planned.order.length}] building ${product.name}${stale.length ? ` (reading the served version of ${stale.join(', ')}, whose build failed)` : ''}`);
    const outcome = await buildProduct(product, env);
    outcomes.push(outcome);
    if (outcome.status === 'failed') failed.add(product.name);
    env.log(
      outcome.status === 'published'
        ? `${product.name}: published version ${outcome.version} (${outcome.rows} rows) in ${(outcome.durationMs / 1000).toFixed(1)} s`
        : outcome.message,
    );
  }
  return { outcomes };
}
