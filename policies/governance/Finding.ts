/**
 * One governance finding: what `meshgate check` and `meshgate test-contracts` report. Every
 * finding names the product, the field where there is one, the rule, what is wrong and how to
 * fix it, so a domain team can act on it without asking anyone.
 */

/** How bad a finding is: a violation fails the check (exit 1); a warning is reported only. */
export type Severity = 'violation' | 'warning';

/** One finding. */
export interface Finding {
  /** The rule's id, e.g. `product-has-owner`, `backward-compatible`, `key-unique`. */
  readonly rule: string;
  readonly severity: Severity;
  /** The product's descriptor name (or `mesh` for mesh-wide findings). */
  readonly product: string;
  readonly field?: string;
  /** The file the finding is about, relative to the repository where possible. */
  readonly file?: string;
  readonly message: string;
  /** How to fix it, in one sentence. */
  readonly fix: string;
}
