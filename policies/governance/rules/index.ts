/** Every governance rule of the mesh, one per file; adding a rule is adding a file and a line here. */
import type { GovernanceRule } from '../GovernanceRule.js';
import { DeprecationLifecycleRule } from './DeprecationLifecycleRule.js';
import { DescriptorValidRule } from './DescriptorValidRule.js';
import { FieldNameRule } from './FieldNameRule.js';
import { FieldsClassifiedRule } from './FieldsClassifiedRule.js';
import { FreshnessFieldRule } from './FreshnessFieldRule.js';
import { GraphqlNamesUniqueRule } from './GraphqlNamesUniqueRule.js';
import { GuessesConfirmedRule } from './GuessesConfirmedRule.js';
import { InteroperableFormatRule } from './InteroperableFormatRule.js';
import { KnownPurposesRule } from './KnownPurposesRule.js';
import { PiiHasMaskRule } from './PiiHasMaskRule.js';
import { ProductHasOwnerRule } from './ProductHasOwnerRule.js';
import { ProductNameRule } from './ProductNameRule.js';
import { ReferencesResolveRule } from './ReferencesResolveRule.js';
import { SlaBaselineRule } from './SlaBaselineRule.js';
import { VersionedOutputRule } from './VersionedOutputRule.js';

/** The rules `meshgate check` runs, in report order; DescriptorValidRule comes last, as it claims every problem the others do not. */
export const RULES: readonly GovernanceRule[] = Object.freeze([
  ProductNameRule,
  GraphqlNamesUniqueRule,
  FieldNameRule,
  VersionedOutputRule,
  ProductHasOwnerRule,
  FieldsClassifiedRule,
  PiiHasMaskRule,
  SlaBaselineRule,
  FreshnessFieldRule,
  InteroperableFormatRule,
  DeprecationLifecycleRule,
  KnownPurposesRule,
  ReferencesResolveRule,
  GuessesConfirmedRule,
  DescriptorValidRule,
]);

export {
  DeprecationLifecycleRule,
  DescriptorValidRule,
  FieldNameRule,
  FieldsClassifiedRule,
  FreshnessFieldRule,
  GraphqlNamesUniqueRule,
  GuessesConfirmedRule,
  InteroperableFormatRule,
  KnownPurposesRule,
  PiiHasMaskRule,
  ProductHasOwnerRule,
  ProductNameRule,
  ReferencesResolveRule,
  SlaBaselineRule,
  VersionedOutputRule,
};
