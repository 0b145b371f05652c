/**
 * `meshgate init` from the outside: a Parquet file written by a plain DuckDB statement is scaffolded
 * into a descriptor and contract, `meshgate check` refuses it until each guess is confirmed, passes
 * after, and the file then publishes and is served; an Avro schema scaffolds too. Sampled values
 * never appear in what init prints or writes.
 */
import { DuckDBInstance } from '@duckdb/node-api';
import { mkdir, mkdtemp, readFile, writeFile, copyFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from '../../cli/config.js';
import { guessClassification, luhn } from '../../cli/onboarding/guessClassification.js';
import type { Finding } from '../../policies/governance/index.js';
import { cli } from '../support/cli.js';
import { startTestMesh, testStateDir } from '../support/startTestMesh.js';

const ROWS = 20;
let dir: string;
let parquet: string;
let nested: string;
let env: Record<string, string>;
/** The Parquet's rows, read back by a plain DuckDB statement (not meshgate's SQL). */
let rows: Record<string, unknown>[];

/** Runs plain DuckDB statements; resolves to the last one's rows. */
async function duck(...statements: string[]): Promise<Record<string, unknown>[]> {
  const instance = await DuckDBInstance.create(':memory:');
  const c = await instance.connect();
  let last: Record<string, unknown>[] = [];
  for (const s of statements) last = (await c.runAndReadAll(s)).getRowObjectsJson() as Record<string, unknown>[];
  c.closeSync();
  instance.closeSync();
  return last;
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'meshgate-init-'));
  parquet = path.join(dir, 'drop/touch_points.parquet');
  nested = path.join(dir, 'nested/shipments.parquet');
  await mkdir(path.dirname(parquet), { recursive: true });
  await mkdir(path.dirname(nested), { recursive: true });
  await duck(`COPY (
    SELECT 'S' || (i % 5) AS session_id,
           'T' || lpad(CAST(i AS VARCHAR), 4, '0') AS touch_id,
           'person' || i || '@example.com' AS contact,
           '+49 30 ' || (1000000 + i) AS mobile,
           '4111111111111111' AS card,
           '10.0.0.' || i AS client_ip,
           CASE WHEN i % 3 = 0 THEN NULL ELSE 'web' END AS channel,
           i * 1.5 AS amount,
           CAST(i AS INTEGER) AS visits,
           i % 2 = 0 AS converted,
           DATE '2026-01-01' + CAST(i AS INTEGER) AS touch_day,
           TIMESTAMP '2026-01-01 10:00:00' + INTERVAL (i) MINUTE AS touched_at
    FROM range(${ROWS}) t(i)) TO '${parquet}' (FORMAT parquet)`);
  await duck(`COPY (
    SELECT [i, i + 1] AS line_numbers, {'street': 'Main St ' || i, 'city': 'Berlin'} AS ship_to,
           CAST(i AS DECIMAL(12,2)) AS weight, uuid() AS parcel, TIME '10:00:00' AS cut_off,
           '{"a":1}'::JSON AS extra, TIMESTAMP '2026-01-01 10:00:00' AS shipped_at,
           ['a' || i || '@example.com', 'b' || i || '@example.com'] AS notify
    FROM range(3) t(i)) TO '${nested}' (FORMAT parquet)`);
  rows = await duck(`SELECT * FROM read_parquet('${parquet}') ORDER BY touch_id`);
  env = {
    MESHGATE_SUBGRAPHS_DIR: path.join(dir, 'subgraphs'),
    MESHGATE_DATA_DIR: path.join(dir, 'data'),
    MESHGATE_STATE_DIR: await testStateDir(),
    MESHGATE_POLICY_FILE: path.join(REPO_ROOT, 'policies/access.yaml'),
  };
  await mkdir(env.MESHGATE_SUBGRAPHS_DIR!, { recursive: true });
  await mkdir(env.MESHGATE_DATA_DIR!, { recursive: true });
});

