/**
 * Per-request DataLoaders (dataloader's own warning: never share a loader's cache between callers
 * with different rights). A loader lives in the request's context under an id naming the product,
 * the columns and the arguments, so one statement serves every look-up of a batch.
 */
import DataLoader from 'dataloader';
import type { SubgraphContext } from '../context.js';

/**
 * The request's loader named `id`, created on first use with the batch function `create` returns.
 * When `create` throws (a refused or malformed read), no loader is kept and every call throws alike.
 */
export function requestLoader<V>(ctx: SubgraphContext, id: string, maxBatchSize: number, create: () => (keys: readonly string[]) => Promise<V[]>): DataLoader<string, V> {
  let loader = ctx.loaders.get(id) as DataLoader<string, V> | undefined;
  if (!loader) {
    loader = new DataLoader<string, V>(create(), { maxBatchSize });
    ctx.loaders.set(id, loader as DataLoader<string, unknown>);
  }
  return loader;
}
