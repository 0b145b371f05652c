/** The meshgate attributes a contract field may carry in either source format, validated once. */
import { z } from 'zod';
import { CLASSIFICATIONS, COMPATIBILITY_MODES, type FieldReference } from './types.js';

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
