import { buildSchema, execute, parse, print, type GraphQLResolveInfo } from 'graphql';
import { selectedAt, selectedFields, type Selection } from '../../../subgraphs/runtime/graphql/selection.js';

const schema = buildSchema(`
  type Query { orders: [Order!]! ordersConnection: OrderConnection! entities: [Entity!]! }
  union Entity = Order | Customer
  type Order { orderId: ID! total: Float status: String customer: Customer }
  type Customer { customerId: ID! name: String }
  type OrderConnection { totalCount: Int! pageInfo: PageInfo! edges: [OrderEdge!]! }
  type OrderEdge { cursor: String! node: Order! }
  type PageInfo { hasNextPage: Boolean! }
`);

/** Executes `query` and returns the GraphQLResolveInfo the root field's resolver received. */
async function infoOf(query: string, variableValues: Record<string, unknown> = {}): Promise<GraphQLResolveInfo> {
  let captured: GraphQLResolveInfo | undefined;
  const capture = (_a: unknown, _b: unknown, info: GraphQLResolveInfo): never[] | null => {
    captured = info;
    return info.fieldName === 'ordersConnection' ? null : [];
  };
  const rootValue = { orders: capture, ordersConnection: capture, entities: capture };
  const result = await execute({ schema, document: parse(query), rootValue, variableValues });
  if (!captured) throw new Error(`the resolver was not called: ${JSON.stringify(result.errors)}`);
  return captured;
}

const names = (s: Selection): string[] => [...s.keys()];

describe('the fields selected below a field', () => {
  it('lists the selected fields by name, through inline fragments and spreads', async () => {
    const info = await infoOf('{ orders { orderId ... on Order { total } ...F } } fragment F on Order { status customer { name } }');
    expect(names(selectedFields(info, 'Order'))).toEqual(['orderId', 'total', 'status', 'customer']);
  });

  it('keeps the sub-selections of a field, for following it further', async () => {
    const info = await infoOf('{ orders { customer { name } ...F } } fragment F on Order { customer { customerId } }');
    expect(
      selectedFields(info, 'Order')
        .get('customer')!
        .map((s) => print(s).replace(/\s+/g, ' ')),
    ).toEqual(['{ name }', '{ customerId }']);
  });

  it('lists a field selected under two aliases once', async () => {
    const info = await infoOf('{ orders { a: total b: total } }');
    expect(names(selectedFields(info, 'Order'))).toEqual(['total']);
  });

  it('merges the selections of a field written twice', async () => {
    const info = await infoOf('{ orders { orderId } orders { total } }');
    expect(names(selectedFields(info, 'Order'))).toEqual(['orderId', 'total']);
  });

  it('leaves out what @skip and @include exclude, by literal or variable', async () => {
    const q = 'query($hide: Boolean!) { orders { orderId total @skip(if: $hide) status @include(if: false) ...F @skip(if: true) } } fragment F on Order { customer { name } }';
    expect(names(selectedFields(await infoOf(q, { hide: true }), 'Order'))).toEqual(['orderId']);
    expect(names(selectedFields(await infoOf(q, { hide: false }), 'Order'))).toEqual(['orderId', 'total']);
  });

  it('selects only the fields of fragments on the type asked for', async () => {
    const info = await infoOf('{ entities { __typename ... on Order { total } ... on Customer { name } ...C } } fragment C on Customer { customerId }');
    expect(names(selectedFields(info, 'Order'))).toEqual(['__typename', 'total']);
    expect(names(selectedFields(info, 'Customer'))).toEqual(['__typename', 'name', 'customerId']);
  });
});

describe('the fields selected along a path', () => {
  it("finds what a connection's nodes select, through fragments on the way", async () => {
    const q = '{ ordersConnection { totalCount ...Page } } fragment Page on OrderConnection { edges { cursor node { orderId ...N } } } fragment N on Order { total }';
    const info = await infoOf(q);
    expect(names(selectedFields(info, 'OrderConnection'))).toEqual(['totalCount', 'edges']);
    expect(names(selectedAt(info, ['edges', 'node'], 'Order'))).toEqual(['orderId', 'total']);
  });

  it('merges every place the path is written', async () => {
    const info = await infoOf('{ ordersConnection { edges { node { orderId } } e: edges { node { status } } } }');
    expect(names(selectedAt(info, ['edges', 'node'], 'Order'))).toEqual(['orderId', 'status']);
  });

  it('finds nothing along a path that @skip leaves out', async () => {
    const info = await infoOf('query($s: Boolean!) { ordersConnection { totalCount edges @skip(if: $s) { node { orderId } } } }', { s: true });
    expect(names(selectedAt(info, ['edges', 'node'], 'Order'))).toEqual([]);
    expect(names(selectedFields(info, 'OrderConnection'))).toEqual(['totalCount']);
  });

  it('finds nothing along a path that is not selected', async () => {
    const info = await infoOf('{ ordersConnection { totalCount } }');
    expect(selectedAt(info, ['edges', 'node'], 'Order').size).toBe(0);
  });
});
