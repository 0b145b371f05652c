/** What a contract test reports: one result per check, and a finding (policies/governance) for each that fails. */
import type { DataProduct } from '../../../schema/index.js';
import type { Finding, Severity } from '../../../policies/index.js';

/** The kinds of contract test, as result `test` and finding `rule`. */
export type ContractTestName =
  'data-present' | 'data-readable' | 'field-present' | 'field-type' | 'not-null' | 'key-unique' | 'reference-integrity' | 'freshness' | 'completeness' | 'quality';

/** One check of a product's output against its contract. */
export interface ContractTestResult {
  readonly product: string;
  readonly test: ContractTestName;
  readonly field?: string;
  /** What the contract promises, e.g. `0 nulls`, `≤ 1h`. */
  readonly expected: string;
  /** What the data shows, e.g. `12 nulls`, `3h 2m`. */
  readonly actual: string;
  readonly pass: boolean;
  /** Why it failed and how to fix it (a `warning` when the test could not run). */
  readonly finding?: Finding;
}

/** What goes wrong, for a result that did not pass. */
export interface Failure {
  readonly message: string;
  readonly fix: string;
  readonly file?: string;
  readonly severity?: Severity;
}

/** Builds a result; a failure becomes its finding. */
export function result(
  product: DataProduct,
  test: ContractTestName,
  outcome: { readonly field?: string; readonly expected: string; readonly actual: string; readonly failure?: Failure },
): ContractTestResult {
  const { field, expected, actual, failure } = outcome;
  const base = { product: product.name, test, ...(field !== undefined && { field }), expected, actual };
  if (!failure) return { ...base, pass: true };
  const finding: Finding = {
    rule: test,
    severity: failure.severity ?? 'violation',
    product: product.name,
    ...(field !== undefined && { field }),
    ...(failure.file !== undefined && { file: failure.file }),
    message: failure.message,
    fix: failure.fix,
  };
  return { ...base, pass: false, finding };
}

/** Writes a count with its noun, `1 null`, `12 nulls`, with thousands separators. */
export function count(n: number, noun: string, plural = `${noun}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? noun : plural}`;
}
