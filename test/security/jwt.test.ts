/**
 * Misuse of tokens: every forged, stale, misdirected or malformed JWT is refused by the real gateway
 * with HTTP 401 UNAUTHENTICATED and `WWW-Authenticate: Bearer ... error="invalid_token"`, in one
 * generic body that never says which check failed (the reason goes to the log, never to the
 * caller); an expired token gets its own message, but only when every other check passes; a
 * request with no bearer token gets a challenge without an error (RFC 6750 §3.1). And
 * `createVerifier` refuses weak configurations when it is created and refetches a rotated JWKS at
 * most once per cool-down.
 */
import { jest } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { exportJWK, exportSPKI, generateKeyPair, importJWK, SignJWT, UnsecuredJWT, type CryptoKey, type JWK, type JWTPayload } from 'jose';
import { AuthenticationError, createVerifier } from '../../gateway/index.js';
import { devClaims, meshSecrets, signWithDevKey } from '../support/meshSecrets.js';
import { postGraphQL } from '../support/postGraphQL.js';
import { readAccessLog } from '../../subgraphs/governance/readAccessLog.js';
import { startTestMesh, type TestMesh } from '../support/startTestMesh.js';

const now = (): number => Math.floor(Date.now() / 1000);
const b64 = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

let mesh: TestMesh;
/** What a caller without any token gets. */
let missing: Refusal;
/** What a caller with a refused token gets: every token refused but for expiry must get exactly this. */
let invalid: Refusal;

/** A 401 as the caller sees it. */
interface Refusal {
  readonly status: number;
  readonly challenge: string | null;
  readonly text: string;
}

const INVALID_CHALLENGE = 'Bearer realm="meshgate", error="invalid_token", error_description="The access token is invalid"';
const EXPIRED_CHALLENGE = 'Bearer realm="meshgate", error="invalid_token", error_description="The access token expired"';

/** Asks for customers with `authorization` (none if undefined) and returns the answer. */
async function ask(authorization?: string): Promise<Refusal> {
  const res = await fetch(mesh.running.gateway.graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(authorization !== undefined && { authorization }) },
    body: JSON.stringify({ query: '{ customers(limit: 1) { customerId email } }' }),
  });
  return { status: res.status, challenge: res.headers.get('www-authenticate'), text: await res.text() };
}

beforeAll(async () => {
  mesh = await startTestMesh();
  missing = await ask();
  invalid = await ask('Bearer a.b.c');
});
afterAll(() => mesh?.close());

/** Asks for customers with `authorization` and expects the generic refusal of an invalid token. */
async function expectRefused(authorization: string): Promise<void> {
  expect(await ask(authorization)).toEqual(invalid);
}

/** The message of a refusal's only error. */
const messageOf = (r: Refusal): string => (JSON.parse(r.text) as { errors: { message: string }[] }).errors[0]!.message;

