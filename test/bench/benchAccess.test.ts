import { benchEnv, bearer, ownerGrants } from '../../bench/benchAccess.js';
import { cpuMsFromStat } from '../../bench/processCpu.js';
import { MASKED_PII, POINT_LOOKUP, requestBody, type BenchInputs } from '../../bench/scenarios.js';

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

describe('requestBody', () => {
  const inputs: BenchInputs = { customerIds: ['C1', 'C2'], offsets: [0, 100], customerOffsets: [0, 100, 200] };

  it('rotates the masked-PII page through the pages of customers', () => {
    expect(JSON.parse(requestBody(MASKED_PII, 'gateway', 4, inputs))).toEqual({ query: MASKED_PII.query, variables: { offset: 100 } });
  });

  it('refuses to send a gateway-only operation to a subgraph', () => {
    expect(() => requestBody(MASKED_PII, 'subgraph', 0, inputs)).toThrow('sent to the gateway only');
  });

  it('sends a shape its direct operation when it goes to the subgraph', () => {
    expect(JSON.parse(requestBody(POINT_LOOKUP, 'subgraph', 1, inputs))).toEqual({ query: POINT_LOOKUP.direct.query, variables: { id: 'C2' } });
  });
});
