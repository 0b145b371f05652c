/**
 * Secrets from files: `MESHGATE_CONTEXT_SECRET_FILE=/run/secrets/context` reads the secret from that
 * file (Docker and Kubernetes secrets are mounted as files), so it never sits in the environment or
 * in meshgate.yaml. One trailing line break is dropped. Giving both the variable and its `_FILE` is
 * refused: which one wins would be a guess.
 */
import { readFileSync } from 'node:fs';
import { SECRET_VARS } from './envSchema.js';

/** The secrets read from files: variable to value, and to the `_FILE` variable and path it came from. */
export interface SecretFilesRead {
  readonly values: Readonly<Record<string, string>>;
  readonly origins: ReadonlyMap<string, string>;
}

/** Reads every `<SECRET>_FILE` set in `env`; throws an Error naming the variable and the path it could not read. */
export function readSecretFiles(env: NodeJS.ProcessEnv): SecretFilesRead {
  const values: Record<string, string> = {};
  const origins = new Map<string, string>();
  for (const name of SECRET_VARS) {
    const file = env[`${name}_FILE`];
    if (!file) continue;
    if (env[name]) throw new Error(`bad configuration: ${name} and ${name}_FILE are both set: keep one`);
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      throw new Error(`bad configuration: ${name}_FILE: cannot read ${JSON.stringify(file)} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`, {
        cause: error,
      });
    }
    values[name] = text.replace(/\r?\n$/, '');
    origins.set(name, `${name}_FILE (${file})`);
  }
  return { values, origins };
}
