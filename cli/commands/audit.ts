/**
 * `meshgate audit query|usage|verify`: the stewards' view of the access log, its reads counted per
 * product or field, and the check of its hash chain. Entries are read from the chain itself (the
 * compacted Parquet's exact lines and the recent segments), then shown as rows of `access-log-v2`,
 * the list facts as lists (toV2, which the compaction's SQL is tested against).
 */
import { DEFAULT_CHAIN, FACT_KEYS, eventId, maskedColumn, toV2, type AccessEventV2 } from '../../schema/index.js';
import { describeOrigin, readAccessLogChains, verifyAccessLog, type AccessLogRead, type Verdict } from '../../subgraphs/governance/readAccessLog.js';
import { readConfig } from '../config.js';
import { cut, show, textTable } from '../textTable.js';
import { type Command, parseOptions, positiveInt, UsageError } from '../Command.js';

const help = `Usage: meshgate audit query [filters] [--limit N] [--format table|json|csv]
       meshgate audit usage [filters] [--by product|field|pii-field|role] [--format table|json|csv]
       meshgate audit verify

query   prints the access-log entries that match every filter given, oldest first, as rows of the
        access-log-v2 product (roles, products, fields read, masks, ... as lists):
  --since T, --until T   a date (2026-11-01; --until includes that whole day), a date and time
                         (2026-11-01T12:00:00Z; UTC unless a zone is given), or a time ago (30m, 24h, 7d)
  --subject S            the token subject (sub), exactly
  --role R               one of the caller's roles (an element of roles)
  --product P            a product read (an element of products, e.g. customer-profiles)
  --field F              a column read (an element of fields_read): product.column or column
                         (e.g. customer-profiles.email, email)
  --pii-only             only entries that read PII unmasked (pii_unmasked is not empty)
  --decision D           allow, mask, deny, unauthenticated or invalid (comma-separated for several)
  --purpose P            the declared purpose of use
  --client C             the client name (apollographql-client-name)
  --status S             ok, partial, error, timeout, or an HTTP status such as 503 (comma-separated)
  --limit N              only the N most recent matching entries
  --format F             table (the default, for people), json (an array of the full rows, lists
                         as arrays) or csv (RFC 4180, every field, a header line; a list as a JSON
                         array, such as ["customer-profiles","payments"])
  The filters run in memory over the whole log (compacted Parquet and recent segments): fine for
  the sample mesh and for audits of months; query the access-log-v2 product through the graph
  (accessLogV2, accessLogV2Aggregate) for more.

usage   counts the entries that match the filters (those of query) per element of a list:
  --by product           per product read (the default)
  --by field             per column read (product.column)
  --by pii-field         per PII column read, masked or not (pii_fields_read), with how often it
                         was read masked and unmasked
  --by role              per role of the caller
  Each line: reads (entries naming it), answered (allowed or masked, ending with data), refused
  (denied), subjects (distinct callers); most read first. An entry reading two products counts
  once for each.

verify  recomputes each hash chain (one per gateway replica, MESHGATE_INSTANCE; a single gateway
        writes one, "default") from the genesis hash over every entry, compacted or not; prints
        "access log verified: N entries, chain intact up to <event id>" per chain and exits 0, or
        prints each broken chain's first bad entry (chain, position, event id, file, and whether it
        was edited, removed, reordered or cannot be read) and exits 1. An entry cut off the END of
        a chain leaves no gap to find: compare the count with what you expect.

Both:
  --data-dir DIR         the data root (default MESHGATE_DATA_DIR, ./data); compacted entries are
                         under DIR/governance/access-log
  --log-dir DIR          the gateways' segments, every chain (default MESHGATE_ACCESS_LOG_DIR, or
                         DIR/governance/access-log-raw)

Examples:
  meshgate audit query --since 7d --pii-only
  meshgate audit usage --since 30d --by pii-field
  meshgate audit query --field customer-profiles.email --decision allow,mask --format csv > email-reads.csv
  meshgate audit verify`;

