/** Which product and column a GraphQL field of the composed schema stands for, from schema/'s shapes. */
import { reverseShapes, type FieldShape, type MeasureShape, type ProductShape, type ValueShape } from '../../schema/index.js';

/** What one field of the API schema is, for access control. */
export type FieldRole =
  | { readonly kind: 'column'; readonly shape: ProductShape; readonly field: FieldShape }
  | { readonly kind: 'aggregate'; readonly shape: ProductShape; readonly field: FieldShape }
  /** A contract measure, a field of the product's group type: it reads its column and its filter's columns. */
  | { readonly kind: 'measure'; readonly shape: ProductShape; readonly measure: MeasureShape }
  /** An entity reference (`Order.customer`, `ShipmentEvent.orderLine`): resolved by looking the target up with this row's `fields` (several for a composite key). */
  | { readonly kind: 'reference'; readonly shape: ProductShape; readonly fields: readonly FieldShape[] }
  | {
      readonly kind: 'product';
      readonly shape: ProductShape;
      /** For a reverse list: the reference columns its rows are looked up by (the parent's key). */
      readonly reference?: readonly FieldShape[];
    };

/** An index of every product field of the mesh, built once at start. */
export class ProductIndex {
  private readonly roles = new Map<string, FieldRole>();
  private readonly byName: ReadonlyMap<string, ProductShape>;

  constructor(readonly shapes: readonly ProductShape[]) {
    this.byName = new Map(shapes.map((s) => [s.product.name, s]));
    for (const s of shapes) {
      const t = s.types;
      for (const root of s.rootFields) this.roles.set(`Query.${root}`, { kind: 'product', shape: s });
      for (const f of s.fields) {
        this.roles.set(`${t.object}.${f.name}`, { kind: 'column', shape: s, field: f });
        this.roles.set(`${t.groupKey}.${f.name}`, { kind: 'column', shape: s, field: f });
        for (const type of new Set([...Object.values(t.aggregates), t.distinct, t.quantiles])) this.roles.set(`${type}.${f.name}`, { kind: 'aggregate', shape: s, field: f });
      }
      for (const m of s.measures) this.roles.set(`${t.group}.${m.name}`, { kind: 'measure', shape: s, measure: m });
      // A struct's members (nested structs too) are reads of the struct's column: its masks, refusals and fields_read are the column's.
      for (const f of s.fields) this.addMembers(s, f, f);
      for (const r of s.references) this.roles.set(`${t.object}.${r.name}`, { kind: 'reference', shape: s, fields: r.from });
      for (const r of reverseShapes(s.product, shapes)) this.roles.set(`${t.object}.${r.name}`, { kind: 'product', shape: r.source, reference: r.reference.from });
    }
  }

  private addMembers(s: ProductShape, field: FieldShape, value: ValueShape): void {
    const struct = value.struct;
    if (!struct) return;
    for (const m of struct.members) {
      const key = `${struct.name}.${m.name}`;
      if (!this.roles.has(key)) this.roles.set(key, { kind: 'column', shape: s, field });
      this.addMembers(s, field, m);
    }
  }

  /** The role of `Type.field`, or undefined for fields that read no product data. */
  classify(typeName: string, fieldName: string): FieldRole | undefined {
    return this.roles.get(`${typeName}.${fieldName}`);
  }

  /** The shape of a product by name. */
  shape(product: string): ProductShape | undefined {
    return this.byName.get(product);
  }
}
