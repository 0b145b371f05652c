import { readConfig } from '../../cli/config.js';
import { buildEnv } from '../../cli/mesh/buildEnv.js';

describe('the DuckDB thread settings', () => {
  it('serve with one thread per query and build with two unless told otherwise', () => {
    const config = readConfig({});
    expect(config.MESHGATE_DUCKDB_THREADS).toBe(1);
    expect(config.MESHGATE_BUILD_THREADS).toBe(2);
  });

  it('take each setting from its own variable, and refuse a bad one naming it', () => {
    const config = readConfig({ MESHGATE_DUCKDB_THREADS: '3', MESHGATE_BUILD_THREADS: '4' });
    expect([config.MESHGATE_DUCKDB_THREADS, config.MESHGATE_BUILD_THREADS]).toEqual([3, 4]);
    expect(() => readConfig({ MESHGATE_BUILD_THREADS: '0' })).toThrow(/MESHGATE_BUILD_THREADS/);
  });

  it("give a build the build threads, not the serving database's", () => {
    const config = readConfig({ MESHGATE_DUCKDB_THREADS: '1', MESHGATE_BUILD_THREADS: '3' });
    const mesh = { domains: [], excluded: [], problems: [] } as unknown as Parameters<typeof buildEnv>[1];
    const security = { open: true, hashKey: 'k' } as unknown as Parameters<typeof buildEnv>[2];
    expect(
      buildEnv(
        config,
        mesh,
        security,
        async () => undefined,
        () => undefined,
      ).threads,
    ).toBe(3);
  });
});
