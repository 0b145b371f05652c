/** Which operations are catalog reads, and which products a sample or profile in them reaches. */
import { buildSchema, parse, type OperationDefinitionNode } from 'graphql';
import { catalogScope } from '../../gateway/access/catalogScope.js';
import { fragmentsOf } from '../../schema/index.js';

const schema = buildSchema(`
  interface DataProduct { name: String! sample: [String] profile: Int }
  type CustomersDataProduct implements DataProduct { name: String! sample: [String] profile: Int }
  type LineageGraph { nodes: [String] }
  type Order { orderId: ID! sample: String }
  type Query { dataProducts(search: String): [DataProduct!]! dataProduct(name: String!): DataProduct lineage(product: String): LineageGraph! orders: [Order!]! }
`);

function scopeOf(text: string, variables: Record<string, unknown> = {}) {
  const doc = parse(text);
  const op = doc.definitions.find((d): d is OperationDefinitionNode => d.kind === 'OperationDefinition')!;
  return catalogScope(schema, op, { fragments: fragmentsOf(doc), variables });
}

test('an operation without a catalog root field is no catalog read, whatever its fields are called', () => {
  expect(scopeOf('{ orders { orderId sample } }')).toBeUndefined();
});

test('entries alone read no data; a sample or a profile does', () => {
  expect(scopeOf('{ dataProducts { name } }')).toEqual({ readsData: false });
  expect(scopeOf('{ dataProducts { sample } }')).toEqual({ readsData: true });
  expect(scopeOf('{ dataProducts { ... on CustomersDataProduct { profile } } }')).toEqual({ readsData: true });
  expect(scopeOf('{ lineage { nodes } }')).toEqual({ readsData: false });
});

test('dataProduct(name:) narrows the products read to the ones named, from literals and variables alike', () => {
  expect(scopeOf('{ a: dataProduct(name: "x") { sample } b: dataProduct(name: $n) { profile } }', { n: 'y' })).toEqual({ readsData: true, named: new Set(['x', 'y']) });
  // Any other way to an entry may reach every product.
  expect(scopeOf('{ dataProduct(name: "x") { sample } dataProducts { name } }')).toEqual({ readsData: true });
});

test('fragments are followed and skipped fields are not reads', () => {
  expect(scopeOf('query { dataProduct(name: "x") { ...F } } fragment F on DataProduct { sample }')).toEqual({ readsData: true, named: new Set(['x']) });
  expect(scopeOf('query($s: Boolean!) { dataProduct(name: "x") { name sample @skip(if: $s) } }', { s: true })).toEqual({ readsData: false, named: new Set(['x']) });
  expect(scopeOf('query($s: Boolean!) { dataProducts @include(if: $s) { sample } }', { s: false })).toBeUndefined();
});
