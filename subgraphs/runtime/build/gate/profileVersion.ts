/** A version's column profile (rows; per column nulls, null share, distinct count, and min/max of ordered columns), in one pass over its files. */
import type { DataProduct, Profile } from '../../../../schema/index.js';
import { buildProfile } from '../../sql/index.js';
import type { BuildSession } from '../BuildSession.js';

const ORDERED = new Set(['integer', 'bigint', 'double', 'decimal', 'date', 'timestamp']);

/** Profiles the files of a version of `product`. */
export async function profileVersion(session: BuildSession, product: DataProduct, files: readonly string[]): Promise<Profile> {
  const columns = product.contract.fields.map((f) => ({ name: f.name, ordered: ORDERED.has(f.type) }));
  const [row = {}] = await session.rows(buildProfile(files, columns));
  const rows = Number(row.rows ?? 0);
  return {
    rows,
    columns: columns.map((c, i) => {
      const nulls = Number(row[`n${i}`] ?? 0);
      return {
        column: c.name,
        nulls,
        nullShare: rows === 0 ? 0 : nulls / rows,
        distinct: Number(row[`d${i}`] ?? 0),
        ...(c.ordered && { min: (row[`lo${i}`] as string | null) ?? null, max: (row[`hi${i}`] as string | null) ?? null }),
      };
    }),
  };
}
