/** `meshgate policy-schema`: prints the JSON Schema of policies/access.yaml (what editors validate against). */
import { policyJsonSchema } from '../../policies/index.js';
import { type Command, parseOptions } from '../Command.js';

/** The `policy-schema` command. */
export const command: Command = {
  help: 'Usage: meshgate policy-schema > policies/access-policy.schema.json\n\nPrints the JSON Schema of the access-policy file format.',
  async run(args) {
    parseOptions(args, {});
    process.stdout.write(policyJsonSchema());
    return 0;
  },
};
