/**
 * The customers domain's sample-data generator: writes `customer-profiles` (contract
 * schemas/customer-profiles-v1.odcs.yaml) as one Parquet file from one DuckDB statement. Every value
 * is a function of the row number, the seed and the column name (`hash(i, seed, column)`), so the
 * file is the same, byte for byte, whatever the thread count.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { type GenerateOptions, copyAtomically, draw, quoteLiteral, unit, weighted } from '../runtime/sampleData.js';

const CUSTOMERS_PER_SCALE = 10_000;
const KEY_WIDTH = 7;
const THREE_YEARS_US = 3n * 365n * 86_400_000_000n;
const BIRTH_FROM = '1940-01-01';
const BIRTH_DAYS = (Date.UTC(2008, 0, 1) - Date.UTC(1940, 0, 1)) / 86_400_000;

const FIRST_NAMES = [
  'Anna',
  'Lukas',
  'Sophie',
  'Maximilian',
  'Léa',
  'Jules',
  'Emma',
  'Noah',
  'Lucía',
  'Hugo',
  'Giulia',
  'Leonardo',
  'Olivia',
  'Oliver',
  'Saoirse',
  'Seán',
  'Zoë',
  'José',
  'François',
  'Chloé',
  'Björn',
  'Åsa',
  'Søren',
  'Łukasz',
  'Zofia',
  'Małgorzata',
  'Jan',
  'Pieter',
  'Marie',
  'Liam',
  'Ava',
  'Ethan',
  'Mia',
  'Matteo',
  'Alba',
  'Elif',
  'Aisha',
  'Mohammed',
  'Wei',
  'Priya',
  'Amélie',
  'Jürgen',
  'Niamh',
  'Inès',
];
const LAST_NAMES = [
  'Müller',
  'Schmidt',
  'Schneider',
  "O'Brien",
  "O'Connor",
  'Ångström',
  'García',
  'Fernández',
  'Núñez',
  'Rossi',
  'Bianchi',
  "D'Angelo",
  'Dubois',
  'Lefèvre',
  'Martin',
  'de Vries',
  'Jansen',
  'van der Berg',
  'Nowak',
  'Kowalski',
  'Wiśniewska',
  'Lindqvist',
  'Johansson',
  'Gruber',
  'Huber',
  'Peeters',
  'Janssens',
  'Murphy',
  'Kelly',
  'Smith',
  'Jones',
  'Taylor',
  'Johnson',
  'Williams',
  'Brown',
  'Nguyen',
  'Yılmaz',
  'Svensson',
  'Çelik',
  'Østergaard',
];
const EMAIL_DOMAINS: readonly (readonly [string, number])[] = [
  ['example.com', 45],
  ['example.org', 20],
  ['example.net', 20],
  ['mail.example', 10],
  ['post.example', 5],
];

/** Country, weight, phone prefix (an SQL expression), random phone digits, cities (largest first). */
const COUNTRIES: readonly (readonly [string, number, string, number, readonly string[]])[] = [
  ['DE', 20, `'+4917'`, 8, ['Berlin', 'Hamburg', 'München', 'Köln', 'Frankfurt am Main', 'Stuttgart', 'Düsseldorf', 'Leipzig']],
  ['FR', 14, `'+336'`, 8, ['Paris', 'Marseille', 'Lyon', 'Toulouse', 'Nice', 'Nantes', 'Bordeaux', 'Lille']],
  ['GB', 12, `'+447'`, 9, ['London', 'Manchester', 'Birmingham', 'Leeds', 'Glasgow', 'Bristol', 'Edinburgh']],
  ['US', 10, `'+1' || CAST(201 + ${draw('phone_area')} % 780 AS VARCHAR)`, 7, ['New York', 'Los Angeles', 'Chicago', 'Houston', 'Seattle', 'Boston', 'Austin', 'San Francisco']],
  ['ES', 9, `'+346'`, 8, ['Madrid', 'Barcelona', 'Valencia', 'Sevilla', 'Zaragoza', 'Málaga', 'Bilbao']],
  ['IT', 9, `'+393'`, 9, ['Roma', 'Milano', 'Napoli', 'Torino', 'Bologna', 'Firenze', 'Palermo']],
  ['NL', 8, `'+316'`, 8, ['Amsterdam', 'Rotterdam', 'Den Haag', 'Utrecht', 'Eindhoven', 'Groningen']],
  ['PL', 5, `'+485'`, 8, ['Warszawa', 'Kraków', 'Łódź', 'Wrocław', 'Poznań', 'Gdańsk']],
  ['SE', 4, `'+467'`, 8, ['Stockholm', 'Göteborg', 'Malmö', 'Uppsala', 'Västerås']],
  ['AT', 3, `'+4366'`, 8, ['Wien', 'Graz', 'Linz', 'Salzburg', 'Innsbruck']],
  ['BE', 3, `'+324'`, 8, ['Bruxelles', 'Antwerpen', 'Gent', 'Liège', 'Brugge']],
  ['IE', 3, `'+3538'`, 8, ['Dublin', 'Cork', 'Galway', 'Limerick']],
];

