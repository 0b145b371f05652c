/** How governance messages write durations and shares, alike in `meshgate check` and `meshgate test-contracts`. */

const UNITS: readonly (readonly [string, number])[] = [
  ['d', 86_400_000],
  ['h', 3_600_000],
  ['m', 60_000],
  ['s', 1_000],
];

/** Writes a duration as its two largest units (`3h 2m`, `45s`); days only from two days up, so `24h` stays `24h`. */
export function formatDuration(ms: number): string {
  let rest = Math.max(0, Math.round(ms / 1_000) * 1_000);
  const parts: string[] = [];
  for (const [unit, size] of UNITS) {
    if (unit === 'd' && rest < 2 * size) continue;
    const n = Math.floor(rest / size);
    rest -= n * size;
    if (n > 0 || parts.length > 0) parts.push(`${n}${unit}`);
  }
  const shown = parts.slice(0, 2).filter((p, i) => i === 0 || !p.startsWith('0'));
  return shown.length ? shown.join(' ') : '0s';
}

/** Writes a share (0..1) as a percentage with at most two decimals, rounded down so a shortfall never shows as the target. */
export function formatPercent(share: number): string {
  return `${Math.floor(share * 10_000 + 1e-9) / 100}%`;
}
