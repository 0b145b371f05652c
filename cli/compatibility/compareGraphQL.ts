/**
 * Breaking and dangerous changes of the composed GraphQL API between a base mesh and the current
 * one (graphql-js `findBreakingChanges` / `findDangerousChanges`), each a finding on the product
 * that owns the changed type or field. A breaking change is a violation unless the product's
 * compatibility mode is NONE or it was retired after its sunset; a dangerous change is a warning,
 * except an optional input field or argument added, which no client can notice (graphql-js lists
 * them as dangerous; every new contract field would add two).
 */
import { DangerousChangeType, findBreakingChanges, findDangerousChanges } from 'graphql';
import { generatedTypeNames, meshShapes, productsByName, reverseShapes, type DataProduct, type Mesh } from '../../schema/index.js';
import { removedProduct, strictestMode } from '../../policies/compatibility/index.js';
import type { Finding, Severity } from '../../policies/index.js';
import { apiSchemaOf } from './apiSchemaOf.js';

const UNNOTICEABLE = new Set<string>([DangerousChangeType.OPTIONAL_INPUT_FIELD_ADDED, DangerousChangeType.OPTIONAL_ARG_ADDED]);

interface Owners {
  readonly types: Map<string, string>;
  readonly coordinates: Map<string, string>;
}

/** Which product owns each generated type and each `Type.field` (query fields, reverse lists). */
function ownersOf(meshes: readonly Mesh[]): Owners {
  const types = new Map<string, string>();
  const coordinates = new Map<string, string>();
  for (const mesh of meshes) {
    const shapes = meshShapes(mesh);
    for (const s of shapes) {
      for (const name of generatedTypeNames(s)) types.set(name, s.product.name);
      for (const f of s.rootFields) coordinates.set(`Query.${f}`, s.product.name);
      for (const r of reverseShapes(s.product, shapes)) coordinates.set(`${s.typeName}.${r.name}`, r.source.product.name);
    }
  }
  return { types, coordinates };
}

/** The product a graphql-js change description is about (`Order.status changed type ...`), or `mesh`. */
function ownerOf(description: string, owners: Owners): { product: string; field?: string } {
  for (const [coordinate, type] of description.matchAll(/\b([A-Za-z_]\w*)\.[A-Za-z_]\w*\b/g)) {
    const product = owners.coordinates.get(coordinate) ?? owners.types.get(type!);
    if (product) return { product, field: coordinate };
  }
  for (const [word] of description.matchAll(/\b[A-Z]\w*\b/g)) {
    const product = owners.types.get(word);
    if (product) return { product };
  }
  return { product: 'mesh' };
}

function severityFor(product: string, current: ReadonlyMap<string, DataProduct>, base: ReadonlyMap<string, DataProduct>, today: string): Severity {
  const p = current.get(product);
  const b = base.get(product);
  if (!p && b) return removedProduct(b, undefined, today).severity;
  const mode = p && b ? strictestMode(b.contract.compatibility, p.contract.compatibility) : (p ?? b)?.contract.compatibility;
  return mode === 'NONE' ? 'warning' : 'violation';
}

/** Compares the composed API schemas of `base` and `current`; `today` (YYYY-MM-DD) decides which sunsets have passed. */
export function compareGraphQL(base: Mesh, current: Mesh, today = new Date().toISOString().slice(0, 10)): Finding[] {
  const now = apiSchemaOf(current);
  if ('errors' in now) {
    return [
      {
        rule: 'graphql-composition',
        severity: 'violation',
        product: 'mesh',
        message: `the current mesh does not compose into one graph: ${now.errors.join('; ')}`,
        fix: 'Fix the subgraph SDL conflicts named above (usually two products declaring the same type or field).',
      },
    ];
  }
  const before = apiSchemaOf(base);
  if ('errors' in before) {
    return [
      {
        rule: 'graphql-composition',
        severity: 'warning',
        product: 'mesh',
        message: `the base mesh does not compose, so GraphQL changes were not compared: ${before.errors.join('; ')}`,
        fix: 'Nothing to do here; compare with another base to see GraphQL changes.',
      },
    ];
  }
  const owners = ownersOf([current, base]);
  const cur = productsByName(current);
  const old = productsByName(base);
  const finding = (rule: string, severity: Severity, change: { type: string; description: string }): Finding => {
    const at = ownerOf(change.description, owners);
    return {
      rule,
      severity,
      product: at.product,
      ...(at.field !== undefined && { field: at.field }),
      message: `GraphQL ${change.type}: ${change.description}`,
      fix:
        rule === 'graphql-breaking-change'
          ? "Keep the GraphQL field or type as it was (mark it @deprecated through the product's status first), or publish a new major version beside the deprecated product."
          : 'Check that clients handle the change (for example a new enum value in a switch).',
    };
  };
  return [
    ...findBreakingChanges(before.schema, now.schema).map((c) => finding('graphql-breaking-change', severityFor(ownerOf(c.description, owners).product, cur, old, today), c)),
    ...findDangerousChanges(before.schema, now.schema)
      .filter((c) => !UNNOTICEABLE.has(c.type))
      .map((c) => finding('graphql-dangerous-change', 'warning', c)),
  ];
}