const contractFile = () => path.join(dir, 'subgraphs/marketing/schemas/touch-points-v1.avsc');
const descriptorFile = () => path.join(dir, 'subgraphs/marketing/data-product.yaml');
type Field = { name: string; type: unknown; key?: boolean; classification: string; classificationGuessed?: string; keyGuessed?: string };

describe('meshgate init from Parquet, to a served product', () => {
  let run: { code: number; stdout: string; stderr: string };
  let contract: { name: string; fields: Field[]; order?: unknown };

  beforeAll(async () => {
    run = await cli(['init', 'marketing', '--from', parquet], env);
    contract = JSON.parse(await readFile(contractFile(), 'utf8')) as typeof contract;
  });

  it('writes the descriptor and the contract, listed on stdout', () => {
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(`${descriptorFile()}\n${contractFile()}\n`);
    expect(run.stderr).toMatch(/^meshgate init: scaffolded touch-points \(12 columns, 20 rows read\) with 13 guesses to confirm/);
  });

  it('scaffolds a descriptor with an owner placeholder, the output, the SLA baseline and a manual schedule', async () => {
    const text = await readFile(descriptorFile(), 'utf8');
    expect(text).toContain('owner: TODO-owning-team');
    expect(text).toContain('schedule: manual');
    expect(text).toContain('freshness: 24h');
    expect(text).toContain('schema: schemas/touch-points-v1.avsc');
    expect(text).toContain('meshgate publish touch-points --from DIR');
  });

  it('infers the types, with null only where the file holds nulls', () => {
    const types = Object.fromEntries(contract.fields.map((f) => [f.name, f.type]));
    expect(contract.name).toBe('TouchPoint');
    expect(types).toEqual({
      session_id: 'string',
      touch_id: 'string',
      contact: 'string',
      mobile: 'string',
      card: 'string',
      client_ip: 'string',
      channel: ['null', 'string'],
      amount: { type: 'bytes', logicalType: 'decimal', precision: expect.any(Number), scale: 1 },
      visits: 'int',
      converted: 'boolean',
      touch_day: { type: 'int', logicalType: 'date' },
      touched_at: { type: 'long', logicalType: 'timestamp-micros' },
    });
  });

  it('guesses classifications from names and sampled values, each flagged with why', () => {
    const guessed = Object.fromEntries(contract.fields.map((f) => [f.name, [f.classification, f.classificationGuessed]]));
    expect(guessed.contact).toEqual(['email', 'email: 20 of 20 sampled values look like email addresses']);
    expect(guessed.mobile).toEqual(['phone', 'phone: 20 of 20 sampled values look like phone numbers']);
    expect(luhn('4111111111111111')).toBe(true);
    expect(guessed.card).toEqual(['pan', 'pan: 20 of 20 sampled values look like card numbers (they pass the Luhn check)']);
    expect(guessed.client_ip).toEqual(['ip-address', 'ip-address: 20 of 20 sampled values look like IP addresses']);
    // "none" is a guess too, and flagged like the others.
    expect(guessed.channel![0]).toBe('none');
    expect(guessed.channel![1]).toMatch(/^none: .*13 sampled values/);
    expect(contract.fields.every((f) => typeof f.classificationGuessed === 'string')).toBe(true);
  });

  it('guesses the key among unique non-null id columns, verified on the data and flagged', () => {
    const keys = contract.fields.filter((f) => f.key);
    expect(keys.map((f) => f.name)).toEqual(['touch_id']);
    expect(keys[0]!.keyGuessed).toBe('touch_id: named like an identifier, and unique and never null in all 20 rows of the file');
    expect(contract.order).toBeUndefined();
  });

  it('never prints nor writes a sampled value', async () => {
    const written = `${run.stdout}${run.stderr}${await readFile(contractFile(), 'utf8')}${await readFile(descriptorFile(), 'utf8')}`;
    for (const row of rows) for (const column of ['contact', 'mobile', 'client_ip']) expect(written).not.toContain(String(row[column]));
    expect(written).not.toContain('4111111111111111');
  });

  it('check refuses the scaffold while guesses are unconfirmed, naming each, and passes once they are', async () => {
    const refused = await cli(['check', '--json'], env);
    expect(refused.code).toBe(1);
    const findings = (JSON.parse(refused.stdout) as { findings: Finding[] }).findings;
    const guesses = findings.filter((f) => f.rule === 'guesses-confirmed');
    expect(guesses).toHaveLength(13);
    const contact = guesses.find((f) => f.field === 'contact')!;
    expect(contact.message).toMatch(/^fields\[2\] contact: guessed by meshgate init \(email: 20 of 20 sampled values look like email addresses\): confirm the classification/);
    expect(contact.fix).toBe('Check the guess against the data, correct it if it is wrong, then delete "classificationGuessed" from the contract.');
    expect(guesses.find((f) => f.field === 'touch_id' && /keyGuessed/.test(f.fix))).toBeDefined();
    expect(findings.find((f) => f.rule === 'product-has-owner')?.message).toMatch(/owner "TODO-owning-team" cannot be reached/);

    // A person confirms each guess (deleting its mark) and sets the owner.
    const confirmed = { ...contract, fields: contract.fields.map(({ classificationGuessed: _c, keyGuessed: _k, ...f }) => f) };
    await writeFile(contractFile(), JSON.stringify(confirmed, null, 2));
    await writeFile(descriptorFile(), (await readFile(descriptorFile(), 'utf8')).replace('owner: TODO-owning-team', 'owner: marketing-data@company.com'));
    const passed = await cli(['check'], env);
    expect(passed).toEqual({ code: 0, stdout: '', stderr: '0 violations, 0 warnings in 1 product\n' });
  });

  it('publishes the Parquet and serves it', async () => {
    const published = await cli(['publish', 'touch-points', '--from', path.dirname(parquet)], env);
    expect(published.code).toBe(0);
    expect(published.stdout).toMatch(/^published touch-points v\d+/);
    const mesh = await startTestMesh({ subgraphsDir: env.MESHGATE_SUBGRAPHS_DIR!, dataRoot: env.MESHGATE_DATA_DIR!, buildTimers: false });
    try {
      const owner = await mesh.token({ roles: ['marketing-owner'] });
      const r = await mesh.query<{ touchPoints: Record<string, unknown>[] }>(
        '{ touchPoints(orderBy: [{ touchId: ASC }], limit: 100) { touchId contact visits converted channel } }',
        {},
        { authorization: `Bearer ${owner}` },
      );
      expect(r.errors).toBeUndefined();
      expect(r.data!.touchPoints).toEqual(rows.map((row) => ({ touchId: row.touch_id, contact: row.contact, visits: row.visits, converted: row.converted, channel: row.channel })));
      // The guessed-then-confirmed classification masks as any other: an analyst sees no address.
      const analyst = await mesh.token({ roles: ['analyst'] });
      const masked = await mesh.query<{ touchPoints: { contact: string }[] }>('{ touchPoints(limit: 100) { contact } }', {}, { authorization: `Bearer ${analyst}` });
      expect(masked.errors).toBeUndefined();
      const raw = new Set(rows.map((row) => row.contact));
      expect(masked.data!.touchPoints.filter((t) => raw.has(t.contact))).toEqual([]);
    } finally {
      await mesh.close();
    }
  }, 60_000);
});

