import { buildSchema, Kind, parse, type OperationDefinitionNode } from 'graphql';
import { estimateRows } from '../../gateway/limits/estimateRows.js';
import { fragmentsOf } from '../../schema/index.js';

const schema = buildSchema(`
  type Query { orders(limit: Int = 100): [Order!]! ordersConnection(first: Int = 100): OrderConnection! order(id: ID!): Order }
  type Order { id: ID! customer: Customer payments(limit: Int = 100): [Payment!]! }
  type Customer { id: ID! orders(limit: Int = 100): [Order!]! }
  type Payment { id: ID! }
  type OrderConnection { totalCount: Int! edges: [OrderEdge!]! }
  type OrderEdge { node: Order! }
`);

function rows(query: string, variables: Record<string, unknown> = {}): number {
  const doc = parse(query);
  const op = doc.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)!;
  return estimateRows(schema, op, { fragments: fragmentsOf(doc), variables });
}

describe('estimating the rows an operation could return', () => {
  it('counts a page by its limit, or the default limit', () => {
    expect(rows('{ orders(limit: 7) { id } }')).toBe(7);
    expect(rows('{ orders { id } }')).toBe(100);
  });

  it('multiplies nested pages along their path', () => {
    expect(rows('{ orders(limit: 10) { customer { orders(limit: 5) { payments(limit: 2) { id } } } } }')).toBe(10 + 50 + 100);
  });

  it('counts a connection by first, and not again for its edges', () => {
    expect(rows('{ ordersConnection(first: 20) { edges { node { payments(limit: 3) { id } } } } }')).toBe(20 + 60);
  });

  it('reads page sizes from variables and follows fragments', () => {
    expect(rows('query($n: Int) { orders(limit: $n) { ...F } } fragment F on Order { payments(limit: 4) { id } }', { n: 50 })).toBe(50 + 200);
  });

  it('counts a single object as no rows', () => {
    expect(rows('{ order(id: "1") { id customer { id } } }')).toBe(0);
  });
});
