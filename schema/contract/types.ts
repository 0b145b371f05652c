/**
 * The contract model: what a data product promises about its output, whatever file format declared it
 * (Avro `.avsc` with meshgate attributes, or an ODCS v3 contract). Everything downstream (GraphQL
 * types, SQL, masks, governance) reads this model, never the source file.
 */

/** The logical types a contract field may have; each maps to one DuckDB type and one GraphQL type. */
export const LOGICAL_TYPES = ['string', 'integer', 'bigint', 'double', 'decimal', 'boolean', 'date', 'timestamp', 'time', 'uuid', 'json', 'list', 'struct'] as const;
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

/**
 * The type of a value: a field's, a list's elements' or a struct member's. Scalars carry only
 * `type` (and `precision`/`scale` for a decimal, `enum` for an enumerated string); a `list` carries
 * `items`, a `struct` its `members`.
 */
export interface ValueType {
  readonly type: LogicalType;
  /** Allowed values, when a `string` is an enumeration (Avro enum, ODCS `enum`): a GraphQL enum. */
  readonly enum?: readonly string[];
  /** The enumeration's own name (the Avro enum's `name`), for the GraphQL enum type; derived from the field when absent. */
  readonly enumName?: string;
  /** For decimals: precision (total digits, 1-38) and scale (digits after the point). */
  readonly precision?: number;
  readonly scale?: number;
  /** For a `list`: the type of its elements (whose `nullable` says whether an element may be null). */
  readonly items?: ElementType;
  /** For a `struct`: its members, in order. */
  readonly members?: readonly StructMember[];
  /** For a `struct`: the record's own name (the Avro record's `name`), for the GraphQL object type; derived from the field when absent. */
  readonly structName?: string;
}

/** A list's element type. */
export interface ElementType extends ValueType {
  readonly nullable: boolean;
}

/** One member of a struct: a named value with its own classification (a struct's masks apply member by member). */
export interface StructMember extends ValueType {
  /** Member name (snake_case, as in the Parquet struct). */
  readonly name: string;
  readonly description?: string;
  readonly nullable: boolean;
  readonly classification: Classification;
}

/** One field of a product's output. A list field's classification applies to each of its elements. */
export interface FieldContract extends ValueType {
  /** Column name in the Parquet output (snake_case). */
  readonly name: string;
  readonly description?: string;
  readonly nullable: boolean;
  /** Part of the product's key. */
  readonly key: boolean;
  readonly references?: FieldReference;
  readonly classification: Classification;
  /** Purposes of use under which this field may be read unmasked (a policy input, see policies/). */
  readonly purposes: readonly string[];
}

/** A reference by several columns to a product with a composite key: `columns[i]` of this product holds `fields[i]` of the target's key. */
export interface CompositeReference {
  /** The referenced product's descriptor name. */
  readonly product: string;
  /** This product's columns, in the target's key order. */
  readonly columns: readonly string[];
  /** The target's key columns, in its key order; empty when the source left them out: the target's key (see {@link referencedFields}). */
  readonly fields: readonly string[];
  /** The object field that resolves the entity, e.g. `orderLine`; derived from the target's type when absent. */
  readonly as?: string;
}

/** The aggregate a measure computes over a contract column (`count` needs no column). */
export const MEASURE_AGGREGATES = ['sum', 'avg', 'min', 'max', 'count', 'countDistinct'] as const;
/** A measure's aggregate. */
export type MeasureAggregate = (typeof MEASURE_AGGREGATES)[number];

/** A measure's filter: a condition on contract columns, in the row-filter vocabulary of policies (no claims). */
export type MeasureFilter =
  | { readonly and: readonly MeasureFilter[] }
  | { readonly or: readonly MeasureFilter[] }
  | { readonly column: string; readonly op: 'eq' | 'neq' | 'gt' | 'gte' | 'lt' | 'lte'; readonly value: string | number | boolean }
  | { readonly column: string; readonly op: 'in' | 'nin'; readonly value: readonly (string | number | boolean)[] }
  | { readonly column: string; readonly op: 'isNull'; readonly value: boolean };

/**
 * A business figure the owning domain defines once (`revenue` = sum of `total_amount` over
 * delivered orders): a field of the product's aggregate type, the same number for everyone.
 */
export interface MeasureContract {
  /** snake_case name; the GraphQL field is its camelCase. */
  readonly name: string;
  readonly description: string;
  readonly aggregate: MeasureAggregate;
  /** The column aggregated; absent only for `count`. */
  readonly column?: string;
  readonly filter?: MeasureFilter;
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
  /** Key column names, in order: one, several (a composite key), or none (a keyless product: lists, connections and aggregates only). */
  readonly keys: readonly string[];
  /** A keyless product's declared row order (column names), which connections and lists sort by last so pages are stable. */
  readonly order: readonly string[];
  /** References by several columns to products with composite keys (a one-column reference stays on its field). */
  readonly references: readonly CompositeReference[];
  /** Measures the owning domain declares. */
  readonly measures: readonly MeasureContract[];
  readonly compatibility: CompatibilityMode;
  /** Purposes of use the product accepts at all. */
  readonly purposes: readonly string[];
  readonly quality: readonly QualityRule[];
}

/** The target columns a composite reference names: those declared, or else the target's key columns. */
export const referencedFields = (ref: CompositeReference, target: Pick<Contract, 'keys'>): readonly string[] => (ref.fields.length ? ref.fields : target.keys);
