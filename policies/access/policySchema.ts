/**
 * The access-policy file format (`policies/access.yaml`), checked with zod; `npm run policy-schema`
 * writes the JSON Schema editors use from this one definition.
 */
import { z } from 'zod';
import { CLASSIFICATIONS } from '../../schema/index.js';
import { MASK_NAMES } from '../masks/masks.js';

const COLUMN = /^[a-z_][a-z0-9_]*$/;
const scalar = z.union([z.string(), z.number(), z.boolean()]);
const claimRef = z
  .strictObject({ claim: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'a claim name such as "countries"') })
  .describe("The value of a claim of the caller's token.");
const operand = z.union([scalar, claimRef]);
const listOperand = z.union([z.array(scalar), claimRef]);

const columnFilter = z
  .strictObject({
    eq: operand.optional(),
    neq: operand.optional(),
    in: listOperand.optional(),
    nin: listOperand.optional(),
    gt: operand.optional(),
    gte: operand.optional(),
    lt: operand.optional(),
    lte: operand.optional(),
    isNull: z.boolean().optional(),
  })
  .describe('Conditions on one column; all must hold.');

/** A row filter: columns (snake_case, as in the contract) to conditions, combined with `and`/`or`. */
export type RowFilterSpec = { [column: string]: z.infer<typeof columnFilter> | RowFilterSpec[] | undefined; and?: RowFilterSpec[]; or?: RowFilterSpec[] };

const rowFilter: z.ZodType<RowFilterSpec> = z.lazy(() =>
  z.record(z.string().regex(COLUMN, 'a column name (snake_case, as in the contract)'), z.union([columnFilter, z.array(rowFilter)])).superRefine((value, ctx) => {
    for (const [key, v] of Object.entries(value)) {
      const combinator = key === 'and' || key === 'or';
      if (combinator !== Array.isArray(v))
        ctx.addIssue({ code: 'custom', path: [key], message: combinator ? `"${key}" takes a list of filters` : 'expected a column filter such as { in: { claim: countries } }' });
    }
  }),
) as z.ZodType<RowFilterSpec>;

const unmask = z.union([
  z.literal('all').describe('Every field of the granted products is readable unmasked.'),
  z.literal('contract-purposes').describe("Fields whose contract lists the caller's purpose are readable unmasked."),
  z.array(z.enum(CLASSIFICATIONS)).describe('These classifications are readable unmasked.'),
]);

const rule = z.strictObject({
  id: z.string().regex(/^[a-z][a-z0-9-]*$/, 'a kebab-case rule id'),
  description: z.string().optional(),
  roles: z.array(z.string().min(1)).min(1).describe('The rule applies to a caller with any of these roles; "{domain}" stands for the product\'s domain.'),
  scopes: z.array(z.string().min(1)).optional().describe('...and, if given, any of these scopes.'),
  purposes: z.array(z.string().min(1)).optional().describe('...and, if given, a declared purpose among these.'),
  products: z.array(z.string().min(1)).min(1).describe('Product names the rule grants; "*" for every product.'),
  exceptProducts: z.array(z.string().min(1)).default([]),
  fields: z.array(z.string().regex(COLUMN)).optional().describe('If given, only these columns are granted.'),
  denyFields: z.array(z.string().regex(COLUMN)).default([]).describe('Columns this caller may never read, whatever else grants them.'),
  unmask: unmask.optional(),
  rows: rowFilter.optional().describe('Only rows matching this filter are granted.'),
  aggregate: z
    .array(z.string().regex(COLUMN, 'a column or measure name (snake_case, as in the contract)'))
    .optional()
    .describe(
      "Masked columns and contract measures this rule's callers may aggregate (sum, avg, min, max, countDistinct, median, percentile, having, and measures over them). Grouping or bucketing by a masked column stays refused, since the group's key would show its values; a denied column stays refused.",
    ),
});

/** The policy file's schema. */
export const policySchema = z.strictObject({
  version: z.literal(1),
  masks: z.partialRecord(z.enum(CLASSIFICATIONS), z.enum(MASK_NAMES)).describe('The default mask of each PII classification.'),
  rules: z.array(rule),
});

/** An access policy file, validated. */
export type PolicyFile = z.infer<typeof policySchema>;
/** One access rule. */
export type AccessRule = z.infer<typeof rule>;
