/**
 * What a token costs in CPU, measured in this process: signing distinct dev tokens (ES256, for
 * reference) and verifying them with the gateway's own verifier. `process.cpuUsage()` counts every
 * thread of the process, so crypto that WebCrypto runs off the main thread is counted too.
 */
import { SignJWT } from 'jose';
import { createVerifier, DEV_AUDIENCE, DEV_ISSUER, ensureDevKeys } from '../gateway/index.js';
import { TOKEN_TTL_S } from './benchAccess.js';

/** CPU and wall time per token, in microseconds. */
export interface TokenCost {
  readonly signs: number;
  readonly signCpuUs: number;
  readonly verifications: number;
  readonly verifyCpuUs: number;
  readonly verifyWallUs: number;
}

/** Calls discarded before each timed pass, so the timed one runs warm. */
const WARMUP = 300;

/** Times `count` sequential calls: CPU (user + system, every thread) and wall microseconds per call. */
async function timeEach(count: number, call: (i: number) => Promise<unknown>): Promise<{ cpuUs: number; wallUs: number }> {
  const cpu = process.cpuUsage();
  const wall = process.hrtime.bigint();
  for (let i = 0; i < count; i++) await call(i);
  const used = process.cpuUsage(cpu);
  return { cpuUs: (used.user + used.system) / count, wallUs: Number(process.hrtime.bigint() - wall) / 1e3 / count };
}

/**
 * Signs `count` distinct tokens (distinct `sub`, the given roles) with the dev key in `devKeyDir`, as
 * `mintDevToken` does but with the key loaded once, then verifies each with `createVerifier` in dev
 * mode; resolves to the tokens (for the fresh-token load) and what one sign and one verification cost.
 */
export async function mintAndTimeTokens(devKeyDir: string, count: number, roles: readonly string[]): Promise<{ tokens: string[]; cost: TokenCost }> {
  const keys = await ensureDevKeys(devKeyDir);
  const exp = Math.floor(Date.now() / 1000) + TOKEN_TTL_S;
  const sign = (sub: string): Promise<string> =>
    new SignJWT({ roles: [...roles] })
      .setProtectedHeader({ alg: 'ES256', kid: keys.kid, typ: 'JWT' })
      .setSubject(sub)
      .setIssuer(DEV_ISSUER)
      .setAudience(DEV_AUDIENCE)
      .setIssuedAt()
      .setExpirationTime(exp)
      .sign(keys.privateKey);
  const warm = await Promise.all(Array.from({ length: WARMUP }, (_, i) => sign(`bench-warmup-${i}`)));
  const tokens: string[] = new Array<string>(count);
  const signing = await timeEach(count, async (i) => (tokens[i] = await sign(`bench-user-${i}`)));
  const verify = await createVerifier({ mode: 'dev', devKeyDir });
  for (const t of warm) await verify(t);
  const verifying = await timeEach(count, async (i) => {
    const principal = await verify(tokens[i]!);
    if (principal.sub !== `bench-user-${i}`) throw new Error(`bench: token ${i} verified as "${principal.sub}"`);
  });
  return { tokens, cost: { signs: count, signCpuUs: signing.cpuUs, verifications: count, verifyCpuUs: verifying.cpuUs, verifyWallUs: verifying.wallUs } };
}