const DIRS = { 'data-dir': { type: 'string' }, 'log-dir': { type: 'string' } } as const;
const FILTERS = {
  ...DIRS,
  since: { type: 'string' },
  until: { type: 'string' },
  subject: { type: 'string' },
  role: { type: 'string' },
  product: { type: 'string' },
  field: { type: 'string' },
  'pii-only': { type: 'boolean' },
  decision: { type: 'string' },
  purpose: { type: 'string' },
  client: { type: 'string' },
  status: { type: 'string' },
  limit: { type: 'string' },
  format: { type: 'string' },
} as const;
const USAGE = { ...FILTERS, by: { type: 'string' } } as const;
const DECISIONS = ['allow', 'mask', 'deny', 'unauthenticated', 'invalid'];
const STATUSES = ['ok', 'partial', 'error', 'timeout'];
const FORMATS = ['table', 'json', 'csv'];
/** What `usage --by` counts per element of: the list each entry names them in. */
const GROUPINGS = { product: 'products', field: 'fields_read', 'pii-field': 'pii_fields_read', role: 'roles' } as const;
type Grouping = keyof typeof GROUPINGS;
const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;
/** Every field of a row, in the entry's canonical order (the PII columns read after pii_unmasked): the CSV columns. */
const FIELDS: readonly (keyof AccessEventV2)[] = [
  'seq',
  'event_id',
  'prev_hash',
  ...FACT_KEYS.flatMap((k) => (k === 'pii_unmasked' ? [k, 'pii_fields_read' as const] : [k])),
  'hash',
];

type Filter = (e: AccessEventV2) => boolean;

/** A time bound in epoch ms; a bare date as `--until` means the end of that day. */
function parseTime(name: string, raw: string, now: number, endOfDay: boolean): number {
  const ago = /^(\d+)\s*([mhdw])$/.exec(raw.trim());
  if (ago) return now - Number(ago[1]) * UNIT_MS[ago[2] as keyof typeof UNIT_MS];
  if (/^\d{4}-\d{2}-\d{2}$/.test(raw)) {
    const t = Date.parse(`${raw}T00:00:00Z`);
    if (!Number.isNaN(t)) return endOfDay ? t + UNIT_MS.d - 1 : t;
  }
  const m = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?)(Z|[+-]\d{2}:?\d{2})?$/i.exec(raw);
  const t = m ? Date.parse(`${m[1]}T${m[2]}${m[3] ?? 'Z'}`) : Number.NaN;
  if (Number.isNaN(t)) throw new UsageError(`--${name} expects a date (2026-11-01), a date and time (2026-11-01T12:00:00Z) or a time ago (24h, 7d), got "${raw}"`);
  return t;
}

function oneOf(name: string, raw: string, allowed: readonly string[], extra?: RegExp): string[] {
  const values = raw.split(',').map((v) => v.trim().toLowerCase());
  const bad = values.find((v) => !allowed.includes(v) && !extra?.test(v));
  if (bad !== undefined) throw new UsageError(`--${name} expects ${allowed.join(', ')}${extra ? ' or an HTTP status' : ''}, got "${raw}"`);
  return values;
}