/**
 * The row's random UBIGINT for one column. The outer `hash` mixes the bits: the high bits of DuckDB's
 * combined `hash(a, b, c)` for two column names are strongly correlated (measured 0.88 to 0.9999).
 */

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

/** The SELECT producing every customer row, in key order. */
function customersSql(): string {
  const byCountry = (arm: (c: (typeof COUNTRIES)[number]) => string) => `CASE country ${COUNTRIES.map((c) => `WHEN '${c[0]}' THEN ${arm(c)}`).join(' ')} END`;
  const phone = byCountry(([, , prefix, digits]) => `${prefix} || lpad(CAST(${draw('phone')} % ${10 ** digits} AS VARCHAR), ${digits}, '0')`);
  const city = byCountry(([, , , , cities]) => pick('city', cities, 1.6));
  const age = `(${draw('birth_a')} % ${BIRTH_DAYS} + ${draw('birth_b')} % ${BIRTH_DAYS}) // 2`;
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
    )
    SELECT
      CAST('C' || lpad(CAST(i + 1 AS VARCHAR), CAST($width AS INTEGER), '0') AS VARCHAR) AS customer_id,
      CAST(first_name || ' ' || last_name AS VARCHAR) AS full_name,
      CAST(${asciiLower('first_name')} || '.' || ${asciiLower('last_name')} || CAST(i + 1 AS VARCHAR)
        || '@' || ${weighted('email_domain', EMAIL_DOMAINS)} AS VARCHAR) AS email,
      CAST(CASE WHEN ${unit('phone_null')} < 0.05 THEN NULL ELSE ${phone} END AS VARCHAR) AS phone,
      CAST(CASE WHEN ${unit('birth_null')} < 0.03 THEN NULL
        ELSE DATE '${BIRTH_FROM}' + CAST(${age} AS INTEGER) END AS DATE) AS birth_date,
      CAST(country AS VARCHAR) AS country,
      CAST(${city} AS VARCHAR) AS city,
      CAST(segment AS VARCHAR) AS segment,
      CAST(make_timestamp(CAST($now_us AS BIGINT)
        - CAST(floor(power(${unit('signup_at')}, 1.3) * $span_us) AS BIGINT)) AS TIMESTAMP) AS signup_at,
      CAST(CASE WHEN ${unit('ltv_zero')} < 0.08 THEN 0
        ELSE round((CASE segment WHEN 'vip' THEN 6 WHEN 'business' THEN 2.5 ELSE 1 END)
          * (20 + power(${unit('ltv')}, 3) * 4000), 2) END AS DOUBLE) AS lifetime_value,
      CAST(${unit('marketing_opt_in')} < 0.42 AS BOOLEAN) AS marketing_opt_in
    FROM base
    -- Keys have one width, so row order is key order; sorting integers is cheaper than sorting keys.
    ORDER BY i`;
}

/**
 * Writes the customers' Parquet file, atomically; resolves to the number of rows written. Scale 1
 * is 10,000 customers; signups fall in the three years before `now`; there are no inputs.
 */
export async function generate(connection: DuckDBConnection, options: GenerateOptions): Promise<{ rows: number }> {
  const rows = Math.max(1, Math.round(options.scale * CUSTOMERS_PER_SCALE));
  const values = {
    rows: BigInt(rows),
    seed: BigInt(options.seed),
    width: Math.max(KEY_WIDTH, String(rows).length),
    now_us: BigInt(options.now.getTime()) * 1000n,
    span_us: THREE_YEARS_US,
  };
  return { rows: await copyAtomically(connection, customersSql(), values, options.outFile) };
}
