/** How a configuration message shows a value (never a secret's) and suggests the key meant. */
import { SECRET_VARS, type EnvName } from './envSchema.js';
import { FILE_KEYS } from './fileKeys.js';

/** Whether a variable holds a secret. */
export const isSecret = (env: string | undefined): boolean => SECRET_VARS.includes(env as EnvName);

/** A bad value as a message shows it: as written, or only its length for a secret. */
export function describeValue(env: string | undefined, value: unknown): string {
  if (isSecret(env) && value !== undefined) return `a secret of ${String(value).length} characters, not shown`;
  return value === undefined ? 'nothing' : JSON.stringify(value);
}

/** The edit distance between two keys, a swap of neighbours counting one (optimal string alignment; the keys are short). */
function distance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++) {
      const row = d[i]!;
      row[j] = Math.min(d[i - 1]![j]! + 1, row[j - 1]! + 1, d[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) row[j] = Math.min(row[j]!, d[i - 2]![j - 2]! + 1);
    }
  return d[a.length]![b.length]!;
}

/**
 * ` (did you mean "x"?)` for an unknown key: the key allowed where it stands in other case, else
 * the keys of that name elsewhere in the file (`port` at the top: `gateway.port`), else the
 * nearest allowed key (a typo).
 */
export function didYouMean(key: string, path: readonly PropertyKey[], allowed: readonly string[]): string {
  const full = (k: string): string => [...path, k].join('.');
  const sameCase = allowed.find((k) => k.toLowerCase() === key.toLowerCase());
  if (sameCase) return ` (did you mean "${full(sameCase)}"?)`;
  const elsewhere = FILE_KEYS.map((fk) => fk.key).filter((k) => k.split('.').at(-1) === key);
  if (elsewhere.length > 0) return ` (did you mean ${elsewhere.map((k) => `"${k}"`).join(' or ')}?)`;
  const near = allowed
    .map((k) => ({ k, d: distance(k, key) }))
    .filter((x) => x.d <= (key.length <= 4 ? 1 : 2))
    .sort((a, b) => a.d - b.d)[0];
  if (near) return ` (did you mean "${full(near.k)}"?)`;
  const variable = FILE_KEYS.find((fk) => fk.env === key);
  return variable ? ` (the file spells ${key} as "${variable.key}")` : `; allowed here: ${allowed.join(', ')}`;
}
