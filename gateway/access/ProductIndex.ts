/** Which product and column a GraphQL field of the composed schema stands for, from schema/'s shapes. */
import { reverseShapes, type FieldShape, type ProductShape } from '../../schema/index.js';

/** What one field of the API schema is, for access control. */
export type FieldRole =
  | { readonly kind: 'column'; readonly shape: ProductShape; readonly field: FieldShape }
  | { readonly kind: 'aggregate'; readonly shape: ProductShape; readonly field: FieldShape }
  | { readonly kind: 'product'; readonly shape: ProductShape };

/** An index of every product field of the mesh, built once at start. */
export class ProductIndex {
  private readonly roles = new Map<string, FieldRole>();

  constructor(readonly shapes: readonly ProductShape[]) {
    for (const s of shapes) {
      const t = s.typeName;
      for (const root of [s.listField, s.connectionField, s.byKeyField, s.aggregateField]) this.roles.set(`Query.${root}`, { kind: 'product', shape: s });
      for (const f of s.fields) {
        this.roles.set(`${t}.${f.name}`, { kind: 'column', shape: s, field: f });
        this.roles.set(`${t}GroupKey.${f.name}`, { kind: 'column', shape: s, field: f });
        for (const agg of ['Sums', 'Averages', 'Extremes']) this.roles.set(`${t}${agg}.${f.name}`, { kind: 'aggregate', shape: s, field: f });
      }
      for (const r of reverseShapes(s.product, shapes)) this.roles.set(`${t}.${r.name}`, { kind: 'product', shape: r.source });
    }
  }

  /** The role of `Type.field`, or undefined for fields that read no product data. */
  classify(typeName: string, fieldName: string): FieldRole | undefined {
    return this.roles.get(`${typeName}.${fieldName}`);
  }

  /** The shape of a product by name. */
  shape(product: string): ProductShape | undefined {
    return this.shapes.find((s) => s.product.name === product);
  }
}
