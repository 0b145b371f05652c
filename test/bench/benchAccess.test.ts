import { benchEnv, benchLogDir, bearer, ownerGrants } from '../../bench/benchAccess.js';
import { cpuMsFromStat } from '../../bench/processCpu.js';
import { memoryFromStatus } from '../../bench/processMemory.js';
import { benchInputs, DASHBOARD_PAGE, MASKED_PII, POINT_LOOKUP, requestBody, shuffled, type BenchInputs } from '../../bench/scenarios.js';

describe('benchEnv', () => {
  const callers: NodeJS.ProcessEnv = {
    PATH: '/usr/bin',
    MESHGATE_DUCKDB_THREADS: '4',
    NODE_ENV: 'production',
    MESHGATE_STATE_DIR: '/home/me/.meshgate',
    MESHGATE_CONTEXT_SECRET: 'a secret the bench cannot read back',
    MESHGATE_AUTH_MODE: 'jwks',
    MESHGATE_JWKS_URL: 'https://idp.example/jwks',
    MESHGATE_POLICY_FILE: '/etc/meshgate/policy.yaml',
    MESHGATE_ACCESS_LOG: 'on',
    MESHGATE_RESULT_CACHE: 'off',
    MESHGATE_TRANSPORT: 'http',
  };

  it('points the mesh at the bench state folder in dev mode, with access control as asked and the access log off', () => {
    expect(benchEnv(callers, '/repo/bench/data/state', 'off')).toEqual({
      PATH: '/usr/bin',
      MESHGATE_DUCKDB_THREADS: '4',
      MESHGATE_STATE_DIR: '/repo/bench/data/state',
      MESHGATE_ACCESS: 'off',
      MESHGATE_ACCESS_LOG: 'off',
      MESHGATE_ACCESS_LOG_DIR: `/repo/bench/data/state/access-log-raw-${process.pid}-off`,
    });
  });

  it('gives each gateway that writes an access log its own folder', () => {
    expect(benchEnv(callers, '/s', 'on', 'on', 'full').MESHGATE_ACCESS_LOG_DIR).toBe(`/s/access-log-raw-${process.pid}-on-full`);
    expect(benchLogDir('/s', 'off', 'full')).toBe(`/s/access-log-raw-${process.pid}-off`);
  });

  it('leaves the caller environment untouched', () => {
    benchEnv(callers, '/repo/bench/data/state', 'on');
    expect(callers.MESHGATE_CONTEXT_SECRET).toBe('a secret the bench cannot read back');
  });
});

describe('ownerGrants', () => {
  it('grants every product unmasked, with nothing denied and no row filter', () => {
    expect(ownerGrants(['customer-profiles', 'payments'])).toEqual({
      'customer-profiles': { masks: {}, denied: [], rows: null },
      payments: { masks: {}, denied: [], rows: null },
    });
  });
});

describe('bearer', () => {
  it('builds the Authorization header of a token', () => {
    expect(bearer('a.b.c')).toEqual({ authorization: 'Bearer a.b.c' });
  });
});

describe('cpuMsFromStat', () => {
  it('adds user and system time in milliseconds, even when the process name holds spaces and parentheses', () => {
    const stat = '4242 (node (mesh) x) S 1 4242 4242 0 -1 4194560 1234 0 0 0 250 37 0 0 20 0 11 0 100 0 0';
    expect(cpuMsFromStat(stat)).toBe(2870);
  });

  it('is null for a line it cannot read', () => {
    expect(cpuMsFromStat('garbage')).toBeNull();
  });
});

describe('memoryFromStatus', () => {
  it('reads VmRSS and VmHWM in MiB', () => {
    const status = 'Name:\tnode\nVmHWM:\t  307200 kB\nVmRSS:\t  204800 kB\nThreads:\t11\n';
    expect(memoryFromStatus(status)).toEqual({ rssMiB: 200, hwmMiB: 300 });
  });

  it('is null when either is missing', () => {
    expect(memoryFromStatus('Name:\tnode\nVmRSS:\t1 kB\n')).toBeNull();
  });
});

describe('benchInputs', () => {
  const keys = Array.from({ length: 1000 }, (_, i) => `C${i}`);
  const inputs = benchInputs(keys, 100_000, 10_000);

  it('rotates through every key, shuffled the same way on every run', () => {
    expect([...inputs.customerIds].sort()).toEqual([...keys].sort());
    expect(inputs.customerIds).not.toEqual(keys);
    expect(benchInputs(keys, 100_000, 10_000)).toEqual(inputs);
  });

  it('gives thousands of different pages and aggregates, and pages of 50 within the tables', () => {
    expect(new Set(inputs.pages.map((p) => `${p.offset}/${p.min}`)).size).toBe(4_000);
    expect(new Set(inputs.aggregateMins).size).toBe(5_000);
    expect(Math.max(...inputs.orderOffsets)).toBe(999 * 50);
    expect(Math.max(...benchInputs(keys, 1_000, 10_000).orderOffsets)).toBe(950);
    expect(inputs.customerOffsets).toHaveLength(200);
  });
});

describe('shuffled', () => {
  it('is a permutation, the same for the same seed', () => {
    const items = Array.from({ length: 50 }, (_, i) => i);
    expect([...shuffled(items, 7)].sort((a, b) => a - b)).toEqual(items);
    expect(shuffled(items, 7)).toEqual(shuffled(items, 7));
    expect(shuffled(items, 7)).not.toEqual(shuffled(items, 8));
  });
});

describe('requestBody', () => {
  const inputs: BenchInputs = { customerIds: ['C1', 'C2'], pages: [{ offset: 0, min: 10 }], aggregateMins: [0], orderOffsets: [0, 50], customerOffsets: [0, 50, 100] };

  it('rotates the masked-PII page through the pages of customers', () => {
    expect(JSON.parse(requestBody(MASKED_PII, 'gateway', 4, inputs))).toEqual({ query: MASKED_PII.query, variables: { offset: 50 } });
  });

  it('refuses to send a gateway-only operation to a subgraph', () => {
    expect(() => requestBody(MASKED_PII, 'subgraph', 0, inputs)).toThrow('sent to the gateway only');
  });

  it('sends a shape its direct operation when it goes to the subgraph', () => {
    expect(JSON.parse(requestBody(POINT_LOOKUP, 'subgraph', 1, inputs))).toEqual({ query: POINT_LOOKUP.direct.query, variables: { id: 'C2' } });
  });

  it('sends a dashboard as one fixed document, without variables', () => {
    expect(JSON.parse(requestBody(DASHBOARD_PAGE, 'gateway', 7, inputs))).toEqual({ query: DASHBOARD_PAGE.query });
    expect(DASHBOARD_PAGE.space(inputs)).toBe(1);
  });
});
