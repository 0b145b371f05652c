import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readConfig } from '../../cli/config.js';
import { createVerifier } from '../../gateway/index.js';
import { parseEnvFile } from '../deploy/composeProject.js';
import { cli } from '../support/cli.js';

describe("a deployment's own token issuer (meshgate keys, token --key, env)", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'meshgate-issuer-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const keys = () => path.join(dir, 'keys');
  const verifier = () =>
    createVerifier({ mode: 'jwks', jwksFile: path.join(keys(), 'jwks.json'), issuer: 'meshgate-compose', audience: 'meshgate', algorithms: ['ES256', 'RS256'] });

  it('writes a private key only its owner reads and a public JWKS without the private part', async () => {
    const r = await cli(['keys', 'generate', '--out', keys()]);
    expect(r.code).toBe(0);
    expect((await stat(path.join(keys(), 'signing-key.jwk.json'))).mode & 0o777).toBe(0o600);
    const jwks = JSON.parse(await readFile(path.join(keys(), 'jwks.json'), 'utf8')) as { keys: Record<string, unknown>[] };
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0]).toMatchObject({ kty: 'EC', alg: 'ES256', use: 'sig', kid: expect.any(String) });
    expect(jwks.keys[0]).not.toHaveProperty('d');
  });

  it('never replaces an existing key without --force', async () => {
    const before = await readFile(path.join(keys(), 'signing-key.jwk.json'), 'utf8');
    const r = await cli(['keys', 'generate', '--out', keys()]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('pass --force to replace it');
    expect(await readFile(path.join(keys(), 'signing-key.jwk.json'), 'utf8')).toBe(before);
  });

  it('mints a token the gateway accepts through the JWKS file, in production mode too', async () => {
    const r = await cli(['token', '--key', path.join(keys(), 'signing-key.jwk.json'), '--sub', 'ana', '--roles', 'analyst', '--purpose', 'fulfillment'], {
      NODE_ENV: 'production',
      MESHGATE_JWT_ISSUER: 'meshgate-compose',
      MESHGATE_JWT_AUDIENCE: 'meshgate',
    });
    expect(r.code).toBe(0);
    await expect((await verifier())(r.stdout.trim())).resolves.toMatchObject({ sub: 'ana', roles: ['analyst'], purpose: 'fulfillment' });
  });

  it('signs for the issuer and audience given, which the gateway checks', async () => {
    const r = await cli(['token', '--key', path.join(keys(), 'signing-key.jwk.json'), '--issuer', 'someone-else', '--audience', 'meshgate', '--sub', 'ana', '--roles', 'analyst']);
    expect(r.code).toBe(0);
    await expect((await verifier())(r.stdout.trim())).rejects.toThrow(/iss/);
  });

  it('asks for the issuer and audience rather than guessing them', async () => {
    const r = await cli(['token', '--key', path.join(keys(), 'signing-key.jwk.json'), '--sub', 'ana', '--roles', 'analyst'], {
      MESHGATE_JWT_ISSUER: '',
      MESHGATE_JWT_AUDIENCE: '',
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--issuer, or MESHGATE_JWT_ISSUER');
  });

  it('refuses to sign with the public key set', async () => {
    const r = await cli(['token', '--key', path.join(keys(), 'jwks.json'), '--issuer', 'i', '--audience', 'a', '--sub', 'ana', '--roles', 'analyst']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('holds no private key');
  });

  it('still refuses dev tokens in production mode', async () => {
    const r = await cli(['token', '--sub', 'ana', '--roles', 'analyst'], { NODE_ENV: 'production' });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('not trusted when NODE_ENV=production');
  });

  it('prints a ready .env: fresh secrets that pass the production checks, different on every run', async () => {
    const [a, b] = [await cli(['env']), await cli(['env'])];
    expect(a.code).toBe(0);
    const [envA, envB] = [parseEnvFile(a.stdout), parseEnvFile(b.stdout)];
    expect(envA.MESHGATE_CONTEXT_SECRET).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(envA.MESHGATE_MASK_HASH_KEY).not.toBe(envA.MESHGATE_CONTEXT_SECRET);
    expect(envB.MESHGATE_CONTEXT_SECRET).not.toBe(envA.MESHGATE_CONTEXT_SECRET);
    expect(() => readConfig({ ...envA, NODE_ENV: 'production' })).not.toThrow();
    expect(a.stdout).toContain('# Signs the one-minute access context');
  });
});
