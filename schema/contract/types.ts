/**
 * The contract model: what a data product promises about its output, whatever file format declared it
 * (Avro `.avsc` with meshgate attributes, or an ODCS v3 contract). Everything downstream (GraphQL
 * types, SQL, masks, governance) reads this model, never the source file.
 */

/** The logical types a contract field may have; each maps to one DuckDB type and one GraphQL type. */
export const LOGICAL_TYPES = ['string', 'integer', 'bigint', 'double', 'decimal', 'boolean', 'date', 'timestamp'] as const;
/** A logical field type. */
export type LogicalType = (typeof LOGICAL_TYPES)[number];

/** Privacy classes a field may carry; `none` means the field is not personal data. */
export const CLASSIFICATIONS = ['none', 'name', 'email', 'phone', 'date-of-birth', 'address', 'pan', 'person-id', 'ip-address', 'free-text'] as const;
/** A field's privacy classification. */
export type Classification = (typeof CLASSIFICATIONS)[number];

/** Schema-registry compatibility modes, as schema registries define them. */
export const COMPATIBILITY_MODES = ['BACKWARD', 'FORWARD', 'FULL', 'NONE'] as const;
/** A product's compatibility mode. */
export type CompatibilityMode = (typeof COMPATIBILITY_MODES)[number];

/** A reference from one field to the key of another product. */
export interface FieldReference {
  /** The referenced product's descriptor name, e.g. `customer-profiles`. */
  readonly product: string;
  /** The referenced field (the product's key) as a column name, e.g. `customer_id`. */
  readonly field: string;
}

/** One field of a product's output. */
export interface FieldContract {
  /** Column name in the Parquet output (snake_case). */
  readonly name: string;
  readonly type: LogicalType;
  readonly description?: string;
  readonly nullable: boolean;
  /** Part of the product's key. */
  readonly key: boolean;
  readonly references?: FieldReference;
  readonly classification: Classification;
  /** Purposes of use under which this field may be read unmasked (a policy input, see policies/). */
  readonly purposes: readonly string[];
  /** Allowed values, when the field is an enumeration. */
  readonly enum?: readonly string[];
  /** For decimals: scale and precision. */
  readonly precision?: number;
  readonly scale?: number;
}

/** A quality rule in ODCS vocabulary, kept as declared for the contract tests. */
export interface QualityRule {
  readonly metric: string;
  readonly field?: string;
  readonly [comparator: string]: unknown;
}

/** The contract of a product's output. */
export interface Contract {
  /** GraphQL type name, e.g. `Order`. */
  readonly typeName: string;
  /** GraphQL list field name, e.g. `orders`. */
  readonly listField: string;
  /** Contract version (semver). */
  readonly version: string;
  readonly description?: string;
  readonly fields: readonly FieldContract[];
  /** Key column names, in order (one key column is supported by the GraphQL surface). */
  readonly keys: readonly string[];
  readonly compatibility: CompatibilityMode;
  /** Purposes of use the product accepts at all. */
  readonly purposes: readonly string[];
  readonly quality: readonly QualityRule[];
}
