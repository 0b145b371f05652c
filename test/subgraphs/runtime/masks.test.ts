import { Database } from '../../../subgraphs/runtime/index.js';
import { buildSelect, type Selected } from '../../../subgraphs/runtime/sql/index.js';
import type { MaskName } from '../../../policies/index.js';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

// Each mask's SQL, run on DuckDB over one row, against the value the policy documentation promises.
describe('the masks in SQL', () => {
  let db: Database;
  beforeAll(async () => {
    db = await Database.open({ dataDirs: [mkdtempSync(path.join(tmpdir(), 'meshgate-masks-'))] });
    await db.exec(`CREATE TABLE t AS SELECT 'k1' AS k, 'Jane O''Brien' AS name, 'jane.obrien@example.com' AS email, '+491701234567' AS phone,
      DATE '1984-07-19' AS born, TIMESTAMP '2026-03-04 05:06:07' AS ts, 1234.5::DOUBLE AS amount, 98765::BIGINT AS cents, NULL::VARCHAR AS missing`);
  });
  afterAll(() => db.close());

  async function masked(column: string, type: Selected['column']['type'], mask: MaskName): Promise<unknown> {
    const key = { name: 'k', type: 'string' as const };
    const q = buildSelect(
      {
        table: 't',
        columns: [{ column: { name: column, type }, as: 'v', mask: { name: mask, key: 'a-secret-of-at-least-32-bytes!!!' } }],
        where: { kind: 'and', items: [] },
        orderBy: [],
        order: [key],
      },
      1,
      0,
    );
    return (await db.query(q))[0]!.v;
  }

  it.each([
    ['name', 'string', 'redact', '***'],
    ['email', 'string', 'email', 'j***@example.com'],
    ['phone', 'string', 'last4', '*********4567'],
    ['born', 'date', 'year', '1984-01-01'],
    ['ts', 'timestamp', 'year', '2026-01-01 00:00:00'],
    ['amount', 'double', 'round', 1200],
    ['cents', 'bigint', 'round', '98800'],
    ['name', 'string', 'null', null],
    ['missing', 'string', 'redact', null],
    ['missing', 'string', 'email', null],
  ] as const)('reads %s (%s) through the %s mask as %p', async (column, type, mask, expected) => {
    expect(await masked(column, type, mask)).toEqual(expected);
  });

  it('hashes with the key: stable, 16 hex characters, never the value', async () => {
    const a = await masked('email', 'string', 'hash');
    expect(a).toMatch(/^[0-9a-f]{16}$/);
    expect(await masked('email', 'string', 'hash')).toBe(a);
  });
});