describe('meshgate init of nested types', () => {
  it('scaffolds lists, structs, decimals, UUID, TIME and JSON in the agreed Avro syntax, keyless with a flagged order', async () => {
    const out = path.join(dir, 'nested-out');
    const run = await cli(['init', 'logistics', '--from', nested, '--out', out], env);
    expect(run.code).toBe(0);
    const c = JSON.parse(await readFile(path.join(out, 'logistics/schemas/shipments-v1.avsc'), 'utf8')) as { name: string; order: string[]; orderGuessed: string; fields: Field[] };
    const types = Object.fromEntries(c.fields.map((f) => [f.name, f.type]));
    expect(c.name).toBe('Shipment');
    expect(types.line_numbers).toEqual({ type: 'array', items: 'long' });
    expect(types.ship_to).toEqual({
      type: 'record',
      name: 'ShipTo',
      fields: [
        { name: 'street', type: 'string', classification: 'address', classificationGuessed: 'address: the column name "street" suggests postal addresses' },
        { name: 'city', type: 'string', classification: 'none', classificationGuessed: expect.stringMatching(/^none: /) },
      ],
    });
    expect(types.weight).toEqual({ type: 'bytes', logicalType: 'decimal', precision: 12, scale: 2 });
    expect(types.parcel).toEqual({ type: 'string', logicalType: 'uuid' });
    expect(types.cut_off).toEqual({ type: 'long', logicalType: 'time-micros' });
    expect(types.extra).toEqual({ type: 'string', logicalType: 'json' });
    // A list's classification applies to each element: the elements are sampled.
    const notify = c.fields.find((f) => f.name === 'notify')!;
    expect(notify).toMatchObject({
      type: { type: 'array', items: 'string' },
      classification: 'email',
      classificationGuessed: 'email: 6 of 6 sampled values look like email addresses',
    });
    expect(c.fields.some((f) => f.key)).toBe(false);
    expect(c.order[0]).toBe('shipped_at');
    expect(c.orderGuessed).toMatch(/^no column is a unique, never-null identifier, so the product is keyless/);
  });
});

