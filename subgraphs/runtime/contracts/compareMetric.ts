/** The ODCS operators of a quality rule (mustBe, mustBeLessThan, ...): read once, then applied to the measured value. */

/** A rule's operators, combined: every one must hold. */
export interface Comparison {
  /** How the promise reads, e.g. `> 0`, `< 5`, `in (10, 20)`. */
  readonly label: string;
  holds(value: number): boolean;
}

type Check = (value: number, x: number) => boolean;
const SIMPLE: Readonly<Record<string, readonly [string, Check]>> = {
  mustBe: ['=', (v, x) => v === x],
  mustNotBe: ['≠', (v, x) => v !== x],
  mustBeGreaterThan: ['>', (v, x) => v > x],
  mustBeGreaterOrEqualTo: ['≥', (v, x) => v >= x],
  mustBeLessThan: ['<', (v, x) => v < x],
  mustBeLessOrEqualTo: ['≤', (v, x) => v <= x],
};
// ODCS: "mustBeBetween is the equivalent to mustBeGreaterThan and mustBeLessThan": the bounds are exclusive.
const RANGES: Readonly<Record<string, readonly [string, (v: number, lo: number, hi: number) => boolean]>> = {
  mustBeBetween: ['in', (v, lo, hi) => lo < v && v < hi],
  mustNotBeBetween: ['not in', (v, lo, hi) => v <= lo || v >= hi],
};

/** The names of the operators a quality rule may use. */
export const OPERATOR_NAMES: readonly string[] = [...Object.keys(SIMPLE), ...Object.keys(RANGES)];

/** Reads a rule's operators; a rule with none, or one whose value is not a number (a pair for ranges), is an error. */
export function readComparison(rule: Readonly<Record<string, unknown>>): Comparison | { readonly error: string } {
  const labels: string[] = [];
  const checks: ((v: number) => boolean)[] = [];
  for (const [name, x] of Object.entries(rule)) {
    const simple = SIMPLE[name];
    const range = RANGES[name];
    if (simple) {
      if (typeof x !== 'number' || !Number.isFinite(x)) return { error: `${name} expects a number, got ${JSON.stringify(x)}` };
      labels.push(`${simple[0]} ${x}`);
      checks.push((v) => simple[1](v, x));
    } else if (range) {
      if (!Array.isArray(x) || x.length !== 2 || !x.every((n) => typeof n === 'number' && Number.isFinite(n)))
        return { error: `${name} expects two numbers such as [0, 100], got ${JSON.stringify(x)}` };
      const [lo, hi] = x as [number, number];
      labels.push(`${range[0]} (${lo}, ${hi})`);
      checks.push((v) => range[1](v, lo, hi));
    }
  }
  if (checks.length === 0) return { error: `no operator: expected one of ${OPERATOR_NAMES.join(', ')}` };
  return { label: labels.join(' and '), holds: (v) => checks.every((c) => c(v)) };
}
