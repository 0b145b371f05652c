/** What the policy engine decides for one caller and one product: the input of enforcement and of explanations. */
import type { MaskName } from '../masks/masks.js';

/** The caller, as the gateway verified it from a token. */
export interface Principal {
  readonly sub: string;
  readonly roles: readonly string[];
  readonly scopes: readonly string[];
  readonly purpose?: string;
  /** Every claim of the token, for row filters over claims. */
  readonly claims: Readonly<Record<string, unknown>>;
}

/** A scalar a row predicate compares with. */
export type RowValue = string | number | boolean;

/** A row predicate over contract columns, with claim values already filled in (serialisable). */
export type RowPredicate =
  | { readonly and: readonly RowPredicate[] }
  | { readonly or: readonly RowPredicate[] }
  | { readonly column: string; readonly op: 'eq' | 'neq' | 'gt' | 'gte' | 'lt' | 'lte'; readonly value: RowValue }
  | { readonly column: string; readonly op: 'in' | 'nin'; readonly value: readonly RowValue[] }
  | { readonly column: string; readonly op: 'isNull'; readonly value: boolean };

/** A masked field and the rule that decided it. */
export interface FieldMask {
  readonly mask: MaskName;
  /** Why: e.g. `classification "email" → mask "email" (masks of policies/access.yaml)`. */
  readonly reason: string;
}

/** The decision for one product. */
export interface ProductDecision {
  readonly product: string;
  readonly allowed: boolean;
  /** Ids of the rules that grant the product. */
  readonly grantedBy: readonly string[];
  /** Masked columns. */
  readonly masks: Readonly<Record<string, FieldMask>>;
  /** Columns the caller may not read, with the reason. */
  readonly denied: Readonly<Record<string, string>>;
  /** Rows the caller may read; null for every row. */
  readonly rows: RowPredicate | null;
  /** Ids of the rules whose row filters apply. */
  readonly rowRules: readonly string[];
  /** Masked columns and measures the caller may aggregate all the same (the matching rules' `aggregate`); absent: none. */
  readonly aggregable?: readonly string[];
}
