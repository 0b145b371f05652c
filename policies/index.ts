/**
 * policies/: federated computational governance: the policy files (access, masking, governance
 * rules) and the engines that evaluate them: the access decision per caller and product, the rule
 * that no filter, sort or grouping may reveal what the caller reads masked, the masks, the access
 * context the gateway signs, governance rules and contract compatibility.
 */

export type { FieldMask, Principal, ProductDecision, RowPredicate, RowValue } from './access/Decision.js';
export { evaluateAccess, resolveRows } from './access/evaluateAccess.js';
export { checkPolicies, describeProblems, loadPolicies } from './access/loadPolicies.js';
export { policySchema, type AccessRule, type PolicyFile, type RowFilterSpec } from './access/policySchema.js';
export { classifiedParts, MASKS, MASK_NAMES, maskMisfit, readParts, type ClassifiedPart, type MaskName, type ReadParts } from './masks/masks.js';
export { ACCESS_CONTEXT_HEADER, catalogView, contextKey, grantOf, signAccessContext, verifyAccessContext, type AccessContext, type ProductGrant } from './context/accessContext.js';
export {
  contextVisibility,
  decisionVisibility,
  grantVisibility,
  measureRefusal,
  revealingRefusal,
  type ColumnVisibility,
  type MeasureColumn,
  type RevealingUse,
} from './access/revealingUse.js';
export { policyJsonSchema } from './access/policyJsonSchema.js';
export type { Finding, Severity } from './governance/Finding.js';
