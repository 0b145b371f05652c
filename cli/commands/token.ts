/** `meshgate token`: prints a dev JWT signed by the dev key (dev mode only). */
import path from 'node:path';
import { mintDevToken } from '../../gateway/index.js';
import { readConfig } from '../config.js';
import { type Command, parseOptions, UsageError } from '../Command.js';

const help = `Usage: meshgate token --sub S --roles a,b [--purpose P] [--countries DE,FR] [--ttl 1h]

Prints a JWT signed by the dev key (generated on first use into .meshgate/dev-keys, git-ignored).
The gateway trusts it only in dev mode (the default outside NODE_ENV=production).

Examples:
  meshgate token --sub ana --roles analyst
  meshgate token --sub shop --roles app --purpose fulfillment
  meshgate token --sub acme --roles partner --countries DE,FR --ttl 15m

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
    });
    if (!values.sub) throw new UsageError('--sub is required');
    const roles = list('roles', values.roles, /^[A-Za-z0-9_.:-]{1,64}$/);
    if (!roles) throw new UsageError('--roles is required (e.g. --roles analyst)');
    const countries = list('countries', values.countries?.toUpperCase(), /^[A-Z]{2}$/);
    const ttl = TTL.exec(values.ttl ?? '1h');
    if (!ttl) throw new UsageError(`--ttl expects a duration such as 15m, 1h or 1d, got "${values.ttl}"`);
    const config = readConfig();
    if (config.NODE_ENV === 'production') throw new UsageError('dev tokens are not trusted when NODE_ENV=production');
    const token = await mintDevToken(path.join(config.MESHGATE_STATE_DIR, 'dev-keys'), {
      sub: values.sub,
      roles,
      ...(values.purpose && { purpose: values.purpose }),
      ...(countries && { countries }),
      ttlS: Number(ttl[1]) * UNIT[ttl[2] as keyof typeof UNIT],
    });
    process.stdout.write(`${token}\n`);
    return 0;
  },
};
