/**
 * What the platform records with each version it makes (`version.json` beside the version's
 * files): what it was built from, how its gate judged it, its column profile and its lineage. The
 * catalog serves these; a failed version keeps its record as its report.
 */
import type { VersionSource } from './Manifest.js';

/** One input a build read, and which state of it. */
export interface InputRead {
  readonly source: string;
  readonly type: string;
  /** The upstream product's version, for a data-product input. */
  readonly version?: string;
  /** A connector's position after the read (a CDC stream's last change), for incremental inputs. */
  readonly checkpoint?: string;
  readonly rows: number;
  /** Columns the consuming domain read masked, with the mask (a data-product input). */
  readonly masked?: Readonly<Record<string, string>>;
}

/** The profile of one column: what the quality gate compares from version to version. */
export interface ColumnProfile {
  readonly column: string;
  readonly nulls: number;
  /** Nulls over rows (0 without rows). */
  readonly nullShare: number;
  readonly distinct: number;
  /** The smallest and largest value of an ordered column (numbers, dates, timestamps), as text. */
  readonly min?: string | null;
  readonly max?: string | null;
}

/** A version's profile. */
export interface Profile {
  readonly rows: number;
  readonly columns: readonly ColumnProfile[];
}

/** One input column, as `source.column`: the declared input's name (`customer-profiles`) and its column. */
export interface ColumnSource {
  readonly source: string;
  readonly column: string;
}

/**
 * How an output column's value is made from its sources: `copy` (the input value as it is, through
 * any renames), `transform` (computed row by row: an expression, a cast, a CASE, a literal) or
 * `aggregate` (computed over a group or a window of rows).
 */
export type ColumnDerivation = 'copy' | 'transform' | 'aggregate';

/** Where an output column's values come from, as far as the transform's SQL says. */
export interface ColumnLineage {
  readonly column: string;
  /** The input columns its value is computed from (all of them when `complete`, else those the SQL names for certain). */
  readonly from: readonly ColumnSource[];
  readonly kind: ColumnDerivation;
  /** False when the SQL alone cannot say every source; `unresolved` then says what could not be followed. */
  readonly complete: boolean;
  readonly unresolved?: readonly string[];
}

/** A version's lineage: the inputs it read and, where the transform's SQL says, each column's sources. */
export interface Lineage {
  readonly inputs: readonly { readonly source: string; readonly type: string; readonly domain?: string }[];
  readonly columns: readonly ColumnLineage[];
}

/** One finding of a version's gate: a contract test that failed, or an anomaly against the served version. */
export interface GateFinding {
  readonly check: string;
  readonly severity: 'violation' | 'warning';
  readonly message: string;
  readonly field?: string;
}

/** The record of one version. */
export interface VersionRecord {
  readonly format: 'meshgate-version/1';
  readonly product: string;
  readonly version: string;
  readonly status: 'published' | 'failed';
  readonly source: VersionSource;
  readonly createdAt: string;
  readonly dataAsOf: string;
  readonly durationMs: number;
  readonly files: readonly string[];
  readonly rows: number;
  readonly contractVersion: string;
  readonly inputs: readonly InputRead[];
  /** The transform that made it (the file, relative to the descriptor, and its text's SHA-256). */
  readonly transform?: { readonly file: string; readonly sha256: string };
  /** Contract tests run on it: how many passed, and every finding. */
  readonly tests: { readonly passed: number; readonly failed: number };
  /** Why it was refused (failed versions), or what was noticed but let through (warnings). */
  readonly findings: readonly GateFinding[];
  readonly profile?: Profile;
  readonly lineage?: Lineage;
}

/** The record's file name in a version folder. */
export const VERSION_RECORD_FILE = 'version.json';
