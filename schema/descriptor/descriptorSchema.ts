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

const input = z.looseObject({
  source: z.string().min(1),
  type: z.string().min(1),
  domain: z.string().min(1).optional(),
});

const output = z.looseObject({
  name: z.string().regex(KEBAB, 'a kebab-case name such as "orders-enriched-v1"'),
  format: z.string().min(1),
  location: z.string().min(1),
  schema: z.string().min(1),
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
