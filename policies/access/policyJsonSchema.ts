/** The JSON Schema of the policy file, for editors (generated from the zod schema, so they never disagree). */
import { z } from 'zod';
import { policySchema } from './policySchema.js';

/** The policy file's JSON Schema (draft 2020-12) as pretty-printed text. */
export function policyJsonSchema(): string {
  const schema = z.toJSONSchema(policySchema, { io: 'input' });
  return `${JSON.stringify({ ...schema, title: 'meshgate access policy', $id: 'access-policy.schema.json' }, null, 2)}\n`;
}
