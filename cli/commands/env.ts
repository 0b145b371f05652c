/**
 * `meshgate env`: prints a ready `.env` for docker-compose: `.env.example` (the documented production
 * variables) with fresh random secrets filled in. The dev profile of the deployment is this file as
 * it comes; production replaces the secrets from its secret store and the JWKS with its identity
 * provider's.
 */
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { REPO_ROOT } from '../config.js';
import { type Command, parseOptions, UsageError } from '../Command.js';

const help = `Usage: meshgate env > .env

Prints .env.example with a fresh 32-byte random value for each secret it leaves empty
(MESHGATE_CONTEXT_SECRET, MESHGATE_MASK_HASH_KEY). docker-compose.yml reads the result. Run it once:
every service must share the same secrets, and a new MESHGATE_MASK_HASH_KEY changes every hashed value.`;

/** The variables `.env.example` leaves empty that this command generates. */
export const GENERATED_SECRETS = ['MESHGATE_CONTEXT_SECRET', 'MESHGATE_MASK_HASH_KEY'] as const;

/** `template` with every empty generated secret given a fresh random value. */
export function fillSecrets(template: string, random: () => string = () => randomBytes(32).toString('base64url')): string {
  return template
    .split('\n')
    .map((line) => {
      const name = /^([A-Z0-9_]+)=$/.exec(line)?.[1];
      return name && (GENERATED_SECRETS as readonly string[]).includes(name) ? `${name}=${random()}` : line;
    })
    .join('\n');
}

/** The `env` command. */
export const command: Command = {
  help,
  async run(args) {
    const { positionals } = parseOptions(args, {});
    if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
    process.stdout.write(fillSecrets(await readFile(path.join(REPO_ROOT, '.env.example'), 'utf8')));
    return 0;
  },
};
