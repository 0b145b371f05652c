/**
 * The catalog's resolvers. Every domain's subgraph resolves the live facts of its own entity type
 * (`CustomersDataProduct`): SLA status, versions, and a profile and a sample read through the
 * product's runtime, so the caller's masks and row policy apply exactly as to a query. The
 * catalog domain's subgraph also resolves the root fields, every entry's static facts, usage and
 * lineage. Both sides refuse a product the gateway's signed grant does not name: the gateway gives
 * a catalog request the grant of every product the caller may read, and no other.
 */
import type { GraphQLResolveInfo } from 'graphql';
import {
  ACCESS_LOG_PRODUCT,
  BadUserInputError,
  buildLineageGraph,
  buildMeshLineage,
  CATALOG_INTERFACE,
  catalogEntityType,
  ForbiddenError,
  ProductUnavailableError,
  readServedLineage,
  type DataProduct,
  type LineageGraph,
  type ProductShape,
  type ServedLineage,
} from '../../../schema/index.js';
import { catalogView, contextVisibility, type ColumnVisibility } from '../../../policies/index.js';
import type { SubgraphContext } from '../context.js';
import type { Database } from '../duckdb/Database.js';
import { valueAsText } from '../graphql/scalars.js';
import type { ProductRuntime } from '../resolvers/ProductRuntime.js';
import { entryFacts, entryFields, mayRead } from './catalogEntry.js';
import { LiveFacts } from './liveFacts.js';
import { CatalogSearch, type CatalogFilter } from './searchCatalog.js';
import { UsageFacts, type UsageView } from './usageFacts.js';

type Parent = { readonly name: string };
type Resolver = (parent: Parent, args: Record<string, unknown>, ctx: SubgraphContext, info: GraphQLResolveInfo) => unknown;
/** Resolvers by type name, as buildSubgraph collects them. */
type ResolverMap = Record<string, object>;

const MAX_SAMPLE = 20;
const MAX_VERSIONS = 100;

/** A page-size argument: null or absent is `fallback`, else an integer from 0 to `max` (BAD_USER_INPUT otherwise). */
function bounded(name: string, value: unknown, max: number, fallback: number): number {
  if (value === null || value === undefined) return fallback;
  if (!Number.isInteger(value) || (value as number) < 0 || (value as number) > max)
    throw new BadUserInputError(`${name} must be an integer from 0 to ${max}, got ${JSON.stringify(value)}.`);
  return value as number;
}

/** The request as the catalog's resolvers read it: under the catalog grants the gateway signed (every product the caller may read), not the operation's own. */
const catalogContext = (ctx: SubgraphContext): SubgraphContext => (ctx.access === null ? ctx : { ...ctx, access: catalogView(ctx.access) });

/** Refuses a live fact of a product the catalog grants do not name (defence in depth: the catalog lists no such entry). */
function requireGrant(ctx: SubgraphContext, product: string): void {
  if (!mayRead(ctx.access, product)) throw new ForbiddenError(`You may not read the data product "${product}".`);
}

/** Why a profile withholds a field's figures, or null when the caller reads it in the clear. */
const WITHHELD: Readonly<Record<ColumnVisibility['seen'], string | null>> = { clear: null, masked: 'you read this field masked', denied: 'you may not read this field' };

/** A product's profile as the catalog serves it: each field's figures over the caller's rows, or why they are withheld. */
async function profileView(rt: ProductRuntime, ctx: SubgraphContext) {
  const name = rt.shape.product.name;
  const seen = new Map(rt.shape.fields.map((f) => [f.field.name, contextVisibility(ctx.access, name, f.field.name).seen]));
  const figures = await rt.profile(
    rt.shape.fields.filter((f) => seen.get(f.field.name) === 'clear').map((f) => f.field.name),
    ctx,
  );
  return {
    version: figures.version,
    rows: figures.rows,
    columns: rt.shape.fields.map((f) => {
      const c = figures.columns.get(f.field.name);
      if (!c) return { field: f.name, nullShare: null, distinctCount: null, min: null, max: null, withheld: WITHHELD[seen.get(f.field.name)!] };
      return {
        field: f.name,
        nullShare: figures.rows === 0 ? 0 : c.nulls / figures.rows,
        distinctCount: c.distinct,
        min: valueAsText(c.min, f.type),
        max: valueAsText(c.max, f.type),
        withheld: null,
      };
    }),
  };
}

/** Runs `read`, answering null while the product has no version to serve (one unavailable product leaves the rest of the catalog's answer whole). */
async function unlessUnavailable<T>(read: () => Promise<T>): Promise<T | null> {
  try {
    return await read();
  } catch (error) {
    if (error instanceof ProductUnavailableError) return null;
    throw error;
  }
}

