/** `meshgate keys generate --out DIR`: a deployment's own token issuer key pair (the private JWK and the public JWKS the gateway trusts). */
import path from 'node:path';
import { generateIssuerKeys } from '../../gateway/index.js';
import { type Command, parseOptions, UsageError } from '../Command.js';

const help = `Usage: meshgate keys generate --out DIR [--force]

Writes a new ES256 key pair for a deployment without an identity provider (compose, staging):
  DIR/signing-key.jwk.json  the private key (mode 0600): keep it with whoever mints tokens
  DIR/jwks.json             the public key set: the gateway trusts it with MESHGATE_JWKS_FILE
Then mint a token the deployment accepts:
  meshgate token --key DIR/signing-key.jwk.json --issuer ISS --audience AUD --sub ana --roles analyst
with the MESHGATE_JWT_ISSUER and MESHGATE_JWT_AUDIENCE the gateway is configured with. An existing
key is never replaced without --force (tokens signed with it would stop verifying).`;

/** The `keys` command. */
export const command: Command = {
  help,
  async run(args) {
    const { values, positionals } = parseOptions(args, { out: { type: 'string' }, force: { type: 'boolean' } });
    if (positionals[0] !== 'generate' || positionals.length > 1) throw new UsageError('expected `meshgate keys generate --out DIR`');
    if (!values.out) throw new UsageError('--out DIR is required');
    const keys = await generateIssuerKeys(path.resolve(values.out), { force: values.force ?? false });
    process.stdout.write(`wrote ${keys.privateKeyFile} (private, keep it secret) and ${keys.jwksFile} (public, for MESHGATE_JWKS_FILE); key id ${keys.kid}\n`);
    return 0;
  },
};
