/**
 * What a change-data-capture input reads: the current state of an operational table, kept as a
 * mirror that each build brings up to date with the changes recorded since the last one. Changes
 * are Debezium-shaped records (`op` c/r/u/d, the log position `lsn`, the row `before` and `after`),
 * whether they come from a folder of change files (the embedded default) or from PostgreSQL's
 * logical replication. The mirror's state is one file named after its last position
 * (`_state/<source>/mirror-<lsn>.parquet`); the next one is staged with the version and renamed
 * into place once the version is published, so a failed build leaves the position where it was.
 */
import { mkdir, readdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { versionStore } from '../../../../schema/index.js';
import {
  buildApplyChanges,
  buildChangeSummary,
  buildDropTable,
  buildEmptyChanges,
  buildExposeMirror,
  buildLoadChanges,
  buildLoadMirror,
  buildMirrorStructure,
  buildRowCount,
  buildWriteMirror,
} from '../../sql/index.js';
import { BuildError } from '../BuildEnv.js';
import type { InputContext, LoadedInput } from './InputConnector.js';

const MIRROR = /^mirror-(\d+)\.parquet$/;

/** The mirror's state folder of an input. */
export const mirrorStateDir = (ctx: InputContext): string => path.join(versionStore(ctx.product.storeDir).state, ctx.input.source);

/** The newest committed mirror state and its position, or none. */
async function currentMirror(dir: string): Promise<{ file: string; lsn: number } | undefined> {
  const states = (await readdir(dir).catch(() => [] as string[])).flatMap((n) => {
    const m = MIRROR.exec(n);
    return m ? [{ file: path.join(dir, n), lsn: Number(m[1]) }] : [];
  });
  return states.sort((a, b) => b.lsn - a.lsn)[0];
}

/** The position of the input's committed mirror, or undefined before its first published build (a connector numbers its next changes past it). */
export async function mirrorPosition(ctx: InputContext): Promise<number | undefined> {
  return (await currentMirror(mirrorStateDir(ctx)))?.lsn;
}

/** Brings the input's mirror up to date with the change records in `files` and loads it as the input's table. */
export async function loadFromChanges(ctx: InputContext, files: readonly string[], type: string): Promise<LoadedInput> {
  const { session, table, input, product } = ctx;
  const key = input.key!;
  const dir = mirrorStateDir(ctx);
  const current = await currentMirror(dir);
  const [mirror, changes, next] = [`__mirror_${table}`, `__changes_${table}`, `__next_${table}`];
  await session.run(buildLoadMirror(mirror, current?.file));
  if (files.length > 0) await session.run(buildLoadChanges(changes, files, key, current?.lsn ?? 0));
  else await session.run(buildEmptyChanges(changes));
  const [summary] = await session.rows(buildChangeSummary(changes));
  const keyless = Number(summary?.keyless ?? 0);
  if (keyless > 0) throw new BuildError(product.name, `input ${input.source} (${type}): ${keyless} change record(s) have no "${key}" (the declared key) in their row`);
  const fresh = Number(summary?.changes ?? 0);
  if (!current && fresh === 0) throw new BuildError(product.name, `input ${input.source} (${type}): no change record has been captured yet`);
  await session.run(buildApplyChanges(next, mirror, changes));
  const [count] = await session.rows(buildRowCount(next));
  const rows = Number(count?.rows ?? 0);
  const [structure] = await session.rows(buildMirrorStructure(next));
  await session.run(buildExposeMirror(table, next, String(structure?.structure ?? '{}')));
  const lsn = fresh > 0 ? Number(summary?.last_lsn) : (current?.lsn ?? 0);
  const staged = path.join(ctx.scratch, `${input.source}-mirror-${lsn}.parquet`);
  await session.run(buildWriteMirror(next, staged));
  for (const t of [mirror, changes, next]) await session.run(buildDropTable(t));
  const lastTs = Number(summary?.last_ts ?? 0);
  return {
    read: { source: input.source, type, rows, checkpoint: `lsn ${lsn} (${fresh} new change(s))` },
    ...(lastTs > 0 && { dataAsOf: new Date(lastTs) }),
    commit: async () => {
      await mkdir(dir, { recursive: true });
      await rename(staged, path.join(dir, `mirror-${lsn}.parquet`));
      for (const n of await readdir(dir)) if (MIRROR.test(n) && n !== `mirror-${lsn}.parquet`) await rm(path.join(dir, n), { force: true });
    },
  };
}