/** Builds one predicate per filter given. */
function filtersFor(values: QueryValues, now: number): Filter[] {
  const f: Filter[] = [];
  const { since, until, subject, role, product, field, decision, purpose, client, status } = values;
  if (since !== undefined) {
    const t = parseTime('since', since, now, false);
    f.push((e) => Date.parse(e.time) >= t);
  }
  if (until !== undefined) {
    const t = parseTime('until', until, now, true);
    f.push((e) => Date.parse(e.time) <= t);
  }
  if (subject !== undefined) f.push((e) => e.subject === subject);
  if (role !== undefined) f.push((e) => e.roles.includes(role));
  if (product !== undefined) f.push((e) => e.products.includes(product));
  if (field !== undefined) {
    // A GraphQL field name (camelCase) is accepted for its column.
    const column = field.includes('.') ? field : field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
    f.push((e) => e.fields_read.some((r) => (column.includes('.') ? r === column : r.endsWith(`.${column}`))));
  }
  if (values['pii-only']) f.push((e) => e.pii_unmasked.length > 0);
  if (decision !== undefined) {
    const wanted = oneOf('decision', decision, DECISIONS);
    f.push((e) => wanted.includes(e.decision));
  }
  if (purpose !== undefined) f.push((e) => e.purpose === purpose);
  if (client !== undefined) f.push((e) => e.client_name === client);
  if (status !== undefined) {
    const wanted = oneOf('status', status, STATUSES, /^\d{3}$/);
    f.push((e) => wanted.includes(e.status) || wanted.includes(String(e.http_status)));
  }
  return f;
}

/** One CSV field (RFC 4180): quoted when it holds a comma, a quote or a line break; a list as its JSON array. */
const csvCell = (value: unknown): string => {
  const text = value === null || value === undefined ? '' : Array.isArray(value) ? JSON.stringify(value) : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
};

function toCsv(head: readonly string[], rows: readonly (readonly unknown[])[]): string {
  return [head.join(','), ...rows.map((r) => r.map(csvCell).join(','))].map((line) => `${line}\r\n`).join('');
}

const entriesCsv = (entries: readonly AccessEventV2[]): string =>
  toCsv(
    FIELDS,
    entries.map((e) => FIELDS.map((k) => e[k])),
  );

function toTable(entries: readonly AccessEventV2[], chains?: readonly string[]): string {
  const head = [...(chains ? ['chain'] : []), 'seq', 'time', 'subject', 'roles', 'purpose', 'decision', 'products', 'masks', 'pii_unmasked', 'status'];
  const rows = entries.map((e, i) => [
    ...(chains ? [chains[i]!] : []),
    String(e.seq),
    `${e.time.slice(0, 19)}Z`,
    cut(show(e.subject), 24),
    cut(show(e.roles.join(',')), 24),
    cut(show(e.purpose), 24),
    e.decision,
    cut(show(e.products.join(',')), 32),
    String(e.masks_applied.length),
    cut(show(e.pii_unmasked.join(',')), 40),
    `${e.status} ${e.http_status}${e.error_code ? ` ${e.error_code}` : ''}`,
  ]);
  return textTable(head, rows);
}

function parseQuery<T extends typeof FILTERS | typeof USAGE>(args: readonly string[], options: T) {
  const { values, positionals } = parseOptions(args, options);
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  return values;
}
type QueryValues = ReturnType<typeof parseQuery<typeof FILTERS>>;

function dirs(values: { 'data-dir'?: string | undefined; 'log-dir'?: string | undefined }): { dataRoot: string; logDir: string } {
  const config = readConfig({ ...process.env, ...(values['data-dir'] && { MESHGATE_DATA_DIR: values['data-dir'] }) });
  return { dataRoot: config.MESHGATE_DATA_DIR, logDir: values['log-dir'] ?? config.accessLogDir };
}

function reportProblems(reads: readonly AccessLogRead[]): void {
  for (const read of reads) {
    const chain = reads.length > 1 ? ` (chain "${read.chain}")` : '';
    for (const w of read.warnings) process.stderr.write(`note: ${w}\n`);
    if (read.problems.length > 0)
      process.stderr.write(`warning: ${read.problems.length} problem(s) in the log${chain}, first: ${read.problems[0]}; run \`meshgate audit verify\`\n`);
  }
}

/** Every chain's entries in one list as v2 rows, by time (each chain's own order kept among equal times). */
function merged(reads: readonly AccessLogRead[]): { entry: AccessEventV2; chain: string }[] {
  const all = reads.flatMap((r) => r.entries.map((entry) => ({ entry: toV2(entry), chain: r.chain })));
  return all.sort((a, b) => Date.parse(a.entry.time) - Date.parse(b.entry.time));
}