/** An ES256 key pair that is not the mesh's, with a kid. */
async function strangerKey(kid: string): Promise<{ privateKey: CryptoKey; jwk: JWK }> {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  return { privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' } };
}

describe('the gateway', () => {
  it('answers a well-formed dev token (the control for every refusal below)', async () => {
    const r = await postGraphQL(
      mesh.running.gateway.graphqlUrl,
      { query: '{ customers(limit: 1) { customerId } }' },
      { authorization: `Bearer ${await signWithDevKey(devClaims(['analyst']))}` },
    );
    expect({ status: r.status, errors: r.errors }).toEqual({ status: 200, errors: undefined });
  });

  it('challenges a request without a token with no error attribute and says how to get one', () => {
    expect({
      status: missing.status,
      challenge: missing.challenge,
      codes: JSON.parse(missing.text).errors.map((e: { extensions: { code: string } }) => e.extensions.code),
    }).toEqual({
      status: 401,
      challenge: 'Bearer realm="meshgate"',
      codes: ['UNAUTHENTICATED'],
    });
    expect(messageOf(missing)).toMatch(/^A valid bearer token is required: .*npx meshgate token --sub you --roles analyst.*"Authorization: Bearer <JWT>"/);
  });

  it('answers an invalid token with invalid_token and a message that names no check', () => {
    expect({ status: invalid.status, challenge: invalid.challenge }).toEqual({ status: 401, challenge: INVALID_CHALLENGE });
    expect(invalid.text).toMatch(/"UNAUTHENTICATED"/);
    expect(invalid.text).not.toEqual(missing.text);
    expect(invalid.text).not.toMatch(/expired|signature|issuer|audience|kid|alg|claim|nbf|exp\b|ERR_|JWS|JWK/i);
  });

  it.each<[string, () => JWTPayload]>([
    ['expired an hour ago', () => devClaims(['analyst'], { iat: now() - 7200, exp: now() - 3600 })],
    ['expired just past the 30 s clock tolerance', () => devClaims(['analyst'], { exp: now() - 45 })],
  ])('answers a token that %s with its own message and error_description, saying when it expired', async (_name, claims) => {
    const c = claims();
    const r = await ask(`Bearer ${await signWithDevKey(c)}`);
    expect({ status: r.status, challenge: r.challenge }).toEqual({ status: 401, challenge: EXPIRED_CHALLENGE });
    expect(messageOf(r)).toBe(
      `The token expired at ${new Date(c.exp! * 1000).toISOString()}; get a new one (on a dev mesh: npx meshgate token --sub you --roles analyst) and send it as "Authorization: Bearer <JWT>" (in GraphiQL: {"Authorization": "Bearer <JWT>"} in the Headers pane).`,
    );
  });

  it.each<[string, () => JWTPayload]>([
    ['not valid for another hour (nbf)', () => devClaims(['analyst'], { nbf: now() + 3600 })],
    ['issued an hour in the future (iat)', () => devClaims(['analyst'], { iat: now() + 3600, exp: now() + 7200 })],
    ['without exp', () => devClaims(['analyst'], { exp: undefined })],
    ['without sub', () => devClaims(['analyst'], { sub: undefined })],
    ['from another issuer', () => devClaims(['analyst'], { iss: 'https://evil.example' })],
    ['without an issuer', () => devClaims(['analyst'], { iss: undefined })],
    ['for another audience', () => devClaims(['analyst'], { aud: 'someone-else' })],
    ['without an audience', () => devClaims(['analyst'], { aud: undefined })],
    ['whose sub is an object', () => devClaims(['analyst'], { sub: { id: 'x' } as unknown as string })],
    ['whose roles is a string, not an array', () => devClaims(['analyst'], { roles: 'customers-owner' })],
    ['whose roles are numbers', () => devClaims(['analyst'], { roles: [1, 2] })],
    ['whose purpose is a list', () => devClaims(['app'], { purpose: ['fulfillment'] })],
    // "Expired" is said only of a token that passes every other check: these fail another one too.
    ['expired and from another issuer', () => devClaims(['analyst'], { iss: 'https://evil.example', exp: now() - 3600 })],
    ['expired and for another audience', () => devClaims(['analyst'], { aud: 'someone-else', exp: now() - 3600 })],
    ['expired and whose roles are numbers', () => devClaims(['analyst'], { roles: [1, 2], exp: now() - 3600 })],
    ['expired and issued in the future', () => devClaims(['analyst'], { iat: now() + 3600, exp: now() - 3600 })],
  ])('refuses a token signed with the real dev key but %s, as invalid', async (_name, claims) => {
    await expectRefused(`Bearer ${await signWithDevKey(claims())}`);
  });

  it('refuses an expired token signed with another key as invalid, not as expired', async () => {
    const stranger = await strangerKey('expired-stranger');
    const token = await new SignJWT(devClaims(['analyst'], { exp: now() - 3600 })).setProtectedHeader({ alg: 'ES256', kid: 'expired-stranger' }).sign(stranger.privateKey);
    await expectRefused(`Bearer ${token}`);
  });

  it('refuses alg "none" (an unsecured JWT with perfect claims)', async () => {
    const { devKeys } = await meshSecrets();
    const token = new UnsecuredJWT(devClaims(['customers-owner'])).encode();
    await expectRefused(`Bearer ${token}`);
    // The same with a kid and typ, as a forger would add them.
    await expectRefused(`Bearer ${b64({ alg: 'none', kid: devKeys.kid, typ: 'JWT' })}.${b64(devClaims(['customers-owner']))}.`);
  });

  it('refuses HS256 signed with the dev public key as the HMAC secret (algorithm confusion)', async () => {
    const { devKeys } = await meshSecrets();
    const pem = await exportSPKI((await importJWK(devKeys.publicJwk, 'ES256')) as CryptoKey);
    for (const secret of [pem, JSON.stringify(devKeys.publicJwk), `${devKeys.publicJwk.x}${devKeys.publicJwk.y}`]) {
      const token = await new SignJWT(devClaims(['customers-owner'])).setProtectedHeader({ alg: 'HS256', kid: devKeys.kid }).sign(new TextEncoder().encode(secret));
      await expectRefused(`Bearer ${token}`);
    }
  });

  it('refuses a tampered payload: roles raised to every owner, the signature kept', async () => {
    const [header, , signature] = (await signWithDevKey(devClaims(['analyst']))).split('.');
    await expectRefused(`Bearer ${header}.${b64(devClaims(['customers-owner', 'commerce-owner', 'payments-owner']))}.${signature}`);
  });

  it('refuses a tampered header: the algorithm changed, the signature kept', async () => {
    const { devKeys } = await meshSecrets();
    const [, payload, signature] = (await signWithDevKey(devClaims(['analyst']))).split('.');
    await expectRefused(`Bearer ${b64({ alg: 'ES384', kid: devKeys.kid })}.${payload}.${signature}`);
  });

  it('refuses tokens from another key: with an unknown kid, with the dev kid, without a kid, or carrying its own key', async () => {
    const { devKeys } = await meshSecrets();
    const stranger = await strangerKey('rotated-key');
    const sign = (header: Record<string, unknown>) => new SignJWT(devClaims(['customers-owner'])).setProtectedHeader({ alg: 'ES256', ...header }).sign(stranger.privateKey);
    for (const header of [
      { kid: 'rotated-key' },
      { kid: devKeys.kid },
      {},
      { kid: 'rotated-key', jwk: { kty: stranger.jwk.kty, crv: stranger.jwk.crv, x: stranger.jwk.x, y: stranger.jwk.y } },
    ]) {
      await expectRefused(`Bearer ${await sign(header)}`);
    }
  });

  it('refuses an unknown critical header parameter', async () => {
    const { devKeys } = await meshSecrets();
    // jose will not sign an unknown `crit`; a forger signs the bytes with the key directly.
    const signed = async (header: Record<string, unknown>) => {
      const input = `${b64({ alg: 'ES256', kid: devKeys.kid, ...header })}.${b64(devClaims(['analyst']))}`;
      const signature = await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, devKeys.privateKey, new TextEncoder().encode(input));
      return `Bearer ${input}.${Buffer.from(signature).toString('base64url')}`;
    };
    expect((await postGraphQL(mesh.running.gateway.graphqlUrl, { query: '{ __typename }' }, { authorization: await signed({}) })).status).toBe(200);
    await expectRefused(await signed({ crit: ['x-meshgate-trust-me'], 'x-meshgate-trust-me': true }));
  });

  it.each([
    ['garbage', 'Bearer garbage'],
    ['three empty parts', 'Bearer ..'],
    ['three base64 parts that are not JSON', 'Bearer YWJj.ZGVm.Z2hp'],
    ['two tokens', 'Bearer a.b.c Bearer d.e.f'],
  ])('refuses %s as an invalid token', async (_name, authorization) => {
    await expectRefused(authorization);
  });

  it('records every refusal in the access log, missing, expired and invalid alike', async () => {
    const expired = await signWithDevKey(devClaims(['analyst'], { exp: now() - 3600 }));
    const sent = { 'jwt-missing': undefined, 'jwt-expired': `Bearer ${expired}`, 'jwt-invalid': 'Bearer a.b.c' };
    for (const [id, authorization] of Object.entries(sent)) {
      const res = await fetch(mesh.running.gateway.graphqlUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-request-id': id, ...(authorization && { authorization }) },
        body: JSON.stringify({ query: '{ orders(limit: 1) { orderId } }' }),
      });
      expect(res.status).toBe(401);
    }
    const { entries } = await readAccessLog({ dataRoot: mesh.dataRoot, rawDir: path.join(mesh.dataRoot, 'governance', 'access-log-raw') });
    const ours = entries
      .filter((e) => e.client_request_id !== undefined && e.client_request_id in sent)
      .map((e) => ({ id: e.client_request_id!, decision: e.decision, http_status: e.http_status, error_code: e.error_code, subject: e.subject }));
    expect(ours.sort((a, b) => a.id.localeCompare(b.id))).toEqual(
      Object.keys(sent)
        .sort()
        .map((id) => ({ id, decision: 'unauthenticated', http_status: 401, error_code: 'UNAUTHENTICATED', subject: null })),
    );
  });

  it.each([
    ['an empty bearer', 'Bearer '],
    ['Basic credentials', 'Basic YWRtaW46YWRtaW4='],
    ['a token without the Bearer scheme', 'eyJhbGciOiJFUzI1NiJ9.e30.c2ln'],
  ])('answers %s as no bearer token at all', async (_name, authorization) => {
    expect(await ask(authorization)).toEqual(missing);
  });
});

