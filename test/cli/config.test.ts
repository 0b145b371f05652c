import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { configSources, readConfig, REPO_ROOT } from '../../cli/config.js';
import { effectiveSettings, printEffectiveConfig } from '../../cli/configuration/effectiveConfig.js';
import { configJsonSchema } from '../../cli/configuration/fileSchema.js';
import { locateConfigFile, readConfigFile } from '../../cli/configuration/readConfigFile.js';
import { cli } from '../support/cli.js';
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

describe('meshgate.yaml', () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(path.join(tmpdir(), 'meshgate-config-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** Writes a meshgate.yaml and returns the environment naming it. */
  const withFile = (name: string, text: string, env: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => {
    const file = path.join(dir, name);
    writeFileSync(file, text);
    return { ...env, MESHGATE_CONFIG: file };
  };
  const messageOf = (env: NodeJS.ProcessEnv): string => {
    try {
      readConfig(env);
    } catch (error) {
      return (error as Error).message;
    }
    throw new Error('the configuration was accepted');
  };

  it('maps nested keys onto the variables the rest of the code reads', () => {
    const config = readConfig(
      withFile(
        'full.yaml',
        [
          'gateway: { port: 4100, corsOrigins: [https://a.example.com, https://b.example.com], instance: gw-2 }',
          'subgraphs: { customers: { port: 4201, url: [http://c1:4001/, http://c2:4001/] }, order-events: { port: 4209 } }',
          'auth: { mode: jwks, jwksUrl: https://idp.example.com/jwks.json, algorithms: [ES256] }',
          'accessLog: { enabled: true, dir: ./raw, rotateMs: 2000 }',
          'log: { level: warn, format: json }',
          'metrics: { port: 9464 }',
          'breaker: { failures: 3, resetMs: 500 }',
          'http: { headersTimeoutMs: 2000, maxConnections: 10 }',
          'reload: false',
        ].join('\n'),
      ),
    );
    expect(config).toMatchObject({
      MESHGATE_GATEWAY_PORT: 4100,
      MESHGATE_CORS_ORIGINS: 'https://a.example.com,https://b.example.com',
      MESHGATE_INSTANCE: 'gw-2',
      MESHGATE_AUTH_MODE: 'jwks',
      MESHGATE_JWKS_URL: 'https://idp.example.com/jwks.json',
      MESHGATE_JWT_ALGORITHMS: 'ES256',
      MESHGATE_ACCESS_LOG_ROTATE_MS: 2000,
      MESHGATE_LOG_LEVEL: 'warn',
      MESHGATE_LOG_FORMAT: 'json',
      MESHGATE_METRICS_PORT: 9464,
      MESHGATE_BREAKER_FAILURES: 3,
      MESHGATE_BREAKER_RESET_MS: 500,
      MESHGATE_HEADERS_TIMEOUT_MS: 2000,
      MESHGATE_MAX_CONNECTIONS: 10,
      MESHGATE_RELOAD: 'off',
      accessLogDir: path.join(dir, 'raw'),
    });
    expect(config.subgraphPorts).toMatchObject({ customers: 4201, 'order-events': 4209, commerce: 4002 });
    expect(config.subgraphUrls).toEqual({ customers: 'http://c1:4001/,http://c2:4001/' });
  });

  it('lets a MESHGATE_* variable win over the key of the file', () => {
    const env = withFile('precedence.yaml', 'gateway: { port: 4100 }\nlog: { level: warn }\nsubgraphs: { customers: { port: 4201, url: http://file:4001/ } }\n', {
      MESHGATE_GATEWAY_PORT: '4300',
      MESHGATE_CUSTOMERS_PORT: '4301',
      MESHGATE_CUSTOMERS_URL: 'http://env1:4001/,http://env2:4001/',
    });
    const config = readConfig(env);
    expect([config.MESHGATE_GATEWAY_PORT, config.MESHGATE_LOG_LEVEL, config.subgraphPorts.customers]).toEqual([4300, 'warn', 4301]);
    expect(config.subgraphUrls.customers).toBe('http://env1:4001/,http://env2:4001/');
  });

  it('looks in the working directory, then at the repository root; no file at all is the defaults', () => {
    const here = mkdtempSync(path.join(dir, 'cwd-'));
    expect(locateConfigFile({}, here)).toBe(path.join(REPO_ROOT, 'meshgate.yaml'));
    writeFileSync(path.join(here, 'meshgate.yaml'), 'gateway: { port: 4555 }\n');
    expect(locateConfigFile({}, here)).toBe(path.join(here, 'meshgate.yaml'));
    expect(readConfigFile(undefined).values).toEqual({});
  });

  it('refuses a MESHGATE_CONFIG that names no file', () => {
    expect(messageOf({ MESHGATE_CONFIG: path.join(dir, 'nowhere.yaml') })).toMatch(/MESHGATE_CONFIG: no such file \(got ".*nowhere.yaml"\)/);
  });

  it('names the key, its line and the bad value of each kind of mistake', () => {
    const message = messageOf(
      withFile(
        'bad.yaml',
        ['gateway:', '  port: 70000', '  corsOrigins: 5', 'log:', '  level: loud', 'breaker:', '  failures: many', 'auth:', '  jwksUrl: ftp://idp/keys'].join('\n'),
      ),
    );
    expect(message).toContain('gateway.port (');
    expect(message).toMatch(/gateway\.port \(.*bad\.yaml, line 2\): Too big: expected number to be <=65535 \(got 70000\)/);
    expect(message).toMatch(/gateway\.corsOrigins \(.*line 3\): expected a list of strings, or one string \(got 5\)/);
    expect(message).toMatch(/log\.level \(.*line 5\): Invalid option: expected one of .*"info".* \(got "loud"\)/);
    expect(message).toMatch(/breaker\.failures \(.*line 7\): .* \(got "many"\)/);
    expect(message).toMatch(/auth\.jwksUrl \(.*line 9\): .* \(got "ftp:\/\/idp\/keys"\)/);
  });

  it('names the variable when the bad value came from the environment', () => {
    const message = messageOf(withFile('ok.yaml', 'gateway: { port: 4100 }\n', { MESHGATE_GATEWAY_PORT: 'x', MESHGATE_LOG_FORMAT: 'xml', MESHGATE_CUSTOMERS_PORT: '-1' }));
    expect(message).toMatch(/MESHGATE_GATEWAY_PORT: .* \(got "x"\)/);
    expect(message).toMatch(/MESHGATE_LOG_FORMAT: Invalid option: .* \(got "xml"\)/);
    expect(messageOf({ MESHGATE_CUSTOMERS_PORT: '-1' })).toMatch(/MESHGATE_CUSTOMERS_PORT: expected a port number \(got "-1"\)/);
  });

  it('refuses an unknown key, suggesting the one meant', () => {
    const message = messageOf(withFile('unknown.yaml', 'gatway: { port: 1 }\nport: 3\nlog: { levle: info }\nsubgraphs: { customers: { prot: 1 } }\nMESHGATE_HOST: x\n'));
    expect(message).toMatch(/gatway \(.*line 1\): unknown key \(did you mean "gateway"\?\)/);
    expect(message).toMatch(/port \(.*line 2\): unknown key \(did you mean "gateway.port" or "metrics.port"\?\)/);
    expect(message).toMatch(/log\.levle \(.*line 3\): unknown key \(did you mean "log.level"\?\)/);
    expect(message).toMatch(/subgraphs\.customers\.prot \(.*\): unknown key \(did you mean "subgraphs.customers.port"\?\)/);
    expect(message).toMatch(/MESHGATE_HOST \(.*\): unknown key \(the file spells MESHGATE_HOST as "host"\)/);
  });

  it('refuses a file that is not YAML, naming it', () => {
    expect(messageOf(withFile('broken.yaml', 'gateway: [\n'))).toMatch(/broken\.yaml is not valid YAML/);
  });

  it('never shows a secret in a message, only its length', () => {
    const message = messageOf(withFile('secret.yaml', 'contextSecret: too-short-secret\n'));
    expect(message).toMatch(/contextSecret \(.*\): at least 32 bytes \(got a secret of 16 characters, not shown\)/);
    expect(message).not.toContain('too-short-secret');
    expect(messageOf({ MESHGATE_MASK_HASH_KEY: 'hunter2' })).not.toContain('hunter2');
  });

  it('reads a secret from the file MESHGATE_<SECRET>_FILE names, and refuses both forms at once', () => {
    const secretFile = path.join(dir, 'context-secret');
    writeFileSync(secretFile, `${'s'.repeat(40)}\n`);
    const env = withFile('secrets.yaml', `contextSecret: ${'f'.repeat(40)}\n`, { MESHGATE_CONTEXT_SECRET_FILE: secretFile });
    expect(readConfig(env).MESHGATE_CONTEXT_SECRET).toBe('s'.repeat(40));
    expect(messageOf({ MESHGATE_CONTEXT_SECRET_FILE: secretFile, MESHGATE_CONTEXT_SECRET: 'x'.repeat(40) })).toMatch(
      /MESHGATE_CONTEXT_SECRET and MESHGATE_CONTEXT_SECRET_FILE are both set/,
    );
    expect(messageOf({ MESHGATE_JWT_SECRET_FILE: path.join(dir, 'missing') })).toMatch(/MESHGATE_JWT_SECRET_FILE: cannot read ".*missing" \(ENOENT\)/);
    writeFileSync(secretFile, 'short\n');
    expect(messageOf({ MESHGATE_METRICS_TOKEN_FILE: secretFile })).toMatch(
      /MESHGATE_METRICS_TOKEN_FILE \(.*context-secret\): at least 16 characters \(got a secret of 5 characters, not shown\)/,
    );
  });

  it('prints the effective configuration with its sources and the secrets redacted', () => {
    const env = withFile('effective.yaml', 'gateway: { port: 4100 }\n', { MESHGATE_LOG_LEVEL: 'debug', MESHGATE_CONTEXT_SECRET: 'c'.repeat(40) });
    const config = readConfig(env);
    const settings = effectiveSettings(config, configSources(env));
    const text = printEffectiveConfig(settings, config.configFile);
    expect(text).toContain('  port: 4100  # file: MESHGATE_GATEWAY_PORT');
    expect(text).toContain('  level: debug  # environment: MESHGATE_LOG_LEVEL');
    expect(text).toContain('contextSecret: "(set, 40 characters)"  # environment: MESHGATE_CONTEXT_SECRET');
    expect(text).toContain('  failures: 5  # default: MESHGATE_BREAKER_FAILURES');
    expect(text).not.toContain('c'.repeat(40));
  });

  it('accepts the sample meshgate.yaml at the repository root, which changes no default', () => {
    const sample = readConfig({ MESHGATE_CONFIG: path.join(REPO_ROOT, 'meshgate.yaml') });
    const none = readConfig(withFile('empty.yaml', '# nothing\n'));
    expect({ ...sample, configFile: undefined }).toEqual({ ...none, configFile: undefined });
    expect(readFileSync(path.join(REPO_ROOT, 'meshgate.yaml'), 'utf8').split('\n')[0]).toBe('# yaml-language-server: $schema=./schema/meshgate.schema.json');
  });

  it('keeps the committed JSON Schema up to date (regenerate: meshgate config --json-schema > schema/meshgate.schema.json)', () => {
    const committed = JSON.parse(readFileSync(path.join(REPO_ROOT, 'schema', 'meshgate.schema.json'), 'utf8')) as unknown;
    expect(committed).toEqual(configJsonSchema());
  });
});

describe('meshgate config', () => {
  it('prints the JSON Schema editors read, the one committed', async () => {
    const r = await cli(['config', '--json-schema']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual(configJsonSchema());
  });

  it('exits 1 with the message a service would give when a value is bad', async () => {
    const r = await cli(['config'], { MESHGATE_LOG_LEVEL: 'loud' });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^bad configuration: MESHGATE_LOG_LEVEL: Invalid option: .* \(got "loud"\)$/m);
  });

  it('prints every setting as JSON with its source, a secret only as set', async () => {
    const r = await cli(['config', '--json'], { MESHGATE_JWT_SECRET: 'j'.repeat(40), MESHGATE_AUTH_MODE: 'hmac' });
    const settings = JSON.parse(r.stdout) as { key: string; value: unknown; source: string }[];
    expect(settings.find((s) => s.key === 'auth.jwtSecret')).toMatchObject({ value: '(set, 40 characters)', source: 'environment' });
    expect(settings.find((s) => s.key === 'auth.mode')).toMatchObject({ value: 'hmac', source: 'environment' });
    expect(r.stdout).not.toContain('j'.repeat(40));
  });
});
