import type { DevTokenClaims } from '../auth/mintDevToken.js';
import type { GraphiQLExample } from './examples.js';

/** Mints dev tokens for the GraphiQL page (`POST /dev/token`); the composition root gives one in dev mode only. */
export interface DevTokenIssuer {
  /** The roles a dev token may carry (the policy's roles people hold), offered on the page. */
  readonly roles: readonly string[];
  /** The purposes a dev token may declare, offered on the page. */
  readonly purposes: readonly string[];
  /** Signs a token with the dev key. */
  mint(claims: DevTokenClaims): Promise<string>;
}

/**
 * What the GraphiQL page offers besides the editor. Without it the page says only how to send a
 * token: it is public, and the schema (examples name its fields) and the policy are for
 * authenticated callers, so the composition root gives it where that does not matter (dev mode).
 */
export interface GraphiQLGuide {
  /** Example operations, a tab each after the welcome tab; those that do not validate against the served graph are left off. */
  readonly examples: readonly GraphiQLExample[];
  /** The welcome tab's own query (a named operation `Welcome`), when it validates; else `{ __typename }`. */
  readonly welcome?: GraphiQLExample;
  /** Dev tokens from the page (dev mode only): the bar's token control and `POST /dev/token`. */
  readonly devTokens?: DevTokenIssuer;
}
