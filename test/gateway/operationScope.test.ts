import { buildSchema, Kind, parse, type OperationDefinitionNode } from 'graphql';
import { createRequestContext } from '../../gateway/context.js';
import { operationScope } from '../../gateway/operation/operationScope.js';
import { BadUserInputError } from '../../schema/index.js';

const schema = buildSchema('type Query { orders(limit: Int = 100, where: W): [Int!]! } input W { status: String, and: [W!] }');

function scopeOf(query: string, variables?: Record<string, unknown>, ctx = createRequestContext({})): ReturnType<typeof operationScope> {
  const document = parse(query);
  const operation = document.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)!;
  return operationScope(ctx, schema, document, operation, variables);
}

describe("an operation's walk scope", () => {
  it('coerces the variables as execution will: defaults applied, a single value wrapped in a list', () => {
    const scope = scopeOf('query($l: Int = 7, $w: W) { orders(limit: $l, where: $w) }', { w: { and: { status: 'paid' } } });
    expect(scope.variables).toEqual({ l: 7, w: { and: [{ status: 'paid' }] } });
  });

  it("holds the document's fragments by name", () => {
    expect(Object.keys(scopeOf('{ ...F } fragment F on Query { orders } fragment G on Query { orders }').fragments)).toEqual(['F', 'G']);
  });

  it('is computed once per request', () => {
    const ctx = createRequestContext({});
    const first = scopeOf('query($l: Int) { orders(limit: $l) }', { l: 1 }, ctx);
    expect(scopeOf('query($l: Int) { orders(limit: $l) }', { l: 2 }, ctx)).toBe(first);
  });

  it('refuses variables that do not coerce as BAD_USER_INPUT with HTTP status 400', () => {
    let error: unknown;
    try {
      scopeOf('query($l: Int!) { orders(limit: $l) }', { l: 'many' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(BadUserInputError);
    expect((error as BadUserInputError).message).toMatch(/^Variable "\$l" got invalid value "many"/);
    expect((error as BadUserInputError).extensions).toEqual({ code: 'BAD_USER_INPUT', http: { status: 400 } });
  });
});
