/**
 * The gateway's access analysis on struct types: a member selected is a read of the struct's
 * column (its masks, refusals and the access log's fields_read are the column's), and a filter on a
 * member reveals that member by its path, which is what masks name.
 */
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { GraphQLSchema } from 'graphql';
import { ProductIndex } from '../../gateway/access/ProductIndex.js';
import { loadMesh, meshShapes } from '../../schema/index.js';
import { plainUsage, usageOf } from '../support/operationUsage.js';
import { sampleApiSchema } from '../support/sampleMesh.js';

const CONTRACT = {
  type: 'record',
  name: 'Parcel',
  fields: [
    { name: 'parcel_id', type: 'string', key: true, classification: 'none' },
    { name: 'tags', type: { type: 'array', items: 'string' }, classification: 'none' },
    {
      name: 'sender',
      type: {
        type: 'record',
        name: 'Party',
        fields: [
          { name: 'full_name', type: 'string', classification: 'name' },
          { name: 'home', type: { type: 'record', name: 'Place', fields: [{ name: 'country', type: 'string', classification: 'none' }] }, classification: 'none' },
        ],
      },
      classification: 'none',
    },
  ],
};

let schema: GraphQLSchema;
let index: ProductIndex;
beforeAll(async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'meshgate-struct-access-'));
  await mkdir(path.join(dir, 'parcels', 'schemas'), { recursive: true });
  await writeFile(
    path.join(dir, 'parcels', 'data-product.yaml'),
    'name: parcels\ndomain: parcels\nowner: p@company.com\noutputs:\n  - { name: parcels-v1, format: parquet, location: parcels/, schema: schemas/parcels.avsc }\n',
  );
  await writeFile(path.join(dir, 'parcels', 'schemas', 'parcels.avsc'), JSON.stringify(CONTRACT));
  const mesh = await loadMesh(dir, { dataRoot: '/data' });
  expect(mesh.problems).toEqual([]);
  schema = sampleApiSchema(mesh);
  index = new ProductIndex(meshShapes(mesh));
});

const usage = (query: string, variables?: Record<string, unknown>): ReturnType<typeof plainUsage> => plainUsage(usageOf(schema, index, query, variables));

describe('access analysis of structs', () => {
  it('names nested struct types after the product, and reads their members as the column', () => {
    expect(schema.getType('ParcelParty')).toBeDefined();
    expect(schema.getType('ParcelPartyPlace')).toBeDefined();
    expect(usage('{ parcels { sender { fullName home { country } } } }')).toEqual({ parcels: { selected: ['sender'], revealed: {} } });
    expect(usage('{ parcels { ...S } } fragment S on Parcel { sender { ... on ParcelParty { fullName } } }')).toEqual({ parcels: { selected: ['sender'], revealed: {} } });
  });

  it('reveals each member a filter names, by its path, through and/or/not and variables', () => {
    expect(usage('{ parcels(where: { sender: { fullName: { eq: "x" } } }) { parcelId } }')).toEqual({
      parcels: { selected: ['parcel_id'], revealed: { 'sender.full_name': 'filter' } },
    });
    expect(usage('query($w: ParcelWhere!) { parcels(where: { or: [$w] }) { parcelId } }', { w: { sender: { home: { country: { eq: 'DE' } } } } })).toEqual({
      parcels: { selected: ['parcel_id'], revealed: { 'sender.home.country': 'filter' } },
    });
    // Whether the struct is there at all reveals the struct's path, not its members'.
    expect(usage('{ parcels(where: { sender: { isNull: true } }) { parcelId } }')).toEqual({ parcels: { selected: ['parcel_id'], revealed: { sender: 'filter' } } });
    expect(usage('{ parcels(where: { not: { tags: { contains: "x" } } }) { parcelId } }')).toEqual({ parcels: { selected: ['parcel_id'], revealed: { tags: 'filter' } } });
  });
});
