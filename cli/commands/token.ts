/** `meshgate token`: prints a JWT, signed by the dev key (dev mode only) or by a deployment's own issuer key (`--key`). */
import path from 'node:path';
import { loadIssuerKey, mintDevToken, mintToken, type TokenClaims } from '../../gateway/index.js';
import { readConfig } from '../config.js';
import { type Command, parseOptions, UsageError } from '../Command.js';

const help = `Usage: meshgate token --sub S --roles a,b [--purpose P] [--countries DE,FR] [--ttl 1h]
       meshgate token --key FILE [--issuer ISS] [--audience AUD] --sub S --roles a,b ...

Without --key, prints a JWT signed by the dev key (generated on first use into .meshgate/dev-keys,
git-ignored). The gateway trusts it only in dev mode (the default outside NODE_ENV=production).

With --key, signs with a deployment's own issuer key (\`meshgate keys generate\` writes it, beside
the JWKS file the gateway trusts through MESHGATE_JWKS_FILE), for the issuer and audience the gateway
checks: --issuer and --audience, else MESHGATE_JWT_ISSUER and MESHGATE_JWT_AUDIENCE.

Examples:
  meshgate token --sub ana --roles analyst
  meshgate token --sub shop --roles app --purpose fulfillment
  meshgate token --sub acme --roles partner --countries DE,FR --ttl 15m
  meshgate token --key keys/signing-key.jwk.json --issuer meshgate-compose --audience meshgate --sub ana --roles analyst

Use it: curl -H "Authorization: Bearer $(npx meshgate token --sub ana --roles analyst)" ...`;

const TTL = /^(\d+)\s*(s|m|h|d)$/;
const UNIT = { s: 1, m: 60, h: 3600, d: 86_400 } as const;

function list(name: string, raw: string | undefined, pattern: RegExp): string[] | undefined {
  if (raw === undefined) return undefined;
  const items = raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const bad = items.find((i) => !pattern.test(i));
  if (bad !== undefined || items.length === 0) throw new UsageError(`--${name} expects a comma-separated list, got "${raw}"`);
  return items;
}

/** A token signed by the deployment's issuer key in `file`, for the issuer and audience its gateway checks. */
async function issuerToken(file: string, values: { issuer?: string; audience?: string }, claims: TokenClaims): Promise<string> {
  const issuer = values.issuer ?? process.env.MESHGATE_JWT_ISSUER;
  const audience = values.audience ?? process.env.MESHGATE_JWT_AUDIENCE;
  if (!issuer) throw new UsageError('--key needs the issuer the gateway checks: --issuer, or MESHGATE_JWT_ISSUER');
  if (!audience) throw new UsageError('--key needs the audience the gateway checks: --audience, or MESHGATE_JWT_AUDIENCE');
  return mintToken({ ...(await loadIssuerKey(path.resolve(file))), issuer, audience }, claims);
}

/** A dev token (dev mode only). */
async function devToken(values: { issuer?: string; audience?: string }, claims: TokenClaims): Promise<string> {
  if (values.issuer || values.audience) throw new UsageError('--issuer and --audience go with --key: dev tokens always name the dev issuer');
  const config = readConfig();
  if (config.NODE_ENV === 'production') throw new UsageError('dev tokens are not trusted when NODE_ENV=production (sign with a deployment key: --key FILE)');
  return mintDevToken(path.join(config.MESHGATE_STATE_DIR, 'dev-keys'), claims);
}

/** The `token` command. */
export const command: Command = {
  help,
  async run(args) {
    const { values } = parseOptions(args, {
      sub: { type: 'string' },
      roles: { type: 'string' },
      purpose: { type: 'string' },
      countries: { type: 'string' },
      ttl: { type: 'string' },
      key: { type: 'string' },
      issuer: { type: 'string' },
      audience: { type: 'string' },
    });
    if (!values.sub) throw new UsageError('--sub is required');
    const roles = list('roles', values.roles, /^[A-Za-z0-9_.:-]{1,64}$/);
    if (!roles) throw new UsageError('--roles is required (e.g. --roles analyst)');
    const countries = list('countries', values.countries?.toUpperCase(), /^[A-Z]{2}$/);
    const ttl = TTL.exec(values.ttl ?? '1h');
    if (!ttl) throw new UsageError(`--ttl expects a duration such as 15m, 1h or 1d, got "${values.ttl}"`);
    const claims: TokenClaims = {
      sub: values.sub,
      roles,
      ...(values.purpose && { purpose: values.purpose }),
      ...(countries && { countries }),
      ttlS: Number(ttl[1]) * UNIT[ttl[2] as keyof typeof UNIT],
    };
    const token = values.key ? await issuerToken(values.key, values, claims) : await devToken(values, claims);
    process.stdout.write(`${token}\n`);
    return 0;
  },
};
