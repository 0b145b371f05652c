/**
 * The one runner of the governance rules: routes the loader's declaration problems to the rule
 * that owns them, runs every enabled rule over the mesh and returns every finding, grouped by
 * product. A rule that throws has a bug: the error names it.
 */
import path from 'node:path';
import { productsByName, type Classification, type DeclarationProblem, type Mesh } from '../../schema/index.js';
import type { MaskName } from '../masks/masks.js';
import type { Finding } from './Finding.js';
import type { GovernanceRule, LocatedProblem, RuleContext } from './GovernanceRule.js';
import type { GovernanceConfig } from './governanceConfigSchema.js';
import { locateProblems } from './locateProblems.js';
import { RULES } from './rules/index.js';

/** What the rules run over. */
export interface GovernanceInput {
  readonly mesh: Mesh;
  /** The folder the mesh was loaded from (to find the product a refused declaration is about). */
  readonly subgraphsDir: string;
  readonly config: GovernanceConfig;
  /** The mask of each PII classification, from the access policy. */
  readonly masks: Readonly<Partial<Record<Classification, MaskName>>>;
  /** Why the access policy could not be read, if it could not (reported by `pii-has-mask`). */
  readonly policyProblems?: readonly DeclarationProblem[];
  readonly policyFile?: string;
  /** "Now", for sunset dates; defaults to the current time. */
  readonly now?: Date;
  /** Findings name files relative to this folder when they are inside it (default: the working directory). */
  readonly baseDir?: string;
  /** The rules to run (default: every rule of the mesh). */
  readonly rules?: readonly GovernanceRule[];
}

/** Runs every enabled rule and resolves to all their findings, sorted by product (rules in list order within one). */
export async function runGovernanceRules(input: GovernanceInput): Promise<Finding[]> {
  const { mesh, config } = input;
  const enabled = (input.rules ?? RULES).filter((r) => config.rules[r.id] !== 'off');
  const located = await locateProblems([...mesh.problems, ...(input.policyProblems ?? [])], {
    subgraphsDir: input.subgraphsDir,
    excluded: mesh.excluded,
    ...(input.policyFile !== undefined && { policyFile: input.policyFile }),
  });
  const claimed = new Map<GovernanceRule, LocatedProblem[]>(enabled.map((r) => [r, []]));
  for (const problem of located) {
    const owner = enabled.find((r) => r.claims?.(problem));
    if (owner) claimed.get(owner)!.push(problem);
  }
  const byName = productsByName(mesh);
  // Refused products are checked too (as far as they could be read), so one run reports every problem; references still resolve to served products only.
  const checked = [...byName.values(), ...(mesh.refused ?? [])];
  const baseDir = path.resolve(input.baseDir ?? process.cwd());
  const relative = (file: string): string => {
    const r = path.relative(baseDir, file);
    return r && !r.startsWith('..') && !path.isAbsolute(r) ? r : file;
  };
  const today = (input.now ?? new Date()).toISOString().slice(0, 10);
  const findings: Finding[] = [];
  for (const rule of enabled) {
    const setting = config.rules[rule.id];
    const ctx: RuleContext = {
      mesh,
      products: checked,
      product: (name) => byName.get(name),
      masks: input.masks,
      config,
      today,
      claimed: claimed.get(rule)!,
      relative,
      report: ({ severity, ...rest }) =>
        findings.push({ rule: rule.id, severity: setting === 'warning' || setting === 'violation' ? setting : (severity ?? 'violation'), ...rest }),
    };
    try {
      rule.check(ctx);
    } catch (error) {
      throw new Error(`governance rule "${rule.id}" failed, which is a bug in the rule: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
  }
  const order = new Map(enabled.map((r, i) => [r.id, i]));
  return findings.sort((a, b) => a.product.localeCompare(b.product) || order.get(a.rule)! - order.get(b.rule)!);
}
