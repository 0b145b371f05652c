/** References resolve in the data: every value of a referencing field is a key of the referenced product's output. */
import { referencedFields, type DataProduct } from '../../../schema/index.js';
import { buildCompositeOrphanCount, buildOrphanCount, buildOrphanExamples } from '../sql/index.js';
import { count, result, type ContractTestResult } from './ContractTestResult.js';
import { DataReadError, type DataSession } from './DataSession.js';
import type { ProductData } from './openProductData.js';

const EXAMPLES = 3;

/** A referenced product's opened output, or why it cannot be used. */
export type Target = { readonly product: DataProduct; readonly data: ProductData } | { readonly reason: string };

/** One `reference-integrity` result per referencing field (a warning when the referenced output cannot be read). */
export async function referenceTests(
  session: DataSession,
  product: DataProduct,
  data: ProductData,
  usable: ReadonlySet<string>,
  target: (name: string) => Promise<Target>,
): Promise<ContractTestResult[]> {
  const results: ContractTestResult[] = [];
  for (const f of product.contract.fields) {
    const ref = f.references;
    if (!ref || !usable.has(f.name)) continue;
    const expected = `0 orphans (${ref.product}.${ref.field})`;
    const t = await target(ref.product);
    const skip = (reason: string) =>
      result(product, 'reference-integrity', {
        field: f.name,
        expected,
        actual: 'not tested',
        failure: {
          severity: 'warning',
          file: data.location,
          message: `references to ${ref.product} were not tested: ${reason}`,
          fix: `Publish a readable output of "${ref.product}" first (see its own results).`,
        },
      });
    if ('reason' in t) {
      results.push(skip(t.reason));
      continue;
    }
    if (!t.data.columns.has(ref.field)) {
      results.push(skip(`its output has no column "${ref.field}"`));
      continue;
    }
    try {
      const orphans = (await session.value(buildOrphanCount(data.view, f.name, t.data.view, ref.field))) ?? 0;
      const examples = orphans > 0 ? (await session.rows(buildOrphanExamples(data.view, f.name, t.data.view, ref.field, EXAMPLES))).map((r) => String(r.value)) : [];
      results.push(
        result(product, 'reference-integrity', {
          field: f.name,
          expected,
          actual: count(orphans, 'orphan'),
          ...(orphans > 0 && {
            failure: {
              file: data.location,
              message: `${count(orphans, 'row')} reference a ${ref.field} that ${ref.product} does not have (e.g. ${examples.join(', ')})`,
              fix: `Publish only rows whose ${f.name} is a ${ref.field} of ${ref.product}, or publish ${ref.product} first.`,
            },
          }),
        }),
      );
    } catch (error) {
      if (!(error instanceof DataReadError)) throw error;
      results.push(
        result(product, 'reference-integrity', {
          field: f.name,
          expected,
          actual: 'not comparable',
          failure: {
            file: data.location,
            message: `${f.name} cannot be compared with ${ref.product}.${ref.field}: ${error.message}`,
            fix: `Write ${f.name} with the type of ${ref.product}.${ref.field}.`,
          },
        }),
      );
    }
  }
  for (const ref of product.contract.references) {
    if (!ref.columns.every((c) => usable.has(c))) continue;
    const field = ref.columns.join(', ');
    const t = await target(ref.product);
    const keys = 'reason' in t ? [] : referencedFields(ref, t.product.contract);
    const expected = `0 orphans (${ref.product}.${keys.join(', ') || '?'})`;
    const missing = 'reason' in t ? t.reason : keys.find((k) => !t.data.columns.has(k)) && `its output lacks a key column (${keys.join(', ')})`;
    if (missing || 'reason' in t || keys.length !== ref.columns.length) {
      results.push(
        result(product, 'reference-integrity', {
          field,
          expected,
          actual: 'not tested',
          failure: {
            severity: 'warning',
            file: data.location,
            message: `references to ${ref.product} were not tested: ${missing || 'its key has another number of columns (see the references-resolve finding)'}`,
            fix: `Publish a readable output of "${ref.product}" first (see its own results).`,
          },
        }),
      );
      continue;
    }
    try {
      const orphans = (await session.value(buildCompositeOrphanCount(data.view, ref.columns, t.data.view, keys))) ?? 0;
      results.push(
        result(product, 'reference-integrity', {
          field,
          expected,
          actual: count(orphans, 'orphan'),
          ...(orphans > 0 && {
            failure: {
              file: data.location,
              message: `${count(orphans, 'row')} reference a (${keys.join(', ')}) that ${ref.product} does not have`,
              fix: `Publish only rows whose (${field}) is a key of ${ref.product}, or publish ${ref.product} first.`,
            },
          }),
        }),
      );
    } catch (error) {
      if (!(error instanceof DataReadError)) throw error;
      results.push(
        result(product, 'reference-integrity', {
          field,
          expected,
          actual: 'not comparable',
          failure: {
            file: data.location,
            message: `(${field}) cannot be compared with the key of ${ref.product}: ${error.message}`,
            fix: `Write (${field}) with the types of ${ref.product}'s key.`,
          },
        }),
      );
    }
  }
  return results;
}
