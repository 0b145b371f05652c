/** What `meshgate init` guessed is confirmed by a person before the product is served: a wrong guess of "none" would serve PII unmasked. */
import type { GovernanceRule } from '../GovernanceRule.js';
import { reportProblem } from '../reportProblem.js';

/** `guesses-confirmed`: no contract still carries a `classificationGuessed`, `keyGuessed` or `orderGuessed` mark of meshgate init. */
export const GuessesConfirmedRule: GovernanceRule = {
  id: 'guesses-confirmed',
  description: 'Every guess meshgate init made (classification, key, order) is confirmed: its "...Guessed" mark is deleted.',
  claims: (p) => p.source === 'contract' && /(^|\.)(classification|key|order)Guessed$/.test(p.path),
  check(ctx) {
    for (const p of ctx.claimed) {
      const mark = /([a-z]+Guessed)$/.exec(p.path)![1]!;
      reportProblem(ctx, p, `Check the guess against the data, correct it if it is wrong, then delete "${mark}" from the contract.`);
    }
  },
};
