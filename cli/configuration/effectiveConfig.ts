/**
 * The effective configuration as `meshgate config` prints it: every key of meshgate.yaml with the
 * value in force and where it came from, secrets replaced by `(set, N characters)`. Printed as YAML
 * in the file's own layout, so it can be read side by side with (or become) a meshgate.yaml.
 */
import { stringify } from 'yaml';
import type { Config, ConfigSources } from '../config.js';
import { domainVar, FILE_KEYS } from './fileKeys.js';
import { isSecret } from './messages.js';

/** One key in force. */
export interface EffectiveSetting {
  readonly key: string;
  readonly env: string;
  /** The value, or a redaction for a secret; undefined when unset. */
  readonly value: unknown;
  readonly source: ReturnType<ConfigSources['kindOf']>;
}

const redacted = (env: string, value: unknown): unknown => (isSecret(env) && typeof value === 'string' ? `(set, ${value.length} characters)` : value);

/** Every key of the file with its value in force, its variable and its source. */
export function effectiveSettings(config: Config, sources: ConfigSources): EffectiveSetting[] {
  const values = config as unknown as Record<string, unknown>;
  const settings: EffectiveSetting[] = FILE_KEYS.map((fk) => {
    const value = values[fk.env];
    const shown = fk.kind === 'switch' && typeof value === 'string' ? value === 'on' : fk.kind === 'list' && typeof value === 'string' ? value.split(',') : value;
    return { key: fk.key, env: fk.env, value: redacted(fk.env, shown), source: sources.kindOf(fk.env) };
  });
  const domains = [...new Set([...Object.keys(config.subgraphPorts), ...Object.keys(config.subgraphUrls)])].sort();
  for (const d of domains) {
    settings.push({ key: `subgraphs.${d}.port`, env: domainVar(d, 'PORT'), value: config.subgraphPorts[d], source: sources.kindOf(domainVar(d, 'PORT')) });
    const url = config.subgraphUrls[d];
    if (url !== undefined)
      settings.push({ key: `subgraphs.${d}.url`, env: domainVar(d, 'URL'), value: url.includes(',') ? url.split(',') : url, source: sources.kindOf(domainVar(d, 'URL')) });
  }
  return settings;
}

/** The settings as YAML in the file's layout, each leaf followed by `# <source>: <variable>`. */
export function printEffectiveConfig(settings: readonly EffectiveSetting[], file: string | undefined): string {
  const out = [`# The effective configuration (file: ${file ?? 'none, defaults'}). Each line: value, then where it came from.`];
  let previous: string[] = [];
  for (const s of settings) {
    const parts = s.key.split('.');
    const common = parts.findIndex((p, i) => previous[i] !== p || i === parts.length - 1);
    for (let i = common; i < parts.length - 1; i++) out.push(`${'  '.repeat(i)}${parts[i]}:`);
    const value = s.value === undefined ? '~' : stringify(s.value, { collectionStyle: 'flow' }).trimEnd();
    out.push(`${'  '.repeat(parts.length - 1)}${parts.at(-1)}: ${value}  # ${s.source}: ${s.env}`);
    previous = parts;
  }
  return `${out.join('\n')}\n`;
}