const formatOf = (raw: string | undefined): string => {
  const format = raw ?? 'table';
  if (!FORMATS.includes(format)) throw new UsageError(`--format expects table, json or csv, got "${format}"`);
  return format;
};

async function query(args: readonly string[]): Promise<number> {
  const values = parseQuery(args, FILTERS);
  const format = formatOf(values.format);
  const limit = positiveInt('limit', values.limit, Number.POSITIVE_INFINITY);
  const filters = filtersFor(values, Date.now());
  const reads = await readAccessLogChains(dirs(values));
  reportProblems(reads);
  const all = merged(reads);
  const matching = all.filter((x) => filters.every((f) => f(x.entry)));
  const picked = matching.slice(Math.max(0, matching.length - limit));
  const shown = picked.map((x) => x.entry);
  // The event id names the chain of every entry not in the default one; the table shows it when there are several.
  const chains = reads.length > 1 ? picked.map((x) => x.chain) : undefined;
  process.stdout.write(format === 'json' ? `${JSON.stringify(shown, null, 2)}\n` : format === 'csv' ? entriesCsv(shown) : toTable(shown, chains));
  process.stderr.write(`${shown.length} of ${all.length} entries${shown.length < matching.length ? ` (${matching.length} match; --limit ${limit})` : ''}\n`);
  return 0;
}

/** One line of `usage`: an element of the grouped list and how the entries naming it went. */
interface UsageLine {
  readonly key: string;
  readonly reads: number;
  readonly answered: number;
  readonly refused: number;
  readonly subjects: number;
  readonly masked?: number;
  readonly unmasked?: number;
}

/** Whether an entry was answered with data: allowed or masked, ending ok or partial (the catalog's usage counts the same). */
const answered = (e: AccessEventV2): boolean => (e.decision === 'allow' || e.decision === 'mask') && (e.status === 'ok' || e.status === 'partial');

/** Counts `entries` per element of the list `by` names, most read first. */
export function countUsage(entries: readonly AccessEventV2[], by: Grouping): UsageLine[] {
  const acc = new Map<string, { reads: number; answered: number; refused: number; subjects: Set<string>; masked: number; unmasked: number }>();
  for (const e of entries) {
    const masked = new Set(e.masks_applied.map(maskedColumn));
    for (const key of new Set(e[GROUPINGS[by]])) {
      let a = acc.get(key);
      if (!a) acc.set(key, (a = { reads: 0, answered: 0, refused: 0, subjects: new Set(), masked: 0, unmasked: 0 }));
      a.reads++;
      if (answered(e)) a.answered++;
      if (e.decision === 'deny') a.refused++;
      if (e.subject !== null) a.subjects.add(e.subject);
      if (masked.has(key)) a.masked++;
      if (e.pii_unmasked.includes(key)) a.unmasked++;
    }
  }
  return [...acc]
    .map(([key, a]) => ({
      key,
      reads: a.reads,
      answered: a.answered,
      refused: a.refused,
      subjects: a.subjects.size,
      ...(by === 'pii-field' && { masked: a.masked, unmasked: a.unmasked }),
    }))
    .sort((x, y) => y.reads - x.reads || (x.key < y.key ? -1 : x.key > y.key ? 1 : 0));
}