describe('meshgate init from an Avro schema', () => {
  it('keeps its types and declared attributes, guesses the rest from names, and check refuses until confirmed', async () => {
    const avsc = path.join(dir, 'avro/leads.avsc');
    await mkdir(path.dirname(avsc), { recursive: true });
    await writeFile(
      avsc,
      JSON.stringify({
        type: 'record',
        name: 'Lead',
        doc: 'One sales lead.',
        fields: [
          { name: 'lead_id', type: 'string', doc: 'The lead.' },
          { name: 'email_address', type: ['null', 'string'] },
          { name: 'score', type: 'double', classification: 'none' },
          { name: 'created_at', type: { type: 'long', logicalType: 'timestamp-micros' } },
        ],
      }),
    );
    const out = path.join(dir, 'avro-out');
    const run = await cli(['init', 'sales', '--from', avsc, '--out', out], env);
    expect(run.code).toBe(0);
    const file = path.join(out, 'sales/schemas/leads-v1.avsc');
    const c = JSON.parse(await readFile(file, 'utf8')) as { name: string; doc: string; fields: Field[] };
    expect(c.name).toBe('Lead');
    expect(c.doc).toBe('One sales lead.');
    expect(c.fields).toEqual([
      {
        name: 'lead_id',
        type: 'string',
        doc: 'The lead.',
        key: true,
        keyGuessed: 'lead_id: named like an identifier; its uniqueness is not verified (no data was read)',
        classification: 'none',
        classificationGuessed: expect.stringMatching(/^none: /),
      },
      { name: 'email_address', type: ['null', 'string'], classification: 'email', classificationGuessed: 'email: the column name "email_address" suggests email addresses' },
      // Declared already: kept, not guessed.
      { name: 'score', type: 'double', classification: 'none' },
      { name: 'created_at', type: { type: 'long', logicalType: 'timestamp-micros' }, classification: 'none', classificationGuessed: expect.stringMatching(/^none: /) },
    ]);
    const check = await cli(['check', '--json'], { ...env, MESHGATE_SUBGRAPHS_DIR: out });
    expect(check.code).toBe(1);
    const findings = (JSON.parse(check.stdout) as { findings: Finding[] }).findings;
    expect(findings.filter((f) => f.rule === 'guesses-confirmed').map((f) => f.field)).toEqual(['lead_id', 'lead_id', 'email_address', 'created_at']);
    const confirmed = { ...c, fields: c.fields.map(({ classificationGuessed: _c, keyGuessed: _k, ...f }) => f) };
    await writeFile(file, JSON.stringify(confirmed));
    const descriptor = path.join(out, 'sales/data-product.yaml');
    await writeFile(descriptor, (await readFile(descriptor, 'utf8')).replace('owner: TODO-owning-team', 'owner: "@sales-data"'));
    expect((await cli(['check'], { ...env, MESHGATE_SUBGRAPHS_DIR: out })).code).toBe(0);
  });
});

