/**
 * Runs the same-data check of a set (sameData.ts) against live targets: request 0 of each row,
 * once, before any load. Throws with every mismatch: a target that answers other data would be
 * measured doing other work.
 */
import type { BenchInputs } from './scenarios.js';
import { isScenario, requestBody } from './scenarios.js';
import type { MeasureSet } from './measure.js';
import { firstDifference, mismatches, type Answer } from './sameData.js';
import type { LiveTarget, TargetId } from './targets.js';

/** What the check compared in one set. */
export interface DataCheck {
  readonly setId: string;
  /** Rows whose answer was compared with another's. */
  readonly compared: number;
  /** Whether the floor's rows were compared with the subgraph's answer. */
  readonly floorCompared: boolean;
}

/** Sends request 0 of every row of `set` and compares the answers' `data`; throws on a failed request or a mismatch. */
export async function checkSameData(set: MeasureSet, targets: ReadonlyMap<TargetId, LiveTarget>, inputs: BenchInputs): Promise<DataCheck> {
  const answers: (Answer & { body: string; caller: string })[] = [];
  const floors: { label: string; data: unknown; body: string }[] = [];
  for (const row of set.rows) {
    const target = targets.get(row.target)!;
    const scenario = row.scenario ?? set.scenario;
    const label = row.label ?? target.label;
    if (target.floor) {
      if (!isScenario(scenario)) continue;
      const rows = await target.floor.rows(scenario, 0);
      floors.push({ label, data: scenario.floorData(rows), body: requestBody(scenario, 'subgraph', 0, inputs) });
      continue;
    }
    const body = requestBody(scenario, target.body, 0, inputs);
    const headers = { 'content-type': 'application/json', ...(await target.headers(row.caller)), ...row.headersOf?.(0) };
    const res = await fetch(target.url(scenario), { method: 'POST', headers, body, signal: AbortSignal.timeout(60_000) });
    const text = await res.text();
    let parsed: { data?: unknown; errors?: unknown } = {};
    try {
      parsed = JSON.parse(text) as typeof parsed;
    } catch {
      // reported below
    }
    if (res.status !== 200 || parsed.errors !== undefined || parsed.data === undefined || parsed.data === null)
      throw new Error(`bench: ${set.title}, ${label}: the check request failed (HTTP ${res.status}): ${text.slice(0, 500)}`);
    answers.push({ label, key: `${row.caller} ${body}`, data: parsed.data, body, caller: row.caller });
  }
  const problems = mismatches(answers);
  let floorCompared = false;
  for (const f of floors) {
    const ref = answers.find((a) => a.body === f.body && a.caller === 'owner');
    if (!ref) continue;
    floorCompared = true;
    const d = firstDifference(ref.data, f.data, true);
    if (d) problems.push(`${f.label}'s rows are not what ${ref.label} answers: ${d}`);
  }
  if (problems.length) throw new Error(`bench: ${set.title}: the targets do not answer the same data, so they would be measured doing different work:\n  ${problems.join('\n  ')}`);
  const keys = new Map<string, number>();
  for (const a of answers) keys.set(a.key, (keys.get(a.key) ?? 0) + 1);
  return { setId: set.id, compared: [...keys.values()].filter((n) => n > 1).reduce((s, n) => s + n, 0), floorCompared };
}