describe('createVerifier in hmac mode', () => {
  const secret = 'a-shared-secret-of-32-bytes-or-more!';
  const hmac = { mode: 'hmac', secret, issuer: 'https://idp.example', audience: 'meshgate' } as const;
  const signHs = (claims: JWTPayload, key = secret, alg = 'HS256') => new SignJWT(claims).setProtectedHeader({ alg }).sign(new TextEncoder().encode(key));
  const claims = (overrides: Record<string, unknown> = {}) => devClaims(['analyst'], { iss: hmac.issuer, aud: hmac.audience, ...overrides });

  it('refuses a secret shorter than 32 bytes when it is created', async () => {
    await expect(createVerifier({ ...hmac, secret: 'x'.repeat(31) })).rejects.toThrow(TypeError);
    await expect(createVerifier({ ...hmac, secret: 'x'.repeat(31) })).rejects.toThrow(/32 bytes/);
  });

  it('accepts a token signed with the secret and refuses the wrong secret, issuer, audience or algorithm', async () => {
    const verify = await createVerifier(hmac);
    await expect(verify(await signHs(claims()))).resolves.toMatchObject({ sub: 'forger', roles: ['analyst'] });
    for (const token of [
      await signHs(claims(), 'another-shared-secret-of-32-bytes!!'),
      await signHs(claims({ iss: 'https://evil.example' })),
      await signHs(claims({ aud: 'other' })),
      await signHs(claims(), secret, 'HS512'),
    ])
      await expect(verify(token)).rejects.toThrow(AuthenticationError);
  });
  it('marks an expired token as expired, with when, only when every other check passes', async () => {
    const verify = await createVerifier(hmac);
    const exp = now() - 3600;
    const refusal = (token: string) =>
      verify(token).then(
        () => 'accepted',
        (e: unknown) => (e instanceof AuthenticationError ? e.refusal : e),
      );
    await expect(refusal(await signHs(claims({ exp })))).resolves.toEqual({ kind: 'expired', expiredAt: new Date(exp * 1000) });
    await expect(refusal(await signHs(claims({ exp }), 'another-shared-secret-of-32-bytes!!'))).resolves.toEqual({ kind: 'invalid' });
    await expect(refusal(await signHs(claims({ exp, aud: 'other' })))).resolves.toEqual({ kind: 'invalid' });
    await expect(refusal(await signHs(claims({ exp, sub: 42 })))).resolves.toEqual({ kind: 'invalid' });
  });
  it('refuses a token once it expires, although its earlier verification was cached', async () => {
    const verify = await createVerifier({ ...hmac, clockToleranceS: 0 });
    const exp = now() + 2;
    const token = await signHs(claims({ exp }));
    await expect(verify(token)).resolves.toMatchObject({ sub: 'forger' });
    await expect(verify(token)).resolves.toMatchObject({ sub: 'forger' });
    await new Promise((r) => setTimeout(r, (exp + 1) * 1000 - Date.now()));
    await expect(verify(token).catch((e: unknown) => (e instanceof AuthenticationError ? e.refusal : e))).resolves.toEqual({ kind: 'expired', expiredAt: new Date(exp * 1000) });
  }, 10_000);
});

