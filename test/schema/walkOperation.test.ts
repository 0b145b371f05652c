import { buildSchema, Kind, parse, validate, type FieldNode, type FragmentDefinitionNode, type OperationDefinitionNode, type SelectionSetNode } from 'graphql';
import { BadUserInputError, collectFields, fieldArguments, fragmentsOf, isIncluded, walkOperation, type WalkedField, type WalkScope } from '../../schema/index.js';

const schema = buildSchema(`
  type Query { orders(limit: Int = 100, status: String): [Order!]! order(id: ID!): Order entities: [Entity!]! a: A }
  union Entity = Order | Customer
  type Order { id: ID! total: Float status: String customer: Customer }
  type Customer { id: ID! name: String orders(limit: Int = 10): [Order!]! }
  type A { x: Int a: A }
`);

interface Parsed {
  readonly operation: OperationDefinitionNode;
  readonly scope: WalkScope;
}

function parsed(query: string, variables: Record<string, unknown> = {}): Parsed {
  const doc = parse(query);
  const operation = doc.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)!;
  return { operation, scope: { fragments: fragmentsOf(doc), variables } };
}

/** The selection set of the operation's first root field. */
const belowRoot = (p: Parsed): SelectionSetNode => (p.operation.selectionSet.selections[0] as FieldNode).selectionSet!;

/** What collectFields selects below the first root field, as `on.name` (aliases as `alias:name`). */
function collected(query: string, typeName: string, exact: boolean, variables: Record<string, unknown> = {}): string[] {
  const p = parsed(query, variables);
  return collectFields([belowRoot(p)], typeName, p.scope, exact).map(({ node, on }) => `${on}.${node.alias ? `${node.alias.value}:` : ''}${node.name.value}`);
}

/** Every field walkOperation visits, as `Parent.field`. */
function walked(query: string, variables: Record<string, unknown> = {}): WalkedField[] {
  const p = parsed(query, variables);
  const out: WalkedField[] = [];
  walkOperation(schema, 'Query', p.operation.selectionSet, p.scope, (f) => out.push(f));
  return out;
}
const names = (fields: readonly WalkedField[]): string[] => fields.map((f) => `${f.parentType}.${f.name}`);

/** A scope whose fragment look-ups are counted, and which stops a walk that looks fragments up more than `budget` times. */
function countingScope(query: string, budget: number): { operation: OperationDefinitionNode; scope: WalkScope; lookUps: () => number } {
  const p = parsed(query);
  let n = 0;
  const fragments = new Proxy(p.scope.fragments as Record<string, FragmentDefinitionNode>, {
    get(target, name) {
      if (typeof name === 'string' && Object.hasOwn(target, name) && (n += 1) > budget) throw new Error(`more than ${budget} fragment look-ups: the walk is not linear`);
      return target[name as string];
    },
  });
  return { operation: p.operation, scope: { fragments, variables: {} }, lookUps: () => n };
}

