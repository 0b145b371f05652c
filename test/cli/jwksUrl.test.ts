/** Keys fetched over plain HTTP can be swapped on the path: production refuses such a JWKS URL at start, naming the variable; dev mode allows it. */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readConfig } from '../../cli/config.js';
import { loadSecurity } from '../../cli/security.js';
import { loadServedMesh } from '../../cli/mesh/index.js';

const SECRET = 'x'.repeat(32);

async function security(env: Record<string, string>): Promise<unknown> {
  const config = readConfig({
    MESHGATE_DATA_DIR: await mkdtemp(path.join(tmpdir(), 'meshgate-jwks-')),
    MESHGATE_STATE_DIR: await mkdtemp(path.join(tmpdir(), 'meshgate-jwks-state-')),
    MESHGATE_CONTEXT_SECRET: SECRET,
    MESHGATE_MASK_HASH_KEY: SECRET,
    MESHGATE_AUTH_MODE: 'jwks',
    MESHGATE_JWT_ISSUER: 'https://idp.example.com',
    MESHGATE_JWT_AUDIENCE: 'meshgate',
    ...env,
  });
  return loadSecurity(config, await loadServedMesh(config, () => undefined));
}

describe('MESHGATE_JWKS_URL', () => {
  it('is refused as plain http:// when NODE_ENV=production, with a message naming it', async () => {
    await expect(security({ NODE_ENV: 'production', MESHGATE_JWKS_URL: 'http://idp.example.com/jwks.json' })).rejects.toThrow(
      'bad configuration: MESHGATE_JWKS_URL must be an https:// URL when NODE_ENV=production, got "http://idp.example.com/jwks.json"',
    );
  });

  it('is accepted as https:// in production', async () => {
    await expect(security({ NODE_ENV: 'production', MESHGATE_JWKS_URL: 'https://idp.example.com/jwks.json' })).resolves.toMatchObject({ open: false });
  });

  it('may be plain http:// in dev (a local identity provider)', async () => {
    await expect(security({ MESHGATE_JWKS_URL: 'http://127.0.0.1:8080/jwks.json' })).resolves.toMatchObject({ auth: { jwksUrl: 'http://127.0.0.1:8080/jwks.json' } });
  });
});
