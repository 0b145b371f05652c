/**
 * The `data-product.yaml` descriptor, as the design article writes it (name, domain, owner, inputs,
 * outputs, sla), checked with zod. Extra keys are kept (a domain may say more than meshgate reads).
 */
import { z } from 'zod';

const KEBAB = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

/** A duration such as `30m`, `1h`, `24h`, `7d`. */
export const DURATION = /^(\d+(?:\.\d+)?)\s*(s|m|h|d)$/;
/** A percentage such as `99.9%`. */
export const PERCENT = /^(\d+(?:\.\d+)?)\s*%$/;

/** A path that stays where it is put: relative, and never climbing out with `..`. */
const INSIDE = (what: string) =>
  z
    .string()
    .min(1)
    .refine((p) => !p.startsWith('/') && !/^[a-z][a-z0-9+.-]*:/i.test(p) && !p.split(/[\\/]/).includes('..'), `a relative path inside ${what}, without ".."`);

/** Input types meshgate reads; any other type (kafka, say) is accepted for lineage, and a build that needs it says it has no connector. */
export const CONNECTED_INPUT_TYPES = ['data-product', 'files', 'postgres', 'postgres-cdc'] as const;

const input = z
  .looseObject({
    source: z.string().regex(KEBAB, 'a kebab-case source name such as "orders-db" (transforms read it as orders_db)'),
    type: z.string().min(1),
    domain: z.string().min(1).optional(),
    /** data-product: the purpose the consuming domain reads it for (its access policy may unmask by purpose). */
    purpose: z.string().min(1).optional(),
    /** files: the landing folder under the data root (default `landing/<domain>/<source>/`). */
    path: INSIDE('the data root').optional(),
    /** files: the files' format. */
    format: z.enum(['csv', 'jsonl', 'parquet']).optional(),
    /** postgres: the snapshot query. */
    query: z.string().min(1).optional(),
    /** postgres-cdc: the table whose changes are read (`schema.table`), and its key. */
    table: z
      .string()
      .regex(/^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?$/, 'a table name such as "public.orders"')
      .optional(),
    key: z
      .string()
      .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'a column name')
      .optional(),
  })
  .superRefine((i, ctx) => {
    if (i.type === 'files' && !i.format) ctx.addIssue({ code: 'custom', path: ['format'], message: 'a files input needs its format: csv, jsonl or parquet' });
    if (i.type === 'postgres' && !i.query) ctx.addIssue({ code: 'custom', path: ['query'], message: 'a postgres input needs the query it snapshots' });
    if (i.type === 'postgres-cdc' && (!i.table || !i.key))
      ctx.addIssue({ code: 'custom', path: [i.table ? 'key' : 'table'], message: 'a postgres-cdc input needs its table and key' });
  });

const PERCENT_CHANGE = z.string().regex(PERCENT, 'a percentage such as "50%"');
const ACTION = z.enum(['warn', 'block']);

/** The quality gate's anomaly checks, against the served version's profile. */
const gate = z.strictObject({
  /** The row count may change by at most this share of the served version's. */
  rows: z.strictObject({ change: PERCENT_CHANGE, action: ACTION }).optional(),
  /** A column's null share may rise by at most this many percentage points. */
  nulls: z.strictObject({ increase: PERCENT_CHANGE, action: ACTION }).optional(),
  /** A column's distinct count may change by at most this share. */
  distinct: z.strictObject({ change: PERCENT_CHANGE, action: ACTION }).optional(),
  /** An ordered column's minimum or maximum may move outside the served version's range. */
  range: z.strictObject({ action: ACTION }).optional(),
});

const output = z.looseObject({
  name: z.string().regex(KEBAB, 'a kebab-case name such as "orders-enriched-v1"'),
  format: z.string().min(1),
  location: z.string().min(1),
  schema: z.string().min(1),
  /** The SQL file (DuckDB dialect) that computes the output from the inputs, relative to the descriptor. */
  transform: INSIDE("the domain's folder").optional(),
  /** Which old versions are kept: the newest `keep`, and any younger than `for`. */
  retention: z.strictObject({ keep: z.number().int().min(1).max(1000).optional(), for: z.string().regex(DURATION, 'a duration such as "7d"').optional() }).optional(),
  gate: gate.optional(),
});

const sla = z.looseObject({
  freshness: z.string().regex(DURATION, 'a duration such as "1h" or "24h"').optional(),
  availability: z.string().regex(PERCENT, 'a percentage such as "99.9%"').optional(),
  completeness: z.string().regex(PERCENT, 'a percentage such as "99%"').optional(),
  quality_score: z.number().min(0).max(1).optional(),
});

/** The descriptor's schema. */
export const descriptorSchema = z.looseObject({
  name: z.string().regex(KEBAB, 'a kebab-case product name such as "orders-enriched"'),
  domain: z.string().regex(KEBAB, 'a kebab-case domain name such as "commerce"'),
  owner: z.string().min(1),
  description: z.string().optional(),
  /** Words the catalog finds the product by (lower case, digits, dashes). */
  tags: z
    .array(z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'a tag of lower-case letters, digits and dashes, at most 40 characters'))
    .max(20)
    .optional(),
  version: z.string().optional(),
  status: z.enum(['draft', 'active', 'deprecated', 'retired']).optional(),
  /** For a deprecated product: the product that replaces it. */
  successor: z.string().regex(KEBAB, 'the kebab-case name of the product that replaces this one').optional(),
  /** For a deprecated product: the day it stops being served (YYYY-MM-DD). */
  sunset: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'a date such as "2027-01-31"')
    .optional(),
  inputs: z.array(input).default([]),
  outputs: z.array(output).min(1, 'at least one output'),
  /** How often `meshgate up` builds the product: a duration, or `manual`; by default a quarter of its freshness SLA. */
  schedule: z.union([z.literal('manual'), z.string().regex(DURATION, 'a duration such as "15m", or "manual"')]).optional(),
  sla: sla.default({}),
});

/** A descriptor as written in `data-product.yaml`, after validation. */
export type Descriptor = z.infer<typeof descriptorSchema>;

/** Parses a duration like `1h` into milliseconds. */
export function durationMs(text: string): number {
  const m = DURATION.exec(text);
  if (!m) throw new TypeError(`not a duration: ${text}`);
  const unit = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] as 's' | 'm' | 'h' | 'd'];
  return Number(m[1]) * unit;
}

/** Parses `99.5%` into 0.995. */
export function percent(text: string): number {
  const m = PERCENT.exec(text);
  if (!m) throw new TypeError(`not a percentage: ${text}`);
  return Number(m[1]) / 100;
}