describe('collecting the fields of a selection set', () => {
  it('follows inline fragments and fragment spreads in document order', () => {
    expect(collected('{ orders { id ... on Order { total } ...F } } fragment F on Order { status }', 'Order', true)).toEqual(['Order.id', 'Order.total', 'Order.status']);
  });

  it('keeps each alias of a field as a field of its own', () => {
    expect(collected('{ orders { a: total b: total } }', 'Order', true)).toEqual(['Order.a:total', 'Order.b:total']);
  });

  it('follows only the fragments on the exact type when the runtime type is known', () => {
    const q = '{ entities { ... on Order { total } ... on Customer { name } ...C } } fragment C on Customer { id }';
    expect(collected(q, 'Order', true)).toEqual(['Order.total']);
    expect(collected(q, 'Customer', true)).toEqual(['Customer.name', 'Customer.id']);
  });

  it('follows every fragment before the runtime type is known, each field on its type condition', () => {
    const q = '{ entities { __typename ... on Order { total } ... on Customer { name } ...C } } fragment C on Customer { id }';
    expect(collected(q, 'Entity', false)).toEqual(['Entity.__typename', 'Order.total', 'Customer.name', 'Customer.id']);
  });

  it('follows an inline fragment without a type condition on the enclosing type', () => {
    expect(collected('{ orders { ... @include(if: true) { total } } }', 'Order', true)).toEqual(['Order.total']);
  });

  it('leaves out fields, inline fragments and spreads that @skip or @include exclude by literal', () => {
    const q =
      '{ orders { id total @skip(if: true) status @include(if: false) ... on Order @skip(if: true) { customer { id } } ...F @include(if: false) } } fragment F on Order { status }';
    expect(collected(q, 'Order', true)).toEqual(['Order.id']);
  });

  it('follows @skip and @include through variables', () => {
    const q = 'query($hide: Boolean!, $show: Boolean!) { orders { id total @skip(if: $hide) status @include(if: $show) } }';
    expect(collected(q, 'Order', true, { hide: true, show: false })).toEqual(['Order.id']);
    expect(collected(q, 'Order', true, { hide: false, show: true })).toEqual(['Order.id', 'Order.total', 'Order.status']);
  });

  it('walks a fragment spread twice in one selection set once', () => {
    expect(collected('{ orders { ...F id ...F } } fragment F on Order { total status }', 'Order', true)).toEqual(['Order.total', 'Order.status', 'Order.id']);
  });

  it('walks a spread that @skip leaves out first and then includes', () => {
    expect(collected('{ orders { ...F @skip(if: true) ...F } } fragment F on Order { total }', 'Order', true)).toEqual(['Order.total']);
  });

  it('reads a selection only when every directive lets it run', () => {
    const field = (q: string): FieldNode => (parse(q).definitions[0] as OperationDefinitionNode).selectionSet.selections[0] as FieldNode;
    expect(isIncluded(field('{ a @skip(if: false) @include(if: true) }'), {})).toBe(true);
    expect(isIncluded(field('{ a @skip(if: false) @include(if: false) }'), {})).toBe(false);
    expect(isIncluded(field('query($s: Boolean!) { a @skip(if: $s) @include(if: true) }'), { s: true })).toBe(false);
  });

  it("turns a null for a directive's if into BAD_USER_INPUT", () => {
    // Valid: a nullable variable with a default may stand where Boolean! is expected; the caller then sends null.
    const q = 'query($s: Boolean = true) { orders { id total @skip(if: $s) } }';
    expect(validate(schema, parse(q))).toEqual([]);
    let error: unknown;
    try {
      collected(q, 'Order', true, { s: null });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(BadUserInputError);
    expect((error as BadUserInputError).message).toBe('Argument "if" of non-null type "Boolean!" must not be null.');
    expect((error as BadUserInputError).extensions).toEqual({ code: 'BAD_USER_INPUT', http: { status: 400 } });
  });
});

describe('nested fragment spreads', () => {
  /** 30 fragments, each spreading the next twice: 2^30 paths, 30 distinct fragments. */
  const chain = (body: (next: string) => string): string => {
    const fragments = Array.from({ length: 30 }, (_, i) => `fragment F${i} on A { ${i < 29 ? body(`F${i + 1}`) : 'x'} }`);
    return `{ a { ...F0 } } ${fragments.join(' ')}`;
  };

  it('walks a chain of fragments each spreading the next twice in linear time', () => {
    const { operation, scope, lookUps } = countingScope(
      chain((next) => `x ...${next} ...${next}`),
      1_000,
    );
    const visits: WalkedField[] = [];
    walkOperation(schema, 'Query', operation.selectionSet, scope, (f) => visits.push(f));
    expect(names(visits)).toEqual(['Query.a', ...Array<string>(30).fill('A.x')]);
    expect(lookUps()).toBe(30);
  });

  it('walks fragments that spread the next twice one level down in linear time', () => {
    const { operation, scope, lookUps } = countingScope(
      chain((next) => `x a { ...${next} ...${next} }`),
      1_000,
    );
    let visits = 0;
    walkOperation(schema, 'Query', operation.selectionSet, scope, () => (visits += 1));
    expect(visits).toBe(1 + 29 * 2 + 1);
    expect(lookUps()).toBe(30);
  });

  it('walks fragments that spread the next under two aliases in linear time', () => {
    const { operation, scope, lookUps } = countingScope(
      chain((next) => `a { ...${next} } b: a { ...${next} }`),
      1_000,
    );
    let visits = 0;
    walkOperation(schema, 'Query', operation.selectionSet, scope, () => (visits += 1));
    expect(visits).toBe(1 + 29 * 2 + 1);
    expect(lookUps()).toBeLessThanOrEqual(2 * 30);
  });

  it('collects the fields of the chain once each', () => {
    const { operation, scope, lookUps } = countingScope(
      chain((next) => `x ...${next} ...${next}`),
      1_000,
    );
    const fields = collectFields([belowRoot({ operation, scope })], 'A', scope, true);
    expect(fields).toHaveLength(30);
    expect(lookUps()).toBe(30);
  });
});

describe('walking an operation', () => {
  it('visits every field with its parent type, and what is below it', () => {
    expect(names(walked('{ orders { id customer { name orders { total } } } }'))).toEqual([
      'Query.orders',
      'Order.id',
      'Order.customer',
      'Customer.name',
      'Customer.orders',
      'Order.total',
    ]);
  });

  it('visits each field written once, however many places spread its fragment', () => {
    expect(names(walked('{ orders { ...F } again: orders { ...F } order(id: "1") { customer { orders { ...F } } } } fragment F on Order { total }'))).toEqual([
      'Query.orders',
      'Order.total',
      'Query.orders',
      'Query.order',
      'Order.customer',
      'Customer.orders',
    ]);
  });

  it('visits each field as often as it is written', () => {
    expect(names(walked('{ orders { ...F ...G total } } fragment F on Order { total } fragment G on Order { total }'))).toEqual([
      'Query.orders',
      'Order.total',
      'Order.total',
      'Order.total',
    ]);
  });

  it('passes over __typename and fields the schema does not have', () => {
    expect(names(walked('{ __typename orders { __typename id nonsense } }'))).toEqual(['Query.orders', 'Order.id']);
  });

  it('leaves out what @skip excludes, with everything below it', () => {
    expect(names(walked('query($s: Boolean!) { orders { id customer @skip(if: $s) { name } } }', { s: true }))).toEqual(['Query.orders', 'Order.id']);
  });

  it('gives each field its arguments with defaults and variables applied', () => {
    const fields = walked('query($n: Int) { orders(limit: $n) { customer { orders { id } } } }', { n: 7 });
    expect(fields.filter((f) => f.name === 'orders').map((f) => f.args)).toEqual([{ limit: 7 }, { limit: 10 }]);
  });
});

describe('the arguments of a field', () => {
  const orders = schema.getQueryType()!.getFields().orders!;
  const order = schema.getQueryType()!.getFields().order!;
  const node = (q: string): FieldNode => (parse(q).definitions[0] as OperationDefinitionNode).selectionSet.selections[0] as FieldNode;

  it('applies the argument defaults', () => {
    expect(fieldArguments(orders, node('{ orders { id } }'), {})).toEqual({ limit: 100 });
  });

  it('reads values from variables, leaving an absent variable out', () => {
    expect(fieldArguments(orders, node('query($s: String) { orders(status: $s, limit: 5) { id } }'), { s: 'paid' })).toEqual({ limit: 5, status: 'paid' });
    expect(fieldArguments(orders, node('query($s: String) { orders(status: $s) { id } }'), {})).toEqual({ limit: 100 });
  });

  it('turns a value the field cannot take into BAD_USER_INPUT', () => {
    const bad = (): unknown => fieldArguments(orders, node('{ orders(limit: "many") { id } }'), {});
    expect(bad).toThrow(BadUserInputError);
    expect(bad).toThrow(/Argument "limit" has invalid value "many"/);
  });

  it('turns a null for a required argument into BAD_USER_INPUT with HTTP status 400', () => {
    let error: unknown;
    try {
      fieldArguments(order, node('query($id: ID = "1") { order(id: $id) { id } }'), { id: null });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(BadUserInputError);
    expect((error as BadUserInputError).extensions).toEqual({ code: 'BAD_USER_INPUT', http: { status: 400 } });
  });
});
