/**
 * The 401 answer to a request without a usable bearer token (RFC 6750 §3): the error the client
 * reads, which says what to do next, and the `WWW-Authenticate` challenge. A request that presents
 * no bearer token gets a challenge without an error attribute (§3.1: the client may not know it
 * needs one); an expired token gets a message of its own and `error="invalid_token"`; every other
 * refused token gets one generic message, never naming the check that failed.
 */
import { UnauthenticatedError } from '../../schema/index.js';
import type { TokenRefusal } from './createVerifier.js';

/** Why a request is not authenticated, as far as the client may be told. */
export type AuthFailure = { readonly kind: 'missing' } | TokenRefusal;

/** What a 401 carries: the error for the body and the value of `WWW-Authenticate`. */
export interface BearerChallenge {
  readonly error: UnauthenticatedError;
  readonly wwwAuthenticate: string;
}

const REALM = 'Bearer realm="meshgate"';
const GET_ONE = 'get one from your identity provider (on a dev mesh: npx meshgate token --sub you --roles analyst)';
const SEND = 'send it as "Authorization: Bearer <JWT>" (in GraphiQL: {"Authorization": "Bearer <JWT>"} in the Headers pane)';

/** The challenge of `failure` (a missing, expired or otherwise invalid token). */
export function bearerChallenge(failure: AuthFailure): BearerChallenge {
  switch (failure.kind) {
    case 'missing':
      return { error: new UnauthenticatedError(`A valid bearer token is required: ${GET_ONE} and ${SEND}.`), wwwAuthenticate: REALM };
    case 'expired':
      return {
        error: new UnauthenticatedError(
          `The token expired at ${failure.expiredAt.toISOString()}; get a new one (on a dev mesh: npx meshgate token --sub you --roles analyst) and ${SEND}.`,
        ),
        wwwAuthenticate: `${REALM}, error="invalid_token", error_description="The access token expired"`,
      };
    case 'invalid':
      return {
        error: new UnauthenticatedError(`The bearer token is not valid: ${GET_ONE} and ${SEND}.`),
        wwwAuthenticate: `${REALM}, error="invalid_token", error_description="The access token is invalid"`,
      };
  }
}
