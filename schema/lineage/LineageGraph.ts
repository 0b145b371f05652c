/**
 * A product's lineage across the mesh, as plain data: the products and operational sources it is
 * built from (upstream, to the sources), the products built from it or referencing it
 * (downstream), and, from each served version's record, which column comes from which. The CLI
 * prints it; the catalog serves it.
 */
import type { ColumnDerivation } from '../publish/VersionRecord.js';

/** A data product of the mesh (or one an input names that the mesh does not serve). */
export interface ProductNode {
  readonly id: string;
  readonly kind: 'product';
  readonly name: string;
  readonly domain: string;
  /** The served version, if any. */
  readonly version?: string;
  /** True for a product an input names that is not in the mesh (its domain left out, or never declared). */
  readonly missing?: true;
}

/** An operational source a product reads (a database, a stream, a landing folder), by the consuming domain. */
export interface SourceNode {
  readonly id: string;
  readonly kind: 'source';
  readonly name: string;
  /** The input's declared type: `postgres-cdc`, `files`, `kafka`, ... */
  readonly type: string;
  readonly domain: string;
}

/** A node of the graph. */
export type LineageNode = ProductNode | SourceNode;

/** Data flowing from one node into a product (`input`), or a product's fields referencing another's key (`reference`). */
export interface LineageEdge {
  readonly from: string;
  readonly to: string;
  readonly kind: 'input' | 'reference';
  /** For a reference: the referencing fields. */
  readonly fields?: readonly string[];
}

/** One column of a node. */
export interface ColumnRef {
  readonly node: string;
  readonly column: string;
}

/** A product column computed from a column of one of its inputs. */
export interface ColumnEdge {
  readonly from: ColumnRef;
  readonly to: ColumnRef;
  readonly kind: ColumnDerivation;
}

/** A product column whose sources the transform's SQL does not fully say. */
export interface PartialColumn extends ColumnRef {
  readonly unresolved: readonly string[];
}

/** The lineage of one product. */
export interface LineageGraph {
  /** The product it is the lineage of. */
  readonly product: string;
  readonly nodes: readonly LineageNode[];
  readonly edges: readonly LineageEdge[];
  /** Column edges whose both ends are in the graph, from the served versions' records. */
  readonly columns: readonly ColumnEdge[];
  readonly partial: readonly PartialColumn[];
  /** Products of the graph whose served version records no column lineage (never built, or published from files). */
  readonly withoutColumns: readonly string[];
}

/** The id of a product's node. */
export const productNodeId = (name: string): string => `product:${name}`;

/** The id of an operational source's node: sources are named within the domain that reads them. */
export const sourceNodeId = (domain: string, source: string): string => `source:${domain}/${source}`;
