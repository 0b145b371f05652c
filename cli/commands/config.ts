/** `meshgate config`: the effective configuration (secrets redacted), or the JSON Schema of meshgate.yaml. */
import { configSources, readConfig } from '../config.js';
import { effectiveSettings, printEffectiveConfig } from '../configuration/effectiveConfig.js';
import { configJsonSchema } from '../configuration/fileSchema.js';
import { type Command, parseOptions, UsageError } from '../Command.js';

const help = `Usage: meshgate config [--json]
       meshgate config --json-schema > schema/meshgate.schema.json

Validates the configuration as a service would at start and prints what is in force: every key of
meshgate.yaml with its value and where it came from (environment, secret file, file or default).
Secrets are shown only as set or not. A bad value exits 1 with the message a service would give.

The file is MESHGATE_CONFIG (a path), else ./meshgate.yaml, else the one at the repository root;
a MESHGATE_* variable wins over the file's key; a secret may come from <NAME>_FILE (a path).

  --json          the settings as JSON (key, env, value, source)
  --json-schema   the JSON Schema of meshgate.yaml, for editors`;

/** The `config` command. */
export const command: Command = {
  help,
  async run(args) {
    const { values, positionals } = parseOptions(args, { json: { type: 'boolean' }, 'json-schema': { type: 'boolean' } });
    if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
    if (values['json-schema']) {
      process.stdout.write(`${JSON.stringify(configJsonSchema(), null, 2)}\n`);
      return 0;
    }
    let config;
    try {
      config = readConfig();
    } catch (error) {
      process.stderr.write(`${(error as Error).message}\n`);
      return 1;
    }
    const sources = configSources();
    const settings = effectiveSettings(config, sources);
    process.stdout.write(values.json ? `${JSON.stringify(settings, null, 2)}\n` : printEffectiveConfig(settings, sources.file));
    return 0;
  },
};
