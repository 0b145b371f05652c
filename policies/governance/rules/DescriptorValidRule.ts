/** Every declaration loads: a descriptor or contract the loader refuses keeps its whole domain out of the mesh. */
import type { GovernanceRule } from '../GovernanceRule.js';
import { reportProblem } from '../reportProblem.js';

/** `descriptor-valid`: the loader's declaration problems that no more specific rule claims (it comes last and claims the rest). */
export const DescriptorValidRule: GovernanceRule = {
  id: 'descriptor-valid',
  description: 'Every descriptor and contract is valid (what the loader refuses, unless a more specific rule reports it).',
  claims: () => true,
  check(ctx) {
    for (const p of ctx.claimed) reportProblem(ctx, p, `Correct ${p.path || 'the file'} in ${ctx.relative(p.file)} as the message says.`);
  },
};
