/** Which operations are catalog reads, and whose data a sample or profile in them may read. */
import { buildSchema, parse, type OperationDefinitionNode } from 'graphql';
import { catalogScope } from '../../gateway/access/catalogScope.js';
import { fragmentsOf } from '../../schema/index.js';

const schema = buildSchema(`
  interface DataProduct { name: String! sample: [String] profile: Int }
  type CustomersDataProduct implements DataProduct { name: String! sample: [String] profile: Int }
  type PaymentsDataProduct implements DataProduct { name: String! sample: [String] profile: Int }
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

test('entries and lineage alone read no data; a sample or a profile does', () => {
  expect(scopeOf('{ dataProducts { name } }')).toEqual({ reads: [] });
  expect(scopeOf('{ lineage { nodes } }')).toEqual({ reads: [] });
  expect(scopeOf('{ dataProducts { sample } }')).toEqual({ reads: [{}] });
});

test('a read is narrowed to the product dataProduct(name:) names, from a literal or a variable, and only under that field', () => {
  expect(scopeOf('{ a: dataProduct(name: "x") { sample } b: dataProduct(name: $n) { profile } }', { n: 'y' })).toEqual({ reads: [{ product: 'x' }, { product: 'y' }] });
  // Another entry that reads nothing adds nothing: only the product whose data is asked for is read.
  expect(scopeOf('{ a: dataProduct(name: "payments") { name } b: dataProduct(name: "customer-profiles") { profile } }')).toEqual({ reads: [{ product: 'customer-profiles' }] });
  expect(scopeOf('{ dataProduct(name: "x") { sample } dataProducts { name } }')).toEqual({ reads: [{ product: 'x' }] });
});

test("a read in a fragment on one domain's entity type is narrowed to that type", () => {
  expect(scopeOf('{ dataProducts { name ... on CustomersDataProduct { sample } } }')).toEqual({ reads: [{ entityType: 'CustomersDataProduct' }] });
  expect(scopeOf('{ dataProducts { ...P } } fragment P on PaymentsDataProduct { profile }')).toEqual({ reads: [{ entityType: 'PaymentsDataProduct' }] });
});

test('fragments are followed and skipped fields are not reads', () => {
  expect(scopeOf('query { dataProduct(name: "x") { ...F } } fragment F on DataProduct { sample }')).toEqual({ reads: [{ product: 'x' }] });
  expect(scopeOf('query($s: Boolean!) { dataProduct(name: "x") { name sample @skip(if: $s) } }', { s: true })).toEqual({ reads: [] });
  expect(scopeOf('query($s: Boolean!) { dataProducts @include(if: $s) { sample } }', { s: false })).toBeUndefined();
  expect(scopeOf('query { ... on Query { dataProduct(name: "x") { profile } } }')).toEqual({ reads: [{ product: 'x' }] });
});
