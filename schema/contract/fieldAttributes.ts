/** The meshgate attributes a contract field may carry in either source format, validated once. */
import { z } from 'zod';
import { CLASSIFICATIONS, COMPATIBILITY_MODES, type CompositeReference, type FieldReference } from './types.js';

const KEBAB = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

/** A PII classification name. */
export const classificationSchema = z.enum(CLASSIFICATIONS, {
  error: () => `one of ${CLASSIFICATIONS.join(', ')}`,
});

/** A compatibility mode. */
export const compatibilitySchema = z.enum(COMPATIBILITY_MODES, {
  error: () => `one of ${COMPATIBILITY_MODES.join(', ')}`,
});

/** A list of purposes of use (kebab-case words). */
export const purposesSchema = z.array(z.string().regex(KEBAB, 'a kebab-case purpose such as "fulfillment"'));

/** `customer-profiles.customer_id`: a reference to another product's key column. */
export const referenceSchema = z
  .string()
  .regex(/^[a-z][a-z0-9-]*\.[a-z_][a-z0-9_]*$/, 'a reference "<product>.<column>" such as "customer-profiles.customer_id"')
  .transform((text): FieldReference => {
    const dot = text.indexOf('.');
    return { product: text.slice(0, dot), field: text.slice(dot + 1) };
  });

/** A column name as it appears in Parquet: lower snake_case. */
export const columnNameSchema = z.string().regex(/^[a-z_][a-z0-9_]*$/, 'a lower snake_case column name such as "total_amount"');

/** A semantic version such as `1.0.0`. */
export const versionSchema = z.string().regex(/^\d+\.\d+\.\d+([-+].*)?$/, 'a semantic version such as "1.0.0"');

/** A keyless product's declared order: the columns its rows are sorted by last, so pages are stable. */
export const orderSchema = z.array(columnNameSchema).min(1, 'at least one column, e.g. ["event_ts", "event_id"]');

/** A reference by several columns to a product with a composite key; `fields` default to the target's key columns (resolved where the target is known). */
export const compositeReferenceSchema = z
  .strictObject({
    product: z.string().regex(KEBAB, 'a product name such as "order-lines"'),
    columns: z.array(columnNameSchema).min(2, 'at least two columns (a one-column reference is written on its field: "references": "<product>.<column>")'),
    fields: z.array(columnNameSchema).optional(),
    as: z
      .string()
      .regex(/^[a-z][A-Za-z0-9]*$/, 'a camelCase GraphQL field name such as "orderLine"')
      .optional(),
  })
  .transform((r): CompositeReference => ({ product: r.product, columns: r.columns, fields: r.fields ?? [], ...(r.as !== undefined && { as: r.as }) }));

/** A list of composite references. */
export const compositeReferencesSchema = z.array(compositeReferenceSchema);