/** The live-fact resolvers of a domain's entity type, for the products `runtimes` serves. */
function liveResolvers(runtimes: ReadonlyMap<string, ProductRuntime>, now: () => number): Record<string, unknown> {
  const facts = new Map([...runtimes].map(([name, rt]) => [name, new LiveFacts(rt.shape.product, rt.table, now)]));
  /** The product's runtime and facts, and the request under the catalog grants; refused when those do not grant it. */
  const live = (p: Parent, request: SubgraphContext) => {
    const ctx = catalogContext(request);
    requireGrant(ctx, p.name);
    const rt = runtimes.get(p.name);
    if (!rt) throw new BadUserInputError(`There is no data product "${p.name}" in this domain.`);
    return { rt, facts: facts.get(p.name)!, ctx };
  };
  return {
    __resolveReference: (ref: Parent) => (runtimes.has(ref.name) ? { name: ref.name } : null),
    slaStatus: ((p, _a, request) => {
      const { facts: f, ctx } = live(p, request);
      return f.slaStatus(ctx.access);
    }) satisfies Resolver,
    currentVersion: ((p, _a, request) => {
      const { facts: f, ctx } = live(p, request);
      return f.current(ctx.access);
    }) satisfies Resolver,
    versions: ((p, a, request) => {
      const { facts: f, ctx } = live(p, request);
      return f.versions(bounded('versions(limit)', a.limit, MAX_VERSIONS, 10), ctx.access);
    }) satisfies Resolver,
    profile: ((p, _a, request) => {
      const { rt, ctx } = live(p, request);
      return unlessUnavailable(() => profileView(rt, ctx));
    }) satisfies Resolver,
    sample: ((p, a, request) => {
      const limit = bounded('sample(limit)', a.limit, MAX_SAMPLE, 5);
      const { rt, ctx } = live(p, request);
      const readable = rt.shape.fields.filter((f) => contextVisibility(ctx.access, p.name, f.field.name).seen !== 'denied');
      const fields = readable.map((f) => f.name);
      return unlessUnavailable(async () => {
        const rows = limit === 0 ? [] : await rt.sample(fields, limit, ctx);
        return { fields, rows: rows.map((r) => readable.map((f) => valueAsText(r[f.name], f.type))) };
      });
    }) satisfies Resolver,
  };
}

/** Adds the catalog's resolvers of a domain that is not the catalog domain: its entity type's live facts. */
export function addDomainCatalog(resolvers: ResolverMap, domain: string, runtimes: ReadonlyMap<string, ProductRuntime>, now: () => number = Date.now): void {
  resolvers[catalogEntityType(domain)] = liveResolvers(runtimes, now);
}

/** What the catalog domain needs to serve the catalog. */
export interface CatalogDomainOptions {
  readonly domain: string;
  /** Every product of the mesh. */
  readonly shapes: readonly ProductShape[];
  /** This domain's own runtimes (the access log's among them). */
  readonly runtimes: ReadonlyMap<string, ProductRuntime>;
  readonly db: Database;
  readonly hashKey: string;
  readonly now?: () => number;
}

/** The GraphQL view of a lineage graph, keeping what the caller may see: products they may read, their sources, their consumers. */
async function lineageView(graph: LineageGraph, ctx: SubgraphContext, usage: UsageFacts | undefined) {
  const productVisible = new Set(graph.nodes.filter((n) => n.kind === 'product' && !n.missing && mayRead(ctx.access, n.name)).map((n) => n.id));
  const fed = new Set(graph.edges.filter((e) => productVisible.has(e.to)).map((e) => e.from));
  const nodes = graph.nodes
    .filter((n) => productVisible.has(n.id) || (n.kind === 'source' && fed.has(n.id)))
    .map((n) => ({
      id: n.id,
      kind: n.kind.toUpperCase(),
      name: n.name,
      domain: n.domain || null,
      type: n.kind === 'source' ? n.type : null,
      version: n.kind === 'product' ? (n.version ?? null) : null,
    }));
  const shown = new Set(nodes.map((n) => n.id));
  const edges: { from: string; to: string; kind: string; fields: readonly string[] | null }[] = graph.edges
    .filter((e) => shown.has(e.from) && shown.has(e.to))
    .map((e) => ({ from: e.from, to: e.to, kind: e.kind.toUpperCase(), fields: e.fields ?? null }));
  // Who read a product is the access log's to tell: consumers are shown to a caller who may read the log itself.
  const readBy = usage?.mayNameReaders(ctx.access) ? await usage.consumers(graph.nodes.filter((n) => productVisible.has(n.id)).map((n) => n.name)) : [];
  for (const c of readBy) {
    const id = `consumer:${c.name}`;
    if (!shown.has(id)) {
      shown.add(id);
      nodes.push({ id, kind: 'CONSUMER', name: c.name, domain: null, type: null, version: null });
    }
    edges.push({ from: `product:${c.product}`, to: id, kind: 'READS', fields: null });
  }
  const columns = graph.columns
    .filter((c) => shown.has(c.from.node) && shown.has(c.to.node))
    .map((c) => ({ from: c.from.node, fromColumn: c.from.column, to: c.to.node, toColumn: c.to.column, kind: c.kind }));
  return { nodes, edges, columns };
}

