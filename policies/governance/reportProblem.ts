/** Turns a located declaration problem into a report, so every rule words them alike. */
import type { LocatedProblem, Report, RuleContext } from './GovernanceRule.js';

/** Reports a problem the loader found, with how to fix it; says when it keeps a domain out of the mesh. */
export function reportProblem(ctx: RuleContext, problem: LocatedProblem, fix: string, message?: string): void {
  // A field's problem is named by index and name (`fields[0] touch_id: ...`), as the file is read by position and the API by name.
  const at = problem.field !== undefined ? /^(.*\[\d+\])\.[^.[\]]+$/.exec(problem.path)?.[1] : undefined;
  const where = message !== undefined ? '' : at !== undefined ? `${at} ${problem.field}: ` : problem.path ? `${problem.path}: ` : '';
  const excluded = problem.excludedDomain ? ` (the domain "${problem.excludedDomain}" is left out of the mesh until this is fixed)` : '';
  const report: Report = {
    product: problem.product,
    ...(problem.field !== undefined && { field: problem.field }),
    file: ctx.relative(problem.file),
    message: `${where}${message ?? problem.message}${excluded}`,
    fix,
  };
  ctx.report(report);
}
