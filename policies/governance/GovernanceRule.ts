/**
 * What a governance rule is (graphql-js style): an object with an id, a description and a `check`
 * that reads the context and reports into it. Rules never throw for bad input; they report it.
 */
import type { Classification, DataProduct, DeclarationProblem, Mesh } from '../../schema/index.js';
import type { MaskName } from '../masks/masks.js';
import type { Finding, Severity } from './Finding.js';
import type { GovernanceConfig } from './governanceConfigSchema.js';

/** A declaration problem of the loader with the product (and field) it is about. */
export interface LocatedProblem extends DeclarationProblem {
  /** Which kind of file it is in: a descriptor, a contract, or the access policy (product `mesh`). */
  readonly source: 'descriptor' | 'contract' | 'policy';
  readonly product: string;
  readonly field?: string;
  /** The domain the loader left out of the mesh because of this problem, if any. */
  readonly excludedDomain?: string;
}

/** What a rule reports: a finding whose rule id (and, unless given, severity) the runner fills in. */
export type Report = Omit<Finding, 'rule' | 'severity'> & { readonly severity?: Severity };

/** What a rule sees and where it reports. */
export interface RuleContext {
  /** The loaded mesh (domains left out for a bad declaration are not in it; see `claimed`). */
  readonly mesh: Mesh;
  /** Every product the mesh loaded, and those it refused as far as they could be read (the mesh's `refused`). */
  readonly products: readonly DataProduct[];
  /** A loaded product by descriptor name. */
  product(name: string): DataProduct | undefined;
  /** The mask of each PII classification, from the access policy. */
  readonly masks: Readonly<Partial<Record<Classification, MaskName>>>;
  readonly config: GovernanceConfig;
  /** Today's date (UTC, `YYYY-MM-DD`), for sunset dates. */
  readonly today: string;
  /** The loader's declaration problems routed to this rule (see {@link GovernanceRule.claims}). */
  readonly claimed: readonly LocatedProblem[];
  /** A file path as findings show it: relative to the repository where possible. */
  relative(file: string): string;
  report(finding: Report): void;
}

/** One governance rule. */
export interface GovernanceRule {
  /** Stable kebab-case id, used in findings and in `rules:` of governance.yaml. */
  readonly id: string;
  readonly description: string;
  /** Whether a problem the loader refused a declaration for belongs to this rule (the first enabled rule claiming it gets it). */
  claims?(problem: LocatedProblem): boolean;
  check(ctx: RuleContext): void;
}
