/**
 * The governance configuration (`policies/governance.yaml`): what the federation of domains agreed
 * on, validated once at load; every rule reads the parsed values (regular expressions compiled,
 * durations in milliseconds, percentages as fractions) and never re-checks them.
 */
import { z } from 'zod';
import { durationMs, percent } from '../../schema/index.js';

const DURATION = /^\d+(\.\d+)?\s*(s|m|h|d)$/;
const PERCENT = /^\d+(\.\d+)?\s*%$/;
const KEBAB = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

/** How a finding of a rule counts: `off` skips the rule, a `warning` is reported only, a `violation` fails the check. */
export const RULE_SETTINGS = ['off', 'warning', 'violation'] as const;
/** One rule's setting. */
export type RuleSetting = (typeof RULE_SETTINGS)[number];

/** The ways an owner can be reached. */
export const OWNER_KINDS = ['email', 'team-handle'] as const;
/** One way an owner can be reached. */
export type OwnerKind = (typeof OWNER_KINDS)[number];

/** The SLA entries a product may be required to declare. */
export const SLA_ENTRIES = ['freshness', 'completeness', 'availability'] as const;

const pattern = z.strictObject({
  pattern: z
    .string()
    .min(1)
    .refine((text) => {
      try {
        new RegExp(text);
        return true;
      } catch {
        return false;
      }
    }, 'a valid regular expression')
    .transform((text) => new RegExp(text)),
  example: z.string().min(1),
});

/** The schema of `policies/governance.yaml`. */
export const governanceConfigSchema = z.strictObject({
  version: z.literal(1, { error: () => 'version 1 (the only version of this file)' }),
  naming: z.strictObject({
    product: pattern,
    field: pattern,
    versionedOutputs: z.boolean().default(true),
  }),
  owners: z.array(z.enum(OWNER_KINDS, { error: () => `one of ${OWNER_KINDS.join(', ')}` })).min(1, 'at least one way to reach an owner'),
  sla: z.strictObject({
    required: z.array(z.enum(SLA_ENTRIES, { error: () => `one of ${SLA_ENTRIES.join(', ')}` })).default([]),
    maxFreshness: z.string().regex(DURATION, 'a duration such as "24h"').transform(durationMs),
    minCompleteness: z.string().regex(PERCENT, 'a percentage such as "99%"').transform(percent),
  }),
  formats: z
    .array(
      z
        .string()
        .min(1)
        .transform((f) => f.toLowerCase()),
    )
    .min(1, 'at least one format'),
  purposes: z.array(z.string().regex(KEBAB, 'a kebab-case purpose such as "fulfillment"')).min(1, 'at least one purpose'),
  lifecycle: z.strictObject({
    successorRequired: z.boolean().default(true),
    sunsetRequired: z.boolean().default(true),
  }),
  rules: z
    .record(z.string(), z.enum(RULE_SETTINGS, { error: () => `one of ${RULE_SETTINGS.join(', ')}` }))
    .nullish()
    .transform((r) => r ?? {}),
});

/** The governance configuration, validated and parsed. */
export type GovernanceConfig = z.infer<typeof governanceConfigSchema>;
