/** A data product as the platform serves it: the descriptor, its resolved output and its contract. */
import type { Contract } from '../contract/types.js';

/** One declared input port of a product: what it reads (and, for lineage, where it comes from). */
export interface ProductInput {
  /** The input's name; a transform reads it as a table named with underscores (`orders-db` → `orders_db`). */
  readonly source: string;
  /** `data-product`, `files`, `postgres` or `postgres-cdc`; any other type is declared for lineage only. */
  readonly type: string;
  /** data-product: the upstream product's domain. */
  readonly domain?: string;
  /** data-product: the purpose the consuming domain reads it for. */
  readonly purpose?: string;
  /** files: the landing folder, relative to the data root. */
  readonly path?: string;
  readonly format?: 'csv' | 'jsonl' | 'parquet';
  /** postgres: the snapshot query. */
  readonly query?: string;
  /** postgres-cdc: the table and its key. */
  readonly table?: string;
  readonly key?: string;
}

/** How much the quality gate lets a new version differ from the served one, and what it does beyond that. */
export interface GateThresholds {
  readonly rows?: { readonly change: number; readonly action: 'warn' | 'block' };
  readonly nulls?: { readonly increase: number; readonly action: 'warn' | 'block' };
  readonly distinct?: { readonly change: number; readonly action: 'warn' | 'block' };
  readonly range?: { readonly action: 'warn' | 'block' };
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
  /** Words the catalog finds it by. */
  readonly tags: readonly string[];
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
  /** The output folder under the data root: the product's version store (schema/publish). */
  readonly storeDir: string;
  /** The transform that builds the output: its absolute path and the path as declared. */
  readonly transform?: { readonly file: string; readonly declared: string };
  /** Old versions kept: the newest `keep`, and any younger than `forMs`. */
  readonly retention: { readonly keep: number; readonly forMs?: number };
  /** How often `meshgate up` builds it (declared, or a quarter of its freshness SLA), or `manual`. */
  readonly schedule: { readonly everyMs: number } | 'manual';
  readonly gate: GateThresholds;
}
