/**
 * The customers domain's sample generator, playing its CRM: the accounts (the state later domains
 * read), and the CRM's account exports as CSV in the `crm-accounts` landing folder: a full export a
 * week before `now`, then an export of the accounts created or changed since. About 4% of the
 * accounts changed after the full export, so the full export holds an older version of them; the
 * exports also write some emails in capitals or with spaces around them, and consent as Y/N. The
 * customers' transform (transforms/customer-profiles.sql) makes the product from these exports.
 * Every value is a function of the row number, the seed and the column name (`hash(i, seed,
 * column)`), so the files are the same, byte for byte, whatever the thread count.
 */
import path from 'node:path';
import { copyAtomically, createState, draw, isoTimestamp, quoteIdent, quoteLiteral, unit, weighted, type SampleGenerator, type SampleOptions } from '../runtime/sampleData.js';
import { COUNTRIES, EMAIL_DOMAINS, FIRST_NAMES, LAST_NAMES } from './sampleNames.js';

const CUSTOMERS_PER_SCALE = 10_000;
const KEY_WIDTH = 7;
const DAY_US = 86_400_000_000n;
const THREE_YEARS_US = 3n * 365n * DAY_US;
/** The full export is a week old; accounts changed since appear again in the later export. */
const FULL_EXPORT_AGE_US = 7n * DAY_US;
const CHANGED_SHARE = 0.04;
/** The bound instants, as BIGINT microseconds (a bound bigint is a HUGEINT otherwise). */
const NOW = 'CAST($now_us AS BIGINT)';
const EXPORTED = 'CAST($export_us AS BIGINT)';
const BIRTH_FROM = '1940-01-01';
const BIRTH_DAYS = (Date.UTC(2008, 0, 1) - Date.UTC(1940, 0, 1)) / 86_400_000;

/** One of `values`, uniformly, or skewed towards the first ones when `skew` > 1. */
function pick(column: string, values: readonly string[], skew = 1): string {
  const index = skew === 1 ? `CAST(${draw(column)} % ${values.length} AS BIGINT)` : `CAST(floor(power(${unit(column)}, ${skew}) * ${values.length}) AS BIGINT)`;
  return `[${values.map(quoteLiteral).join(', ')}][1 + ${index}]`;
}

/** A name folded to lower-case ASCII letters, for the email's local part. */
function asciiLower(expr: string): string {
  const folds = [
    ['ł', 'l'],
    ['ø', 'o'],
    ['ß', 'ss'],
    ['æ', 'ae'],
    ['ı', 'i'],
    ['đ', 'd'],
  ];
  const folded = folds.reduce((e, [from, to]) => `replace(${e}, '${from}', '${to}')`, `strip_accents(lower(${expr}))`);
  return `regexp_replace(${folded}, '[^a-z]', '', 'g')`;
}

/** The SELECT of every account as the CRM holds it now (and, for a changed one, as it was before), in key order. */
function accountsSql(): string {
  const byCountry = (arm: (c: (typeof COUNTRIES)[number]) => string) => `CASE country ${COUNTRIES.map((c) => `WHEN '${c[0]}' THEN ${arm(c)}`).join(' ')} END`;
  const phone = byCountry(([, , prefix, digits]) => `${prefix} || lpad(CAST(${draw('phone')} % ${10 ** digits} AS VARCHAR), ${digits}, '0')`);
  const city = byCountry(([, , , , cities]) => pick('city', cities, 1.6));
  const age = `(${draw('birth_a')} % ${BIRTH_DAYS} + ${draw('birth_b')} % ${BIRTH_DAYS}) // 2`;
  const local = `${asciiLower('first_name')} || '.' || ${asciiLower('last_name')} || CAST(i + 1 AS VARCHAR)`;
  const between = (column: string, from: string, to: string) => `${from} + CAST(floor(${unit(column)} * (${to} - ${from})) AS BIGINT)`;
  return `
    WITH base AS (
      SELECT i,
        ${pick('first_name', FIRST_NAMES)} AS first_name,
        ${pick('last_name', LAST_NAMES)} AS last_name,
        ${weighted(
          'country',
          COUNTRIES.map(([code, w]) => [code, w] as const),
        )} AS country,
        ${weighted('segment', [
          ['consumer', 82],
          ['business', 14],
          ['vip', 4],
        ])} AS segment
      FROM range(CAST($rows AS BIGINT)) t(i)
    ),
    accounts AS (
      SELECT i, first_name, last_name, country, segment,
        CAST('C' || lpad(CAST(i + 1 AS VARCHAR), CAST($width AS INTEGER), '0') AS VARCHAR) AS customer_id,
        ${local} AS email_local,
        ${weighted('email_domain', EMAIL_DOMAINS)} AS email_domain,
        CASE WHEN ${unit('phone_null')} < 0.05 THEN NULL ELSE ${phone} END AS phone,
        CASE WHEN ${unit('birth_null')} < 0.03 THEN NULL ELSE DATE '${BIRTH_FROM}' + CAST(${age} AS INTEGER) END AS birth_date,
        ${city} AS city,
        ${NOW} - CAST(floor(power(${unit('signup_at')}, 1.3) * $span_us) AS BIGINT) AS signup_us,
        CASE WHEN ${unit('ltv_zero')} < 0.08 THEN 0
          ELSE round((CASE segment WHEN 'vip' THEN 6 WHEN 'business' THEN 2.5 ELSE 1 END)
            * (20 + power(${unit('ltv')}, 3) * 4000), 2) END AS lifetime_value,
        ${unit('marketing_opt_in')} < 0.42 AS marketing_opt_in,
        ${unit('changed')} < ${CHANGED_SHARE} AS maybe_changed
      FROM base
    )
    SELECT i, customer_id, first_name, last_name, email_local || '@' || email_domain AS email, phone, birth_date, country, city,
      segment, signup_us, CAST(lifetime_value AS DOUBLE) AS lifetime_value, marketing_opt_in,
      changed,
      CASE WHEN changed THEN ${between('updated_at', EXPORTED, NOW)}
        WHEN signup_us < ${EXPORTED} THEN ${between('updated_at', 'signup_us', EXPORTED)}
        ELSE ${between('updated_at', 'signup_us', NOW)} END AS updated_us,
      -- A changed account's version in the full export: another address, consumer, less spent, the other consent.
      CASE WHEN changed THEN email_local || '@' || ${weighted('email_domain_before', EMAIL_DOMAINS)} END AS email_before,
      CASE WHEN changed THEN CAST(round(lifetime_value * 0.7, 2) AS DOUBLE) END AS lifetime_value_before,
      CASE WHEN changed THEN ${between('updated_before', 'signup_us', EXPORTED)} END AS updated_before_us
    FROM (SELECT *, maybe_changed AND signup_us < ${EXPORTED} AS changed FROM accounts)
    ORDER BY i`;
}