describe('meshgate init misuse', () => {
  it('prints its help', async () => {
    const run = await cli(['init', '--help'], env);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Usage: meshgate init DOMAIN --from FILE.parquet\|FILE.avsc/);
  });

  it.each([
    [['init', '--from', 'x.parquet'], /expected the DOMAIN/],
    [['init', 'marketing'], /--from FILE is required/],
    [['init', 'marketing', '--from', 'x.csv'], /--from expects a .parquet file or an .avsc Avro schema/],
    [['init', 'Marketing', '--from', 'x.parquet'], /DOMAIN must be a kebab-case name/],
    [['init', 'marketing', '--from', 'x.parquet', '--name', 'Bad_Name'], /--name must be a kebab-case product name/],
    [['init', 'marketing', '--from', 'x.parquet', '--what'], /Unknown option '--what'/],
  ])('%j is a usage error (exit 2)', async (args, message) => {
    const run = await cli(args, env);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(message);
  });

  it('refuses a missing file, and files that exist unless --force', async () => {
    expect((await cli(['init', 'marketing', '--from', path.join(dir, 'nope.parquet')], env)).code).toBe(1);
    const out = path.join(dir, 'force-out');
    const copy = path.join(dir, 'drop2/touch_points.parquet');
    await mkdir(path.dirname(copy), { recursive: true });
    await copyFile(parquet, copy);
    expect((await cli(['init', 'marketing', '--from', copy, '--out', out], env)).code).toBe(0);
    const again = await cli(['init', 'marketing', '--from', copy, '--out', out], env);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/already exist: pass --force to overwrite/);
    expect((await cli(['init', 'marketing', '--from', copy, '--out', out, '--force'], env)).code).toBe(0);
  });

  it('refuses a file that is not Parquet, with exit 1', async () => {
    const bad = path.join(dir, 'drop3/bad.parquet');
    await mkdir(path.dirname(bad), { recursive: true });
    await writeFile(bad, 'not parquet');
    const run = await cli(['init', 'marketing', '--from', bad, '--out', path.join(dir, 'bad-out')], env);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/cannot read .* as Parquet/);
  });
});

describe('classification guesses', () => {
  it('takes a card number only when it passes the Luhn check', () => {
    expect(guessClassification('ref', ['4111111111111111', '5500005555555559']).classification).toBe('pan');
    expect(guessClassification('ref', ['4111111111111112', '5500005555555550']).classification).toBe('none');
  });

  it('does not take plain numbers for phone numbers, nor most-but-not-enough matches for a class', () => {
    expect(guessClassification('code', ['1234567', '7654321']).classification).toBe('none');
    const mixed = ['a@example.com', 'b@example.com', 'not an address', 'neither', 'nor this'];
    expect(guessClassification('contact', mixed)).toEqual({
      classification: 'none',
      reason: 'none: the column name "contact" suggests no personal data, but 2 of 5 sampled values look like email addresses (too few to guess email); check it is not PII',
    });
  });

  it('guesses from names where values say nothing', () => {
    expect(guessClassification('date_of_birth', undefined).classification).toBe('date-of-birth');
    expect(guessClassification('first_name', undefined).classification).toBe('name');
    expect(guessClassification('product_name', undefined).classification).toBe('none');
    expect(guessClassification('billing_address', undefined).classification).toBe('address');
  });
});
