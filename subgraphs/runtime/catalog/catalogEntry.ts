/**
 * A product's catalog entry as the governance domain serves it: its declaration (descriptor and
 * contract, through the shape schema/ derives), nothing typed twice, and what the caller would get
 * of each field under the grant the gateway signed. Which entries a caller sees is the same grant:
 * a product it may not read has no entry for it.
 */
import { contextVisibility, type AccessContext } from '../../../policies/index.js';
import type { ProductShape } from '../../../schema/index.js';

/** One field of an entry, for the caller. */
export interface EntryField {
  readonly name: string;
  readonly column: string;
  readonly type: string;
  readonly logicalType: string;
  readonly description: string | null;
  readonly classification: string;
  readonly pii: boolean;
  readonly access: 'CLEAR' | 'MASKED' | 'DENIED';
  readonly mask: string | null;
  readonly nullable: boolean;
  readonly key: boolean;
  readonly references: string | null;
}

/** Whether the request may see `product`'s entry (access control off: every entry). */
export const mayRead = (access: AccessContext | null, product: string): boolean => access === null || access.products[product] !== undefined;

/** The entry's fields, each with the access and mask the caller's grant gives it. */
export function entryFields(shape: ProductShape, access: AccessContext | null): EntryField[] {
  const grant = access?.products[shape.product.name];
  return shape.fields.map((f) => {
    const c = f.field;
    const seen = contextVisibility(access, shape.product.name, c.name).seen;
    return {
      name: f.name,
      column: c.name,
      type: f.type,
      logicalType: c.type,
      description: c.description ?? null,
      classification: c.classification,
      pii: c.classification !== 'none',
      access: seen === 'clear' ? 'CLEAR' : seen === 'masked' ? 'MASKED' : 'DENIED',
      mask: (seen === 'masked' && grant?.masks[c.name]) || null,
      nullable: c.nullable,
      key: c.key,
      references: c.references?.product ?? null,
    };
  });
}

/** Whether any field of the product holds personal data. */
export const holdsPii = (shape: ProductShape): boolean => shape.product.contract.fields.some((f) => f.classification !== 'none');

/** The static facts of an entry that need no grant, as the GraphQL fields name them. */
export function entryFacts(shape: ProductShape): Record<string, unknown> {
  const p = shape.product;
  const declared = p.sla.declared;
  return {
    name: p.name,
    domain: p.domain,
    owner: p.owner,
    description: p.description ?? null,
    tags: p.tags,
    version: p.version,
    status: p.status.toUpperCase(),
    sunset: p.sunset ?? null,
    successor: p.successor ?? null,
    graphqlType: shape.typeName,
    rootFields: { list: shape.listField, connection: shape.connectionField, byKey: shape.byKeyField ?? null, aggregate: shape.aggregateField },
    pii: holdsPii(shape),
    inputs: p.inputs.map((i) => ({ source: i.source, type: i.type, domain: i.domain ?? null, purpose: i.purpose ?? null })),
    outputs: p.outputs.map((o) => ({ name: o.name, format: o.format })),
    sla: {
      freshness: typeof declared.freshness === 'string' ? declared.freshness : null,
      freshnessSeconds: p.sla.freshnessMs === undefined ? null : Math.round(p.sla.freshnessMs / 1000),
      availability: p.sla.availability ?? null,
      completeness: p.sla.completeness ?? null,
      qualityScore: p.sla.qualityScore ?? null,
    },
  };
}
