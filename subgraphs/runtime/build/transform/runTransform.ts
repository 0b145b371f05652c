/**
 * Runs a checked transform in the locked-down session and writes its result as the version's
 * Parquet: the result must have exactly the contract's columns, each of a type the contract's can
 * hold without loss; it is written cast to the contract's types, in key order.
 */
import path from 'node:path';
import type { DataProduct } from '../../../../schema/index.js';
import { isCompatibleType } from '../../duckdb/ProductTable.js';
import { buildDescribeTable, buildDropTable, buildRowCount, buildRunTransform, buildWriteVersion, duckType, type Column } from '../../sql/index.js';
import { BuildError } from '../BuildEnv.js';
import type { BuildSession } from '../BuildSession.js';

const OUTPUT = '__output';

/** Runs the checked SELECT `select` (named `what` in messages) and writes `dir/part-0.parquet`; resolves to the file and its rows. */
export async function runTransform(session: BuildSession, product: DataProduct, select: string, what: string, dir: string): Promise<{ files: string[]; rows: number }> {
  try {
    await session.run(buildRunTransform(OUTPUT, select));
  } catch (error) {
    throw new BuildError(product.name, `${what} failed: ${(error as Error).message.split('\n')[0]}`, { cause: error });
  }
  const produced = new Map((await session.rows(buildDescribeTable(OUTPUT))).map((r) => [String(r.column_name), String(r.column_type)]));
  const problems: string[] = [];
  for (const f of product.contract.fields) {
    const type = produced.get(f.name);
    if (type === undefined) problems.push(`it produces no column "${f.name}", which the contract requires`);
    else if (!isCompatibleType(f, type)) problems.push(`its column "${f.name}" is ${type}, which the contract's ${duckType(f)} cannot hold`);
  }
  const declared = new Set(product.contract.fields.map((f) => f.name));
  for (const name of produced.keys())
    if (!declared.has(name)) problems.push(`it produces a column "${name}" that the contract lacks (add it to the contract, or drop it from the SELECT)`);
  if (problems.length > 0) throw new BuildError(product.name, `${what} does not produce its contract: ${problems.join('; ')}`);
  const columns: Column[] = product.contract.fields.map((f) => ({ name: f.name, type: f.type, value: f }));
  const c = product.contract;
  const order = (c.keys.length ? c.keys : c.order).map((name) => columns.find((col) => col.name === name)!);
  const out = path.join(dir, 'part-0.parquet');
  try {
    await session.run(buildWriteVersion(OUTPUT, columns, order, out));
  } catch (error) {
    throw new BuildError(product.name, `its new version cannot be written: ${(error as Error).message.split('\n')[0]}`, { cause: error });
  }
  const [count] = await session.rows(buildRowCount(OUTPUT));
  await session.run(buildDropTable(OUTPUT));
  return { files: [out], rows: Number(count?.rows ?? 0) };
}
