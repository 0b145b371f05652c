/**
 * The manifest: the one version of a product that is served, and everything a reader needs to
 * read exactly it. It is the published language between whoever publishes (a build, `meshgate
 * publish`, the governance domain's compaction) and whoever serves (a subgraph's product table,
 * the contract tests, the catalog, an upstream read of another domain's build).
 */
import { z } from 'zod';

/** How a version came to be. */
export type VersionSource = 'build' | 'publish' | 'stream';

/** The served version of a product. */
export interface Manifest {
  readonly format: 'meshgate-manifest/1';
  readonly product: string;
  /** The version's id (its folder under `versions/`, for a build or a publish). */
  readonly version: string;
  /** When it was published (ISO 8601). */
  readonly publishedAt: string;
  /** How current its data is (ISO 8601): the build's start for a build, the publish time for a publish, the newest entry for a stream. */
  readonly dataAsOf: string;
  readonly source: VersionSource;
  /** Its Parquet files, relative to the product's output folder. */
  readonly files: readonly string[];
  readonly rows: number;
  /** The contract version the data was tested against. */
  readonly contractVersion: string;
}

/** The manifest's schema: a reader trusts nothing it did not check. */
export const manifestSchema = z.object({
  format: z.literal('meshgate-manifest/1'),
  product: z.string().min(1),
  version: z.string().min(1),
  publishedAt: z.iso.datetime(),
  dataAsOf: z.iso.datetime(),
  source: z.enum(['build', 'publish', 'stream']),
  files: z.array(
    z
      .string()
      .min(1)
      .refine((f) => !f.startsWith('/') && !f.split(/[\\/]/).includes('..'), 'a path inside the product folder'),
  ),
  rows: z.number().int().min(0),
  contractVersion: z.string(),
});
