/**
 * policies/: federated computational governance: the policy files (access, masking, governance
 * rules) and the engines that evaluate them. Access policies and masking arrive with the access
 * control issue; the runtime already carries a row-filter hook (ProductRuntime.rowFilter) and the
 * gateway a per-request principal for them.
 */
export {};
