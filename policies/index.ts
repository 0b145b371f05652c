/**
 * policies/: federated computational governance: the policy files (access, masking, governance
 * rules) and the engines that evaluate them. Access policies and masking arrive with the access
 * control issue; the runtime already carries a row-filter hook (ProductRuntime.rowFilter) and the
 * gateway a per-request principal for them.
 */

export type { FieldMask, Principal, ProductDecision, RowPredicate, RowValue } from './access/Decision.js';
export { evaluateAccess, resolveRows } from './access/evaluateAccess.js';
export { checkPolicies, describeProblems, loadPolicies } from './access/loadPolicies.js';
export { policySchema, type AccessRule, type PolicyFile, type RowFilterSpec } from './access/policySchema.js';
export { MASKS, MASK_NAMES, maskMisfit, type MaskName } from './masks/masks.js';
export { ACCESS_CONTEXT_HEADER, contextKey, grantOf, signAccessContext, verifyAccessContext, type AccessContext, type ProductGrant } from './context/accessContext.js';
export { policyJsonSchema } from './access/policyJsonSchema.js';
export type { Finding, Severity } from './governance/Finding.js';
