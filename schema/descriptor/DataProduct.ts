/** A data product as the platform serves it: the descriptor, its resolved output and its contract. */
import type { Contract } from '../contract/types.js';

/** One declared input of a product (lineage). */
export interface ProductInput {
  readonly source: string;
  readonly type: string;
  readonly domain?: string;
}

/** One declared output port. */
export interface OutputPort {
  readonly name: string;
  readonly format: string;
  /** The location as declared. */
  readonly location: string;
  /** The schema reference as declared (relative to the descriptor). */
  readonly schema: string;
}

/** The service levels a product declares. */
export interface ServiceLevels {
  readonly freshnessMs?: number;
  readonly availability?: number;
  readonly completeness?: number;
  readonly qualityScore?: number;
  /** The `sla` block as written, for the catalog. */
  readonly declared: Readonly<Record<string, unknown>>;
}

/** A loaded, validated data product. */
export interface DataProduct {
  readonly name: string;
  readonly domain: string;
  readonly owner: string;
  readonly description?: string;
  readonly version: string;
  readonly status: 'draft' | 'active' | 'deprecated' | 'retired';
  /** For a deprecated product: the product that replaces it, and the day it stops being served. */
  readonly successor?: string;
  readonly sunset?: string;
  readonly inputs: readonly ProductInput[];
  readonly outputs: readonly OutputPort[];
  readonly sla: ServiceLevels;
  readonly contract: Contract;
  /** The descriptor file, for messages. */
  readonly descriptorFile: string;
  /** Absolute path or glob of the Parquet files served for this product. */
  readonly dataPath: string;
}
