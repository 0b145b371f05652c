/**
 * Assembles one domain's subgraph from the mesh's declarations: the SDL from schema/, and resolvers
 * that route every field to its product's runtime. No domain writes resolver code.
 */
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse, type GraphQLResolveInfo, type GraphQLScalarType, type GraphQLSchema } from 'graphql';
import {
  type Log,
  buildSubgraphSdl,
  camelCase,
  CATALOG_DOMAIN,
  meshShapes,
  reverseShapes,
  structShapes,
  type DataProduct,
  type Mesh,
  type ProductShape,
  type ReverseShape,
} from '../../schema/index.js';
import { addCatalogDomain, addDomainCatalog } from './catalog/catalogResolvers.js';
import type { SubgraphContext } from './context.js';
import type { Database } from './duckdb/Database.js';
import { ProductTable } from './duckdb/ProductTable.js';
import { BigIntScalar, DateScalar, DateTimeScalar, DecimalScalar, JsonScalar, TimeScalar, UuidScalar } from './graphql/scalars.js';
import { selectedFields } from './graphql/selection.js';
import { DEFAULT_LIMITS, type Limits } from './graphql/translateArgs.js';
import type { ReadArgs } from './read/translateRead.js';
import { ProductRuntime } from './resolvers/ProductRuntime.js';
import { uncached, type StatementRunner } from './read/ResultCache.js';
import type { SubgraphTelemetry } from './SubgraphTelemetry.js';

type Resolver = (parent: Record<string, unknown>, args: ReadArgs & Record<string, unknown>, ctx: SubgraphContext, info: GraphQLResolveInfo) => unknown;
type ResolverMap = Record<string, Record<string, Resolver | unknown> | GraphQLScalarType>;

/** A domain's executable subgraph. */
export interface Subgraph {
  readonly domain: string;
  readonly typeDefs: string;
  readonly schema: GraphQLSchema;
  /** Each served product's runtime, by product name. */
  readonly products: ReadonlyMap<string, ProductRuntime>;
}

/** Options for {@link buildSubgraph}. */
export interface BuildSubgraphOptions {
  readonly domain: string;
  readonly mesh: Mesh;
  readonly db: Database;
  readonly limits?: Limits;
  readonly log?: Log;
  /** The secret of keyed-hash masks; the same in every subgraph, so hashed values still join. */
  readonly hashKey: string;
  /** How product statements run: the process's result cache (read/ResultCache.ts), or straight on `db` when absent. */
  readonly runner?: StatementRunner;
  /** A table already loaded for a product, to serve again (a hot reload keeps the tables of products whose columns did not change). */
  readonly tableOf?: (product: DataProduct) => ProductTable | undefined;
  /** The process's subgraph metrics and the tracer (SubgraphTelemetry.ts); absent: neither. */
  readonly telemetry?: SubgraphTelemetry;
}

/** Federation's entity resolver: `(representation, context, info)`, no arguments. */
type ReferenceResolver = (ref: Record<string, unknown>, ctx: SubgraphContext, info: GraphQLResolveInfo) => unknown;

function productResolvers(rt: ProductRuntime, runtimes: ReadonlyMap<string, ProductRuntime>): Record<string, Resolver | ReferenceResolver> {
  const s = rt.shape;
  // A representation carries every key field; a keyless product is no entity, so it has no reference resolver.
  const resolveReference: ReferenceResolver = (ref, ctx, info) =>
    rt.entity(
      s.keys.map((k) => ref[k.name]),
      ctx,
      selectedFields(info, s.typeName),
    );
  const r: Record<string, Resolver | ReferenceResolver> = s.keys.length ? { __resolveReference: resolveReference } : {};
  for (const ref of s.references) {
    const local = runtimes.get(ref.target.name);
    r[ref.name] = (parent, _a, ctx, info) => {
      const values = ref.from.map((f) => parent[f.name]);
      if (values.some((v) => v === null || v === undefined)) return null;
      if (local) return local.entity(values, ctx, selectedFields(info, local.shape.typeName));
      // Another subgraph resolves it: the representation names each key field of the target (`ref.to`) with this row's value.
      return { __typename: ref.target.contract.typeName, ...Object.fromEntries(ref.to.map((column, i) => [camelCase(column), values[i]])) };
    };
  }
  return r;
}

