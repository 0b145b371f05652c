/**
 * The quality gate's anomaly checks: a new version's profile against the served version's, by the
 * thresholds the descriptor declares (`gate:`), each to warn or to block. With nothing served yet,
 * or nothing declared, nothing is compared. Ranges compare as text only between values of one
 * type, which sorts right for the ISO dates and timestamps DuckDB prints; numbers compare as numbers.
 */
import type { GateFinding, GateThresholds, Profile } from '../../../../schema/index.js';

const pct = (x: number): string => `${Math.round(x * 1000) / 10}%`;

/** Compares `next` with `served` under `gate`. */
export function compareProfiles(next: Profile, served: Profile | undefined, gate: GateThresholds): GateFinding[] {
  if (!served) return [];
  const out: GateFinding[] = [];
  const severity = (action: 'warn' | 'block'): GateFinding['severity'] => (action === 'block' ? 'violation' : 'warning');
  if (gate.rows && served.rows > 0) {
    const change = Math.abs(next.rows - served.rows) / served.rows;
    if (change > gate.rows.change) {
      out.push({
        check: 'anomaly-rows',
        severity: severity(gate.rows.action),
        message: `the row count changed by ${pct(change)} (${served.rows} → ${next.rows}), more than the ${pct(gate.rows.change)} its gate allows`,
      });
    }
  }
  const before = new Map(served.columns.map((c) => [c.column, c]));
  for (const c of next.columns) {
    const b = before.get(c.column);
    if (!b) continue;
    if (gate.nulls && c.nullShare - b.nullShare > gate.nulls.increase) {
      out.push({
        check: 'anomaly-nulls',
        severity: severity(gate.nulls.action),
        field: c.column,
        message: `${c.column}: its null share rose from ${pct(b.nullShare)} to ${pct(c.nullShare)}, more than the ${pct(gate.nulls.increase)} its gate allows`,
      });
    }
    if (gate.distinct && b.distinct > 0) {
      const change = Math.abs(c.distinct - b.distinct) / b.distinct;
      if (change > gate.distinct.change) {
        out.push({
          check: 'anomaly-distinct',
          severity: severity(gate.distinct.action),
          field: c.column,
          message: `${c.column}: its distinct values changed by ${pct(change)} (${b.distinct} → ${c.distinct}), more than the ${pct(gate.distinct.change)} its gate allows`,
        });
      }
    }
    if (gate.range && c.min != null && c.max != null && b.min != null && b.max != null && (less(c.min, b.min) || less(b.max, c.max))) {
      out.push({
        check: 'anomaly-range',
        severity: severity(gate.range.action),
        field: c.column,
        message: `${c.column}: its values now span ${c.min} to ${c.max}, outside the served version's ${b.min} to ${b.max}`,
      });
    }
  }
  return out;
}

/** Whether `a` sorts before `b`: as numbers when both are numbers, else as text. */
function less(a: string, b: string): boolean {
  const [x, y] = [Number(a), Number(b)];
  return Number.isFinite(x) && Number.isFinite(y) && a.trim() !== '' && b.trim() !== '' ? x < y : a < b;
}
