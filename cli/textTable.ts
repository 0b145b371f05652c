/** Plain-text tables for people in a terminal: columns padded to their widest cell, control characters never passed through. */

/** A cell cut to `width` characters with an ellipsis. */
export const cut = (text: string, width: number): string => (text.length > width ? `${text.slice(0, width - 1)}…` : text);

// eslint-disable-next-line no-control-regex -- stripping control characters is the point.
const CONTROL = /[\x00-\x1f\x7f]/g;

/** A value as a cell: `-` for nothing, control characters blanked (a value from data or a log must not drive the terminal). */
export const show = (value: string | number | boolean | null | undefined): string =>
  value === null || value === undefined || value === '' ? '-' : String(value).replace(CONTROL, ' ');

/** The rows under their head, each column as wide as its widest cell, two spaces apart, one line each. */
export function textTable(head: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  return [head, ...rows]
    .map((r) =>
      r
        .map((c, i) => c.padEnd(widths[i]!))
        .join('  ')
        .trimEnd(),
    )
    .map((l) => `${l}\n`)
    .join('');
}