async function usage(args: readonly string[]): Promise<number> {
  const values = parseQuery(args, USAGE);
  const format = formatOf(values.format);
  const by = values.by ?? 'product';
  if (!(by in GROUPINGS)) throw new UsageError(`--by expects ${Object.keys(GROUPINGS).join(', ')}, got "${by}"`);
  if (values.limit !== undefined) throw new UsageError('--limit is for `audit query`; `audit usage` counts every matching entry');
  const filters = filtersFor(values, Date.now());
  const reads = await readAccessLogChains(dirs(values));
  reportProblems(reads);
  const all = merged(reads).map((x) => x.entry);
  const matching = all.filter((e) => filters.every((f) => f(e)));
  const lines = countUsage(matching, by as Grouping);
  // The key's column is named after what it counts: product, field, pii_field or role.
  const keyName = by.replace('-', '_');
  const columns = ['reads', 'answered', 'refused', 'subjects', ...(by === 'pii-field' ? ['masked', 'unmasked'] : [])] as const;
  const cells = (l: UsageLine): (string | number)[] => [l.key, ...columns.map((c) => l[c as keyof UsageLine] as number)];
  if (format === 'json')
    process.stdout.write(
      `${JSON.stringify(
        lines.map(({ key, ...counts }) => ({ [keyName]: key, ...counts })),
        null,
        2,
      )}\n`,
    );
  else if (format === 'csv') process.stdout.write(toCsv([keyName, ...columns], lines.map(cells)));
  else
    process.stdout.write(
      textTable(
        [keyName, ...columns],
        lines.map((l) => cells(l).map(String)),
      ),
    );
  process.stderr.write(`${lines.length} ${by === 'pii-field' ? 'PII field' : by}(s) in ${matching.length} of ${all.length} entries\n`);
  return 0;
}

async function verify(args: readonly string[]): Promise<number> {
  const { values, positionals } = parseOptions(args, DIRS);
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  const reads = await readAccessLogChains(dirs(values));
  // A single gateway's log reads as it always has; with replicas, each chain names itself.
  const several = reads.length > 1 || reads[0]?.chain !== DEFAULT_CHAIN;
  let broken = 0;
  for (const read of reads) {
    for (const w of read.warnings) process.stderr.write(`note: ${w}\n`);
    const v = verifyAccessLog(read);
    const label = several ? `access log chain "${read.chain}"` : 'access log';
    if (!v.ok) broken++;
    process.stdout.write(
      v.ok ? `${label} verified: ${v.count} entries, chain intact up to ${v.lastEventId ?? 'the genesis hash (the log is empty)'}\n` : describeBreak(label, read.chain, v),
    );
  }
  if (several) process.stdout.write(`${reads.length} chain(s): ${broken === 0 ? 'all intact' : `${broken} BROKEN`}\n`);
  return broken === 0 ? 0 : 1;
}

/** A broken chain's report: where, what, and how much before it still verifies. */
function describeBreak(label: string, chain: string, v: Extract<Verdict, { ok: false }>): string {
  const found = v.found ? `${v.found.event_id} (seq ${v.found.seq})` : 'nothing readable';
  const what: Record<typeof v.kind, string> = {
    edited: `entry ${v.expected} was edited`,
    removed: `entry ${v.expected} is missing (removed): ${found} comes where it belongs`,
    reordered: `entry ${v.expected} is out of place (reordered): ${found} comes where it belongs`,
    duplicated: `${found} appears a second time (duplicated) where ${v.expected} belongs`,
    unparsable: `the entry at position ${v.position} (${v.expected}) cannot be read (unparsable)`,
  };
  return (
    [
      `${label} BROKEN at position ${v.position} (${v.expected}): ${v.kind}`,
      `  what:  ${what[v.kind]}`,
      `  where: ${describeOrigin(v.origin)}`,
      `  found: ${found}`,
      `  why:   ${v.reason}`,
      `The ${v.position - 1} entries before it verify (up to ${v.position > 1 ? eventId(v.position - 1, chain) : 'the genesis hash'}).`,
    ].join('\n') + '\n'
  );
}

/** The `audit` command. */
export const command: Command = {
  help,
  async run(args) {
    const [sub, ...rest] = args;
    if (sub === 'query') return query(rest);
    if (sub === 'usage') return usage(rest);
    if (sub === 'verify') return verify(rest);
    throw new UsageError(sub ? `unknown audit command "${sub}": expected query, usage or verify` : 'expected query, usage or verify');
  },
};
