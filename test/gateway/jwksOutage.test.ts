/**
 * A JWKS that cannot be fetched is the identity provider's outage, not the caller's bad token: a
 * real key-set server on loopback is made to refuse connections, hang, answer 500 or answer HTML,
 * and each time a valid token is refused with KeySetUnavailableError (the gateway's 503), while a
 * token that is really bad is still an AuthenticationError (401). Once the server is back, tokens
 * verify. Then the same through a real mesh: what the client sees, what is logged and recorded.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import path from 'node:path';
import { AuthenticationError, createVerifier, KeySetUnavailableError, type Verifier } from '../../gateway/index.js';
import { readAccessLog } from '../../subgraphs/governance/readAccessLog.js';
import { startTestMesh, type TestMesh } from '../support/startTestMesh.js';

const ISSUER = 'https://idp.test';
const AUDIENCE = 'meshgate';

type Mode = 'ok' | 'status500' | 'html' | 'hang';

/** A key-set server on loopback whose behaviour the test switches; it can be stopped and restarted on the same port. */
class JwksServer {
  mode: Mode = 'ok';
  keys: JWK[] = [];
  fetches = 0;
  private server: Server | undefined;
  port = 0;

  async start(): Promise<void> {
    this.server = createServer((_req, res) => {
      this.fetches += 1;
      if (this.mode === 'hang') return;
      if (this.mode === 'status500') return void res.writeHead(500).end('oops');
      if (this.mode === 'html') return void res.writeHead(200, { 'content-type': 'text/html' }).end('<html>maintenance</html>');
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: this.keys }));
    });
    await new Promise<void>((resolve) => this.server!.listen(this.port, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((resolve) => this.server?.close(resolve));
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}/.well-known/jwks.json`;
  }
}

interface Key {
  readonly kid: string;
  readonly privateKey: CryptoKey;
  readonly jwk: JWK;
}

async function newKey(kid: string): Promise<Key> {
  const { publicKey, privateKey } = await generateKeyPair('ES256');
  return { kid, privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' } };
}

const sign = (key: Key, sub: string): Promise<string> =>
  new SignJWT({ roles: ['analyst'] })
    .setProtectedHeader({ alg: 'ES256', kid: key.kid })
    .setSubject(sub)
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt()
    .setExpirationTime('10m')
    .sign(key.privateKey);

async function refusal(verify: Verifier, token: string): Promise<unknown> {
  try {
    await verify(token);
    return undefined;
  } catch (error) {
    return error;
  }
}

describe('a JWKS that cannot be fetched', () => {
  const jwks = new JwksServer();
  let keyA: Key;
  let keyB: Key;
  let verify: Verifier;

  beforeAll(async () => {
    [keyA, keyB] = await Promise.all([newKey('a'), newKey('b')]);
    jwks.keys = [keyA.jwk];
    await jwks.start();
    // No cache and no cool-down: every verification of a new token fetches, so each failure mode is met at once.
    verify = await createVerifier({
      mode: 'jwks',
      jwksUrl: jwks.url,
      issuer: ISSUER,
      audience: AUDIENCE,
      algorithms: ['ES256'],
      jwksCache: { maxAgeMs: 0, cooldownMs: 0, timeoutMs: 300 },
    });
  });
  afterAll(() => jwks.stop());

  it('verifies a token while the key set is served', async () => {
    await expect(verify(await sign(keyA, 'ok-1'))).resolves.toMatchObject({ sub: 'ok-1' });
  });

  it.each<[string, Mode, RegExp]>([
    ['answers 500', 'status500', /Expected 200 OK/],
    ['answers HTML instead of JSON', 'html', /parse the JSON Web Key Set/],
    ['never answers', 'hang', /timed out/],
  ])('refuses a valid token as unavailable, not invalid, when the key set %s', async (_what, mode, why) => {
    jwks.mode = mode;
    try {
      const error = await refusal(verify, await sign(keyA, `when-${mode}`));
      expect(error).toBeInstanceOf(KeySetUnavailableError);
      expect((error as Error).message).toContain(`the JWKS at ${jwks.url} cannot be fetched: `);
      expect((error as Error).message).toMatch(why);
      expect((error as Error).message).not.toMatch(/malformed/);
    } finally {
      jwks.mode = 'ok';
    }
  });

  it('still refuses a really bad token as invalid while the key set is down', async () => {
    jwks.mode = 'status500';
    try {
      expect(await refusal(verify, 'not.a.jwt')).toBeInstanceOf(AuthenticationError);
      expect(await refusal(verify, (await sign(keyA, 'x')).replace(/\.[^.]+\./, '.e30.'))).toBeDefined();
    } finally {
      jwks.mode = 'ok';
    }
  });

  it('refuses a token signed with a key the (reachable) set does not hold as invalid', async () => {
    expect(await refusal(verify, await sign(keyB, 'stranger'))).toBeInstanceOf(AuthenticationError);
  });

  it('refuses as unavailable when the server is stopped (connection refused), and verifies again once it is back', async () => {
    await jwks.stop();
    const error = await refusal(verify, await sign(keyA, 'while-down'));
    expect(error).toBeInstanceOf(KeySetUnavailableError);
    expect((error as Error).message).toMatch(/ECONNREFUSED/);
    await jwks.start();
    await expect(verify(await sign(keyA, 'after'))).resolves.toMatchObject({ sub: 'after' });
  });
});

describe('a gateway whose JWKS goes down', () => {
  const jwks = new JwksServer();
  const logged: string[] = [];
  let key: Key;
  let mesh: TestMesh;

  beforeAll(async () => {
    key = await newKey('k1');
    jwks.keys = [key.jwk];
    await jwks.start();
    mesh = await startTestMesh({
      env: {
        MESHGATE_AUTH_MODE: 'jwks',
        MESHGATE_JWKS_URL: jwks.url,
        MESHGATE_JWT_ISSUER: ISSUER,
        MESHGATE_JWT_AUDIENCE: AUDIENCE,
        MESHGATE_JWT_ALGORITHMS: 'ES256',
        // The key set is fetched again for every new token: its cache has always expired.
        MESHGATE_JWKS_CACHE_MS: '0',
        MESHGATE_JWKS_COOLDOWN_MS: '0',
      },
      log: (line) => logged.push(line),
    });
  }, 120_000);
  afterAll(async () => {
    await mesh?.close();
    await jwks.stop();
  });

  const ask = async (token: string, id: string): Promise<{ status: number; code: unknown; wwwAuthenticate: string | null; retryAfter: string | null; text: string }> => {
    const res = await fetch(mesh.running.gateway.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'x-request-id': id },
      body: JSON.stringify({ query: '{ orders(limit: 1) { orderId } }' }),
    });
    const text = await res.text();
    const body = JSON.parse(text) as { errors?: { extensions?: { code?: string } }[] };
    return { status: res.status, code: body.errors?.[0]?.extensions?.code, wwwAuthenticate: res.headers.get('www-authenticate'), retryAfter: res.headers.get('retry-after'), text };
  };

  it('answers 503 PRODUCT_UNAVAILABLE (not a 401 challenge) while the key set cannot be fetched, logs the key set, and recovers', async () => {
    const before = await sign(key, 'before');
    expect((await ask(before, 'jwks-before')).status).toBe(200);

    await jwks.stop();
    logged.length = 0;
    const during = await ask(await sign(key, 'during'), 'jwks-during');
    expect(during).toMatchObject({ status: 503, code: 'PRODUCT_UNAVAILABLE', wwwAuthenticate: null, retryAfter: '5' });
    expect(during.text).not.toContain(jwks.url);
    expect(logged.some((l) => l.includes(`the JWKS at ${jwks.url} cannot be fetched: `))).toBe(true);
    expect(logged.join('\n')).not.toMatch(/malformed/);
    // A really bad token is still the caller's mistake.
    expect(await ask('a.b.c', 'jwks-bad')).toMatchObject({ status: 401, code: 'UNAUTHENTICATED' });

    await jwks.start();
    expect((await ask(await sign(key, 'after'), 'jwks-after')).status).toBe(200);

    const { entries } = await readAccessLog({ dataRoot: mesh.dataRoot, rawDir: path.join(mesh.dataRoot, 'governance', 'access-log-raw') });
    const ours = entries.filter((e) => e.client_request_id?.startsWith('jwks-')).map((e) => [e.client_request_id, e.http_status, e.error_code]);
    expect(ours).toEqual([
      ['jwks-before', 200, null],
      ['jwks-during', 503, 'PRODUCT_UNAVAILABLE'],
      ['jwks-bad', 401, 'UNAUTHENTICATED'],
      ['jwks-after', 200, null],
    ]);
  });
});
