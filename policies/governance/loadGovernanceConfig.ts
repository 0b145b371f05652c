/** Loads the governance configuration and the access policy's masks, each validated once, naming the file and the path of any problem. */
import { readStructured, zodProblems, type Classification, type DeclarationProblem, type Result } from '../../schema/index.js';
import { policySchema } from '../access/policySchema.js';
import type { MaskName } from '../masks/masks.js';
import { governanceConfigSchema, type GovernanceConfig } from './governanceConfigSchema.js';
import { RULES } from './rules/index.js';

/** Loads `policies/governance.yaml`; a `rules:` entry must name a known rule. */
export async function loadGovernanceConfig(file: string, ruleIds: readonly string[] = RULES.map((r) => r.id)): Promise<Result<GovernanceConfig>> {
  const raw = await readStructured(file);
  if (raw.errors) return raw;
  const parsed = governanceConfigSchema.safeParse(raw.value ?? {});
  if (!parsed.success) return { errors: zodProblems(file, parsed.error) };
  const unknown: DeclarationProblem[] = Object.keys(parsed.data.rules)
    .filter((id) => !ruleIds.includes(id))
    .map((id) => ({ file, path: `rules.${id}`, message: `expected the id of a rule (${ruleIds.join(', ')}), got "${id}"` }));
  return unknown.length ? { errors: unknown } : { value: parsed.data };
}

/** Reads the masks of the access policy (without checking it against the mesh: `pii-has-mask` reports what is missing). */
export async function loadPolicyMasks(file: string): Promise<Result<Readonly<Partial<Record<Classification, MaskName>>>>> {
  const raw = await readStructured(file);
  if (raw.errors) return raw;
  const parsed = policySchema.safeParse(raw.value);
  return parsed.success ? { value: parsed.data.masks } : { errors: zodProblems(file, parsed.error) };
}