describe('createVerifier in jwks mode', () => {
  const base = { mode: 'jwks', issuer: 'https://idp.example', audience: 'meshgate', algorithms: ['ES256'] } as const;
  const claims = (overrides: Record<string, unknown> = {}) => devClaims(['analyst'], { iss: base.issuer, aud: base.audience, ...overrides });
  const signWith = (key: { privateKey: CryptoKey; jwk: JWK }, overrides?: Record<string, unknown>) =>
    new SignJWT(claims(overrides)).setProtectedHeader({ alg: 'ES256', kid: key.jwk.kid! }).sign(key.privateKey);

  it('refuses an HMAC algorithm, no algorithm, or both or neither of a URL and a file, when it is created', async () => {
    const file = path.join(await mkdtemp(path.join(tmpdir(), 'jwks-')), 'jwks.json');
    await writeFile(file, JSON.stringify({ keys: [] }));
    for (const bad of [
      { algorithms: ['HS256'], jwksFile: file },
      { algorithms: ['ES256', 'HS256'], jwksFile: file },
      { algorithms: [], jwksFile: file },
      { jwksFile: file, jwksUrl: 'http://127.0.0.1:9/jwks' },
      {},
    ]) {
      await expect(createVerifier({ ...base, ...bad })).rejects.toThrow(TypeError);
    }
  });

  it('verifies against a JWKS file and refuses another issuer, another audience or a stranger key', async () => {
    const known = await strangerKey('k1');
    const file = path.join(await mkdtemp(path.join(tmpdir(), 'jwks-')), 'jwks.json');
    await writeFile(file, JSON.stringify({ keys: [known.jwk] }));
    const verify = await createVerifier({ ...base, jwksFile: file });
    await expect(verify(await signWith(known))).resolves.toMatchObject({ sub: 'forger' });
    for (const token of [await signWith(known, { iss: 'https://evil.example' }), await signWith(known, { aud: 'other' }), await signWith(await strangerKey('k1'))]) {
      await expect(verify(token)).rejects.toThrow(AuthenticationError);
    }
  });

  describe('from a URL', () => {
    let server: Server;
    let served: JWK[] = [];
    let fetches = 0;
    let url: string;
    beforeAll(async () => {
      server = createServer((_req, res) => {
        fetches++;
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: served }));
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`;
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
    afterEach(() => jest.restoreAllMocks());

    it('fetches once, refetches once for a rotated kid after the cool-down, and never for each unknown kid', async () => {
      const k1 = await strangerKey('k1');
      const k2 = await strangerKey('k2');
      served = [k1.jwk];
      const verify = await createVerifier({ ...base, jwksUrl: url });
      await expect(verify(await signWith(k1))).resolves.toMatchObject({ sub: 'forger' });
      await expect(verify(await signWith(k1))).resolves.toMatchObject({ sub: 'forger' });
      expect(fetches).toBe(1);

      served = [k1.jwk, k2.jwk];
      // Within the 30 s cool-down an unknown kid is refused without a fetch: forged kids cannot hammer the key server.
      for (let i = 0; i < 5; i++) await expect(verify(await signWith(k2))).rejects.toThrow(AuthenticationError);
      expect(fetches).toBe(1);

      const later = Date.now() + 31_000;
      jest.spyOn(Date, 'now').mockImplementation(() => later);
      await expect(verify(await signWith(k2))).resolves.toMatchObject({ sub: 'forger' });
      expect(fetches).toBe(2);
      await expect(verify(await signWith(k2))).resolves.toMatchObject({ sub: 'forger' });
      await expect(verify(await signWith(await strangerKey('k3')))).rejects.toThrow(AuthenticationError);
      expect(fetches).toBe(2);
    });

    it('refuses a token for another issuer or audience even when its key is served', async () => {
      const k = await strangerKey('k4');
      served = [k.jwk];
      const verify = await createVerifier({ ...base, jwksUrl: url });
      for (const overrides of [{ iss: 'https://other-idp.example' }, { aud: 'another-api' }, { aud: undefined }])
        await expect(verify(await signWith(k, overrides))).rejects.toThrow(AuthenticationError);
    });
  });
});

describe('the authorization scheme', () => {
  it('accepts "bearer" in any letter case, as HTTP defines the scheme', async () => {
    const { startTestMesh } = await import('../support/startTestMesh.js');
    const mesh = await startTestMesh();
    try {
      const token = await mesh.token({ roles: ['analyst'] });
      const r = await mesh.query('{ orders(limit: 1) { orderId } }', {}, { authorization: `bEaReR ${token}` });
      expect(r.status).toBe(200);
      expect(r.errors).toBeUndefined();
    } finally {
      await mesh.close();
    }
  });
});