const NO_USAGE: UsageView = {
  last7Days: { days: 7, queries: 0, refused: 0, consumers: 0, topConsumers: null, topOperations: null },
  last30Days: { days: 30, queries: 0, refused: 0, consumers: 0, topConsumers: null, topOperations: null },
};

/** Adds the catalog domain's resolvers: the root fields, every entity type's static facts (and its own types' live facts), usage and lineage. */
export function addCatalogDomain(resolvers: ResolverMap, query: Record<string, unknown>, options: CatalogDomainOptions): void {
  const { shapes, runtimes } = options;
  const now = options.now ?? Date.now;
  const byName = new Map(shapes.map((s) => [s.product.name, s]));
  const products = new Map<string, DataProduct>(shapes.map((s) => [s.product.name, s.product]));
  const search = new CatalogSearch(shapes);
  // Usage is read from access-log (v1) until its sunset: it holds the same entries as access-log-v2, and v1's served table
  // does not depend on list columns being served. Moving to v2 is its three statements (sql/catalogSql.ts) unnesting `products`.
  const log = runtimes.get(ACCESS_LOG_PRODUCT);
  const usage = log ? new UsageFacts(options.db, log.table, options.hashKey, now) : undefined;
  // Manifests and records change with each publish; one look serves the requests of the next second.
  let served: { at: number; value: Promise<Map<string, ServedLineage>> } | undefined;
  const servedLineage = (): Promise<Map<string, ServedLineage>> => {
    if (!served || now() - served.at > 1_000) served = { at: now(), value: readServedLineage(products.values()) };
    return served.value;
  };
  // The static facts follow from the declarations alone: made once, handed to every request that may see them.
  const facts = new Map(shapes.map((s) => [s.product.name, entryFacts(s)]));
  const entry = (name: string, ctx: SubgraphContext) => (mayRead(ctx.access, name) ? (facts.get(name) ?? null) : null);
  const visibleShape = (name: unknown, ctx: SubgraphContext): ProductShape => {
    const shape = typeof name === 'string' ? byName.get(name) : undefined;
    if (!shape || !mayRead(ctx.access, shape.product.name)) throw new BadUserInputError(`There is no data product ${JSON.stringify(name)} you may read.`);
    return shape;
  };
  // Every resolver here reads the request under the catalog grants (catalogContext).
  const staticFacts: Record<string, unknown> = {
    // A representation is of one domain's type: a name of another domain's product is no entry of it.
    __resolveReference: (ref: Parent & { __typename?: string }, request: SubgraphContext) => {
      const found = entry(ref.name, catalogContext(request));
      return found && (!ref.__typename || ref.__typename === catalogEntityType(found.domain as string)) ? found : null;
    },
    fields: ((p, _a, request) => {
      const ctx = catalogContext(request);
      return entryFields(visibleShape(p.name, ctx), ctx.access);
    }) satisfies Resolver,
    usage: ((p, _a, request) => {
      const ctx = catalogContext(request);
      visibleShape(p.name, ctx);
      return usage ? usage.usage(p.name, ctx) : NO_USAGE;
    }) satisfies Resolver,
    lineage: (async (p, _a, request) => {
      const ctx = catalogContext(request);
      return lineageView(buildLineageGraph(visibleShape(p.name, ctx).product, products, await servedLineage()), ctx, usage);
    }) satisfies Resolver,
  };
  const own = liveResolvers(runtimes, now);
  for (const domain of new Set([...shapes.map((s) => s.product.domain), options.domain])) {
    resolvers[catalogEntityType(domain)] = domain === options.domain ? { ...own, ...staticFacts } : { ...staticFacts };
  }
  resolvers[CATALOG_INTERFACE] = { __resolveType: (p: Parent) => catalogEntityType(byName.get(p.name)!.product.domain) };
  Object.assign(query, {
    dataProducts: ((_p, args, request) => {
      const ctx = catalogContext(request);
      return search.find(args as CatalogFilter, (n) => mayRead(ctx.access, n)).map((shape) => facts.get(shape.product.name)!);
    }) satisfies Resolver,
    dataProduct: ((_p, args, request) => entry(String(args.name), catalogContext(request))) satisfies Resolver,
    lineage: (async (_p, args, request) => {
      const ctx = catalogContext(request);
      const product = args.product === null || args.product === undefined ? undefined : visibleShape(args.product, ctx).product;
      const all = await servedLineage();
      return lineageView(product ? buildLineageGraph(product, products, all) : buildMeshLineage(products, all), ctx, usage);
    }) satisfies Resolver,
  });
}
