/**
 * A product's catalog entry as the governance domain serves it: its declaration (descriptor and
 * contract, through the shape schema/ derives), nothing typed twice, and what the caller would get
 * of each field under the grant the gateway signed. Which entries a caller sees is the same grant:
 * a product it may not read has no entry for it.
 */
import { classifiedParts, contextVisibility, type AccessContext } from '../../../policies/index.js';
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
    // A struct read in the clear may still have members masked: the entry says which, and how.
    const members = Object.entries(grant?.masks ?? {}).filter(([path]) => path.startsWith(`${c.name}.`));
    return {
      name: f.name,
      column: c.name,
      type: f.type,
      logicalType: c.type,
      description: c.description ?? null,
      classification: c.classification,
      pii: classifiedParts(c).length > 0,
      access: seen === 'clear' ? (members.length ? 'MASKED' : 'CLEAR') : seen === 'masked' ? 'MASKED' : 'DENIED',
      mask:
        (seen === 'masked' && grant?.masks[c.name]) ||
        (seen === 'clear' && members.length ? members.map(([path, mask]) => `${path.slice(c.name.length + 1)}: ${mask}`).join(', ') : null),
      nullable: c.nullable,
      key: c.key,
      // A column of a composite reference names its target like a one-column reference does.
      references: c.references?.product ?? shape.product.contract.references.find((r) => r.columns.includes(c.name))?.product ?? null,
    };
  });
}

/** Whether any field of the product holds personal data (a list's elements and a struct's members included). */
export const holdsPii = (shape: ProductShape): boolean => shape.product.contract.fields.some((f) => classifiedParts(f).length > 0);

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
