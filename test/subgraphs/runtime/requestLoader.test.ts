import { createSubgraphContext } from '../../../subgraphs/runtime/context.js';
import { requestLoader } from '../../../subgraphs/runtime/read/requestLoader.js';

/** A batch function that records each batch it is given and answers each key with `key!`. */
function recorder(): { batches: string[][]; create: () => (keys: readonly string[]) => Promise<string[]> } {
  const batches: string[][] = [];
  return { batches, create: () => async (keys) => (batches.push([...keys]), keys.map((k) => `${k}!`)) };
}

describe('per-request loaders', () => {
  it('answers the look-ups of one tick with one batch', async () => {
    const ctx = createSubgraphContext('r1', null);
    const { batches, create } = recorder();
    const loader = () => requestLoader(ctx, 'entity:customers:customerId', 100, create);
    expect(await Promise.all([loader().load('a'), loader().load('b'), loader().load('a')])).toEqual(['a!', 'b!', 'a!']);
    expect(batches).toEqual([['a', 'b']]);
  });

  it('splits a batch at the maximum batch size', async () => {
    const ctx = createSubgraphContext('r1', null);
    const { batches, create } = recorder();
    await Promise.all(['a', 'b', 'c'].map((k) => requestLoader(ctx, 'id', 2, create).load(k)));
    expect(batches).toEqual([['a', 'b'], ['c']]);
  });

  it('keeps loaders of different ids apart, and shares nothing between requests', async () => {
    const { batches, create } = recorder();
    const one = createSubgraphContext('r1', null);
    const two = createSubgraphContext('r2', null);
    await Promise.all([requestLoader(one, 'x', 10, create).load('k'), requestLoader(one, 'y', 10, create).load('k'), requestLoader(two, 'x', 10, create).load('k')]);
    expect(batches).toEqual([['k'], ['k'], ['k']]);
    expect(requestLoader(one, 'x', 10, create)).not.toBe(requestLoader(two, 'x', 10, create));
  });

  it('keeps no loader when creating it is refused, so every look-up is refused alike', () => {
    const ctx = createSubgraphContext('r1', null);
    const refuse = (): never => {
      throw new Error('refused');
    };
    expect(() => requestLoader(ctx, 'id', 10, refuse)).toThrow('refused');
    expect(() => requestLoader(ctx, 'id', 10, refuse)).toThrow('refused');
    expect(ctx.loaders.size).toBe(0);
  });
});
