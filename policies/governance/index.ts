/** policies/governance: the mesh's governance rules (one per file in rules/), their configuration and the one runner. */
export type { Finding, Severity } from './Finding.js';
export type { GovernanceRule, LocatedProblem, Report, RuleContext } from './GovernanceRule.js';
export { governanceConfigSchema, OWNER_KINDS, RULE_SETTINGS, SLA_ENTRIES, type GovernanceConfig, type OwnerKind, type RuleSetting } from './governanceConfigSchema.js';
export { loadGovernanceConfig, loadPolicyMasks } from './loadGovernanceConfig.js';
export { runGovernanceRules, type GovernanceInput } from './runGovernanceRules.js';
export { RULES } from './rules/index.js';
export { formatDuration, formatPercent } from './formatDuration.js';
