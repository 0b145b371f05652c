/**
 * The contract readers on lists, structs, decimals, UUIDs, times, JSON and enums: what each Avro
 * and ODCS spelling becomes in the contract model, what a mistake in a nested type is told as, and
 * the ODCS export of such a contract reading back into the same contract.
 */
import { contractFromAvro } from '../../schema/contract/fromAvro.js';
import { contractFromOdcs } from '../../schema/contract/fromOdcs.js';
import { toOdcs } from '../../schema/contract/toOdcs.js';
import { validateOdcs } from '../../schema/odcs/validateOdcs.js';
import type { Contract } from '../../schema/index.js';

const record = (fields: unknown[]): unknown => ({ type: 'record', name: 'Parcel', fields: [{ name: 'parcel_id', type: 'string', key: true, classification: 'none' }, ...fields] });
const field = (type: unknown, over: Record<string, unknown> = {}): Record<string, unknown> => ({ name: 'value', type, classification: 'none', ...over });

function avro(type: unknown, over: Record<string, unknown> = {}): Contract['fields'][number] {
  const r = contractFromAvro('p.avsc', record([field(type, over)]));
  if (r.errors) throw new Error(JSON.stringify(r.errors));
  return r.value.fields[1]!;
}

const problems = (type: unknown): unknown => contractFromAvro('p.avsc', record([field(type)])).errors;

describe('reading Avro value types', () => {
  it('reads an array as a list of its items, a nullable element as a nullable element', () => {
    expect(avro({ type: 'array', items: 'string' })).toMatchObject({ type: 'list', nullable: false, items: { type: 'string', nullable: false } });
    expect(avro(['null', { type: 'array', items: ['null', 'long'] }])).toMatchObject({ type: 'list', nullable: true, items: { type: 'bigint', nullable: true } });
  });

  it('reads a nested record as a struct whose members keep their own classification, and its name', () => {
    const f = avro({
      type: 'record',
      name: 'Address',
      fields: [
        { name: 'street', type: 'string', classification: 'address', doc: 'Street and number.' },
        { name: 'zip', type: ['null', 'int'], classification: 'none' },
      ],
    });
    expect(f).toMatchObject({
      type: 'struct',
      structName: 'Address',
      members: [
        { name: 'street', type: 'string', nullable: false, classification: 'address', description: 'Street and number.' },
        { name: 'zip', type: 'integer', nullable: true, classification: 'none' },
      ],
    });
  });

  it('reads decimals on bytes and fixed, uuid, time-millis and time-micros, json, and an enum with its name', () => {
    expect(avro({ type: 'bytes', logicalType: 'decimal', precision: 12, scale: 2 })).toMatchObject({ type: 'decimal', precision: 12, scale: 2 });
    expect(avro({ type: 'fixed', name: 'Money', size: 8, logicalType: 'decimal', precision: 18, scale: 4 })).toMatchObject({ type: 'decimal', precision: 18, scale: 4 });
    expect(avro({ type: 'string', logicalType: 'uuid' }).type).toBe('uuid');
    expect(avro({ type: 'int', logicalType: 'time-millis' }).type).toBe('time');
    expect(avro({ type: 'long', logicalType: 'time-micros' }).type).toBe('time');
    expect(avro({ type: 'string', logicalType: 'json' }).type).toBe('json');
    expect(avro({ type: 'enum', name: 'ParcelStatus', symbols: ['created', 'shipped'] })).toMatchObject({ type: 'string', enum: ['created', 'shipped'], enumName: 'ParcelStatus' });
  });

  it('says where in a nested type the problem is, and how to fix it', () => {
    expect(problems({ type: 'array', items: 'bytes' })).toEqual([{ file: 'p.avsc', path: 'fields[1].type.items', message: expect.stringContaining('not "bytes"') }]);
    expect(problems({ type: 'record', name: 'A', fields: [{ name: 'street', type: 'string' }] })).toEqual([
      { file: 'p.avsc', path: 'fields[1].type.fields[0].classification', message: expect.stringContaining('one of none') },
    ]);
    expect(problems({ type: 'bytes', logicalType: 'decimal', precision: 40, scale: 2 })).toEqual([
      { file: 'p.avsc', path: 'fields[1].type', message: expect.stringContaining('"precision" of 1 to 38') },
    ]);
    // A time on the wrong base type is not a time.
    expect(problems({ type: 'long', logicalType: 'time-millis' })).toHaveLength(1);
  });
});

describe('ODCS value types', () => {
  it('reads the export of a contract with every value type back into the same contract', () => {
    const r = contractFromAvro(
      'p.avsc',
      record([
        field({ type: 'array', items: 'int' }, { name: 'sizes' }),
        field({ type: 'array', items: 'string' }, { name: 'emails', classification: 'email' }),
        field(
          [
            'null',
            {
              type: 'record',
              name: 'Address',
              fields: [
                { name: 'street', type: 'string', classification: 'address' },
                { name: 'country', type: ['null', 'string'], classification: 'none' },
              ],
            },
          ],
          { name: 'address' },
        ),
        field({ type: 'bytes', logicalType: 'decimal', precision: 12, scale: 2 }, { name: 'price' }),
        field({ type: 'string', logicalType: 'uuid' }, { name: 'tracking' }),
        field({ type: 'long', logicalType: 'time-micros' }, { name: 'pickup' }),
        field(['null', { type: 'string', logicalType: 'json' }], { name: 'meta' }),
        field({ type: 'enum', name: 'ParcelStatus', symbols: ['created', 'shipped'] }, { name: 'status' }),
      ]),
    );
    if (r.errors) throw new Error(JSON.stringify(r.errors));
    const doc = toOdcs({ name: 'parcels', domain: 'parcels', owner: 'p@x.io', status: 'active', contract: r.value });
    // Valid under the official ODCS v3.0.2 schema, as the export must be.
    expect(validateOdcs('p.odcs.yaml', doc)).toEqual([]);
    const back = contractFromOdcs('p.odcs.yaml', JSON.parse(JSON.stringify(doc)));
    if (back.errors) throw new Error(JSON.stringify(back.errors));
    expect(back.value).toEqual(r.value);
  });

  it('reads a number with a precision in its logicalTypeOptions as a decimal', () => {
    const r = contractFromOdcs('p.odcs.yaml', {
      apiVersion: 'v3.0.2',
      kind: 'DataContract',
      version: '1.0.0',
      schema: [
        {
          name: 'Parcel',
          properties: [
            { name: 'parcel_id', logicalType: 'string', primaryKey: true, classification: 'none' },
            { name: 'price', logicalType: 'number', logicalTypeOptions: { precision: 10, scale: 3 }, classification: 'none' },
            { name: 'tags', logicalType: 'array', classification: 'none' },
          ],
        },
      ],
    });
    expect(r.errors).toEqual([{ file: 'p.odcs.yaml', path: 'schema[0].properties[2].items', message: 'expected an array with its "items"' }]);
  });
});