/** Builds the schema and resolvers of the subgraph serving `domain`. */
export function buildSubgraph(options: BuildSubgraphOptions): Subgraph {
  const { domain, mesh, db } = options;
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const all = meshShapes(mesh);
  const own = all.filter((s) => s.product.domain === domain);
  const runtimes = new Map<string, ProductRuntime>();
  const runner = options.runner ?? uncached(db);
  for (const s of own) {
    const table = options.tableOf?.(s.product) ?? new ProductTable(db, s.product, log);
    runtimes.set(s.product.name, new ProductRuntime(s, table, runner, options.limits ?? DEFAULT_LIMITS, options.hashKey, options.telemetry));
  }
  const query: Record<string, Resolver> = {};
  const resolvers: ResolverMap = {
    Date: DateScalar,
    DateTime: DateTimeScalar,
    BigInt: BigIntScalar,
    Decimal: DecimalScalar,
    UUID: UuidScalar,
    Time: TimeScalar,
    JSON: JsonScalar,
    Query: query,
  };
  for (const rt of runtimes.values()) {
    const s = rt.shape;
    rt.reverse = reverseShapes(s.product, own);
    Object.assign(query, {
      [s.listField]: ((_p, args, ctx, info) => rt.list(args, ctx, info)) satisfies Resolver,
      [s.connectionField]: ((_p, args, ctx, info) => rt.connection(args, ctx, info)) satisfies Resolver,
      ...(s.byKeyField && {
        [s.byKeyField]: ((_p, args, ctx, info) =>
          rt.byKey(
            s.keys.map((k) => args[k.name]),
            ctx,
            info,
          )) satisfies Resolver,
      }),
      [s.aggregateField]: ((_p, args, ctx, info) => rt.aggregate(args, ctx, info)) satisfies Resolver,
    });
    resolvers[s.typeName] = productResolvers(rt, runtimes);
    // A struct arrives as DuckDB's object with the members' column names; GraphQL names them in camelCase.
    for (const st of structShapes(s)) resolvers[st.name] = Object.fromEntries(st.members.map((m) => [m.name, (parent: Record<string, unknown>) => parent[m.member.name]]));
  }
  for (const target of all.filter((s) => s.product.domain !== domain)) addReverse(resolvers, target, reverseShapes(target.product, own), runtimes, true);
  for (const rt of runtimes.values()) addReverse(resolvers, rt.shape, rt.reverse, runtimes, false);
  if (domain === CATALOG_DOMAIN) addCatalogDomain(resolvers, query, { domain, shapes: all, runtimes, db, hashKey: options.hashKey });
  else addDomainCatalog(resolvers, domain, runtimes);
  const typeDefs = buildSubgraphSdl(domain, all);
  return { domain, typeDefs, schema: buildSubgraphSchema({ typeDefs: parse(typeDefs), resolvers: resolvers as never }), products: runtimes };
}

/** Adds the reverse-list fields this subgraph contributes to `target`'s type. */
function addReverse(resolvers: ResolverMap, target: ProductShape, reverse: readonly ReverseShape[], runtimes: ReadonlyMap<string, ProductRuntime>, stub: boolean): void {
  if (reverse.length === 0) return;
  const fields = (resolvers[target.typeName] ??= {}) as Record<string, unknown>;
  if (stub) fields.__resolveReference = (ref: Record<string, unknown>) => ref;
  for (const r of reverse) {
    const source = runtimes.get(r.source.product.name)!;
    fields[r.name] = ((parent, args, ctx, info) =>
      source.reverseList(
        r,
        target.keys.map((k) => parent[k.name]),
        args,
        ctx,
        info,
      )) satisfies Resolver;
  }
}