/** The same address as a CRM user typed it: now and then in capitals, capitalised, or with spaces around it. */
function typedEmail(column: string, address: string): string {
  const email = `(${address})`;
  return `CASE ${draw(column)} % 20 WHEN 0 THEN upper(${email}) WHEN 1 THEN upper(${email}[1]) || ${email}[2:]
    WHEN 2 THEN '  ' || ${email} WHEN 3 THEN ${email} || ' ' ELSE ${email} END`;
}

/** One export's rows, in key order: the full export holds the older version of an account changed since. */
function exportSql(table: string, which: 'full' | 'changes'): string {
  const old = which === 'full';
  const v = (now: string, before: string) => (old ? `CASE WHEN changed THEN ${before} ELSE ${now} END` : now);
  return `
    SELECT customer_id, first_name, last_name, ${typedEmail(old ? 'email_typed_before' : 'email_typed', v('email', 'email_before'))} AS email,
      phone, birth_date, country, city, ${v('segment', "'consumer'")} AS segment, ${isoTimestamp('signup_us')} AS signup_at,
      ${v('lifetime_value', 'lifetime_value_before')} AS lifetime_value,
      CASE WHEN ${v('marketing_opt_in', 'NOT marketing_opt_in')} THEN 'Y' ELSE 'N' END AS marketing_opt_in,
      ${isoTimestamp(v('updated_us', 'updated_before_us'))} AS updated_at
    FROM ${quoteIdent(table)}
    WHERE ${old ? `signup_us < ${EXPORTED}` : `changed OR signup_us >= ${EXPORTED}`}
    ORDER BY i`;
}

/** The statements' bound values. */
function values(options: SampleOptions) {
  const rows = Math.max(1, Math.round(options.scale * CUSTOMERS_PER_SCALE));
  const nowUs = BigInt(options.now.getTime()) * 1000n;
  return {
    rows: BigInt(rows),
    seed: BigInt(options.seed),
    width: Math.max(KEY_WIDTH, String(rows).length),
    now_us: nowUs,
    span_us: THREE_YEARS_US,
    export_us: nowUs - FULL_EXPORT_AGE_US,
  };
}

const day = (us: bigint): string => new Date(Number(us / 1000n)).toISOString().slice(0, 10);

/** The CRM: scale 1 is 10,000 accounts, signed up in the three years before `now`; it reads no other domain. */
export const generator: SampleGenerator = {
  sources: ['crm-accounts'],
  reads: [],
  state: (connection, options) => createState(connection, options.table, accountsSql(), values(options)),
  async write(connection, options) {
    const v = values(options);
    const dir = options.landing['crm-accounts']!;
    const files = [path.join(dir, `accounts-${day(v.export_us)}-full.csv`), path.join(dir, `accounts-${day(v.now_us)}-changes.csv`)];
    const bound = { seed: v.seed, export_us: v.export_us };
    const full = await copyAtomically(connection, exportSql(options.table, 'full'), bound, files[0]!, 'csv');
    const changes = await copyAtomically(connection, exportSql(options.table, 'changes'), bound, files[1]!, 'csv');
    return { files, records: full + changes, summary: `${full.toLocaleString('en-US')} accounts in the full export, ${changes.toLocaleString('en-US')} in the later one` };
  },
};
