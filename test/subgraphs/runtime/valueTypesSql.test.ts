/**
 * The SQL of lists, structs and decimals, run on DuckDB: list conditions through DuckDB's list
 * functions, conditions on struct members, a decimal parameter bound as the column's DECIMAL(p,s)
 * (so equality is exact), masks element by element and member by member, and which Parquet types
 * serve which contract types. Expected values are written out here, not derived from the builder.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Database } from '../../../subgraphs/runtime/index.js';
import { isCompatibleType } from '../../../subgraphs/runtime/duckdb/ProductTable.js';
import { buildSelect, buildWriteVersion, duckType, type Column, type Condition, type Selected } from '../../../subgraphs/runtime/sql/index.js';
import type { ValueType } from '../../../schema/index.js';

const TAGS: ValueType = { type: 'list', items: { type: 'string', nullable: false } };
const SIZES: ValueType = { type: 'list', items: { type: 'integer', nullable: false } };
const ADDRESS: ValueType = {
  type: 'struct',
  members: [
    { name: 'street', type: 'string', nullable: false, classification: 'address' },
    { name: 'country', type: 'string', nullable: false, classification: 'none' },
  ],
};
const PRICE: ValueType = { type: 'decimal', precision: 12, scale: 2 };

const key: Column = { name: 'k', type: 'string' };
const tags: Column = { name: 'tags', type: 'list', value: TAGS };
const sizes: Column = { name: 'sizes', type: 'list', value: SIZES };
const address: Column = { name: 'address', type: 'struct', value: ADDRESS };
const price: Column = { name: 'price', type: 'decimal', value: PRICE };
const country: Column = { name: 'address', type: 'string', value: ADDRESS.members![1], path: ['country'] };

describe('the SQL of value types', () => {
  let db: Database;
  beforeAll(async () => {
    db = await Database.open({ dataDirs: [mkdtempSync(path.join(tmpdir(), 'meshgate-types-sql-'))] });
    await db.exec(`CREATE TABLE t AS SELECT * FROM (VALUES
      ('a', ['x', 'y']::VARCHAR[], [1, 2]::INTEGER[], {'street': 'Main 1', 'country': 'DE'}::STRUCT(street VARCHAR, country VARCHAR), 0.10::DECIMAL(12,2), ['ann@example.com']::VARCHAR[]),
      ('b', []::VARCHAR[], [3]::INTEGER[], {'street': 'Rue 2', 'country': 'FR'}::STRUCT(street VARCHAR, country VARCHAR), 0.20::DECIMAL(12,2), []::VARCHAR[]),
      ('c', NULL::VARCHAR[], []::INTEGER[], NULL::STRUCT(street VARCHAR, country VARCHAR), 0.30::DECIMAL(12,2), NULL::VARCHAR[])
    ) v(k, tags, sizes, address, price, emails)`);
  });
  afterAll(() => db.close());

  const keys = async (where: Condition): Promise<string[]> =>
    (await db.query(buildSelect({ table: 't', columns: [{ column: key, as: 'k' }], where, orderBy: [], order: [key] }, 10, 0))).map((r) => String(r.k));
  const select = async (columns: Selected[]): Promise<Record<string, unknown>[]> =>
    db.query(buildSelect({ table: 't', columns: [{ column: key, as: 'k' }, ...columns], where: { kind: 'and', items: [] }, orderBy: [], order: [key] }, 10, 0));

  it('writes each value type as its DuckDB type', () => {
    expect(duckType(PRICE)).toBe('DECIMAL(12,2)');
    expect(duckType(TAGS)).toBe('VARCHAR[]');
    expect(duckType(SIZES, 'INTEGER')).toBe('INTEGER[]');
    expect(duckType(ADDRESS)).toBe('STRUCT("street" VARCHAR, "country" VARCHAR)');
    expect(buildWriteVersion('out', [key, price, address], [key], '/x.parquet')).toContain('CAST("price" AS DECIMAL(12,2))');
  });

  it('filters lists by their elements, binding every element as a parameter', async () => {
    expect(await keys({ kind: 'list', column: tags, op: 'contains', values: ['y'] })).toEqual(['a']);
    expect(await keys({ kind: 'list', column: sizes, op: 'containsAny', values: [3, 9] })).toEqual(['b']);
    expect(await keys({ kind: 'list', column: sizes, op: 'containsAll', values: [1, 2] })).toEqual(['a']);
    expect(await keys({ kind: 'list', column: sizes, op: 'containsAll', values: [] })).toEqual(['a', 'b', 'c']);
    expect(await keys({ kind: 'list', column: sizes, op: 'containsAny', values: [] })).toEqual([]);
    expect(await keys({ kind: 'list', column: tags, op: 'isEmpty', values: [true] })).toEqual(['b']);
    expect(await keys({ kind: 'list', column: tags, op: 'isEmpty', values: [false] })).toEqual(['a']);
    // A null list is neither empty nor not, and `not` of a condition on it matches it.
    expect(await keys({ kind: 'not', item: { kind: 'list', column: tags, op: 'contains', values: ['x'] } })).toEqual(['b', 'c']);
    const hostile = `x'] OR TRUE --`;
    expect(await keys({ kind: 'list', column: tags, op: 'containsAny', values: [hostile] })).toEqual([]);
  });

  it('filters a struct member on its path', async () => {
    expect(await keys({ kind: 'compare', column: country, op: 'eq', value: 'FR' })).toEqual(['b']);
    expect(await keys({ kind: 'isNull', column: country, isNull: true })).toEqual(['c']);
  });

  it('compares decimals exactly: 0.1 + 0.2 as text is 0.30, never a double', async () => {
    expect(await keys({ kind: 'compare', column: price, op: 'eq', value: '0.30' })).toEqual(['c']);
    expect(await keys({ kind: 'in', column: price, negated: false, values: ['0.10', '0.20'] })).toEqual(['a', 'b']);
    expect((await select([{ column: price, as: 'price' }]))[0]!.price).toBe('0.10');
  });

  it('masks a list element by element and a struct member by member, keeping the rest', async () => {
    const emails: Column = { name: 'emails', type: 'list', value: TAGS };
    const rows = await select([
      { column: emails, as: 'emails', mask: { name: 'email' } },
      { column: address, as: 'address', memberMasks: { 'address.street': { name: 'redact' } } },
    ]);
    expect(rows).toEqual([
      { k: 'a', emails: ['a***@example.com'], address: { street: '***', country: 'DE' } },
      { k: 'b', emails: [], address: { street: '***', country: 'FR' } },
      { k: 'c', emails: null, address: null },
    ]);
  });

  it('serves a Parquet type as a contract type only when no value is lost', () => {
    expect(isCompatibleType(TAGS, 'VARCHAR[]')).toBe(true);
    expect(isCompatibleType(TAGS, 'INTEGER[]')).toBe(false);
    expect(isCompatibleType(SIZES, 'VARCHAR')).toBe(false);
    expect(isCompatibleType(ADDRESS, 'STRUCT("street" VARCHAR, country VARCHAR)')).toBe(true);
    expect(isCompatibleType(ADDRESS, 'STRUCT(street VARCHAR)')).toBe(false);
    expect(isCompatibleType(ADDRESS, 'STRUCT(street INTEGER, country VARCHAR)')).toBe(false);
    expect(isCompatibleType(PRICE, 'DECIMAL(12,2)')).toBe(true);
    expect(isCompatibleType(PRICE, 'DECIMAL(10,1)')).toBe(true);
    expect(isCompatibleType(PRICE, 'DECIMAL(12,3)')).toBe(false);
    expect(isCompatibleType(PRICE, 'DECIMAL(18,2)')).toBe(false);
    expect(isCompatibleType('uuid', 'UUID')).toBe(true);
    expect(isCompatibleType('time', 'TIME')).toBe(true);
    expect(isCompatibleType('json', 'JSON')).toBe(true);
  });
});
