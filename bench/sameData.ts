/**
 * The same-data check: before any load, every target of a set is sent the same request once, and
 * the `data` of its answer must equal the others' (as the same caller, for the same operation);
 * the floor's rows, shaped as the subgraph answers them, must equal the direct subgraph's `data`.
 * A target that answers something else would be measured doing other work.
 */

/** A JSON value with every object's keys sorted, so two answers compare whatever their key order. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

const numeric = (v: unknown): number | undefined => (typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v)) ? Number(v) : undefined);
const DATE_LIKE = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?(Z|[+-]\d{2}(:?\d{2})?)?$/;
const instant = (v: unknown): number | undefined => {
  if (typeof v !== 'string' || !DATE_LIKE.test(v)) return undefined;
  // DuckDB prints a timestamp without its zone (UTC here) and with a space; GraphQL's DateTime is ISO 8601.
  const iso = v.replace(' ', 'T');
  const t = Date.parse(/(Z|[+-]\d{2}(:?\d{2})?)$/.test(iso) || iso.length === 10 ? iso : `${iso}Z`);
  return Number.isNaN(t) ? undefined : t;
};

/** Whether two scalars are the same value: strictly, or (`loose`, for the floor's rows) the same number or the same instant spelled differently. */
function sameScalar(a: unknown, b: unknown, loose: boolean): boolean {
  if (a === b) return true;
  if (!loose) return false;
  const [na, nb] = [numeric(a), numeric(b)];
  if (na !== undefined && nb !== undefined) return na === nb;
  const [ta, tb] = [instant(a), instant(b)];
  return ta !== undefined && ta === tb;
}

/** The first place where two answers differ (`data.customer.email: "a" vs "b"`), or undefined when they are the same. */
export function firstDifference(a: unknown, b: unknown, loose = false, at = 'data'): string | undefined {
  const show = (v: unknown): string => (JSON.stringify(v) ?? String(v)).slice(0, 120);
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b)) return `${at}: ${show(a)} vs ${show(b)}`;
    if (a.length !== b.length) return `${at}: ${a.length} items vs ${b.length}`;
    for (let i = 0; i < a.length; i++) {
      const d = firstDifference(a[i], b[i], loose, `${at}[${i}]`);
      if (d) return d;
    }
    return undefined;
  }
  const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object';
  if (isObject(a) || isObject(b)) {
    if (!isObject(a) || !isObject(b)) return `${at}: ${show(a)} vs ${show(b)}`;
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    for (const k of keys) {
      if (!(k in a) || !(k in b)) return `${at}.${k}: ${k in a ? 'present' : 'missing'} vs ${k in b ? 'present' : 'missing'}`;
      const d = firstDifference(a[k], b[k], loose, `${at}.${k}`);
      if (d) return d;
    }
    return undefined;
  }
  return sameScalar(a, b, loose) ? undefined : `${at}: ${show(a)} vs ${show(b)}`;
}

/** One answer of the check: who answered, to which request, and its `data`. */
export interface Answer {
  readonly label: string;
  /** Answers with the same key (caller and request body) must carry the same data. */
  readonly key: string;
  readonly data: unknown;
}

/** Compares the answers of a set, key by key, each with the first of its key; resolves to the mismatches (empty: all the same). */
export function mismatches(answers: readonly Answer[]): string[] {
  const first = new Map<string, Answer>();
  const out: string[] = [];
  for (const a of answers) {
    const ref = first.get(a.key);
    if (!ref) {
      first.set(a.key, a);
      continue;
    }
    const d = firstDifference(ref.data, a.data);
    if (d) out.push(`${a.label} answers other data than ${ref.label}: ${d}`);
  }
  return out;
}
