/**
 * Nullability, key uniqueness and completeness, from one pass of null counts and one of duplicates.
 * Completeness is the share of values present over the required (non-nullable) fields the output
 * has: non-null cells / (rows x required fields); an empty output is complete.
 */
import type { DataProduct } from '../../../schema/index.js';
import { formatPercent } from '../../../policies/governance/index.js';
import { buildDuplicateCount, buildDuplicateExamples, buildNullCounts } from '../sql/index.js';
import { count, result, type ContractTestResult } from './ContractTestResult.js';
import { numberOf, type DataSession } from './DataSession.js';
import type { ProductData } from './openProductData.js';

const EXAMPLES = 3;

/** `not-null` per required field, `completeness` against the SLA when it declares one, `key-unique` for the key. */
export async function valueTests(session: DataSession, product: DataProduct, data: ProductData, usable: ReadonlySet<string>): Promise<ContractTestResult[]> {
  const results: ContractTestResult[] = [];
  const required = product.contract.fields.filter((f) => !f.nullable && usable.has(f.name));
  const counts =
    (
      await session.rows(
        buildNullCounts(
          data.view,
          required.map((f) => f.name),
        ),
      )
    )[0] ?? {};
  const rows = numberOf(counts.row_count) ?? 0;
  let missing = 0;
  required.forEach((f, i) => {
    const nulls = numberOf(counts[`n${i}`]) ?? 0;
    missing += nulls;
    results.push(
      result(product, 'not-null', {
        field: f.name,
        expected: '0 nulls',
        actual: count(nulls, 'null'),
        ...(nulls > 0 && {
          failure: {
            file: data.location,
            message: `${count(nulls, 'null')} in "${f.name}", which the contract declares required`,
            fix: `Fill ${f.name} in every row, or declare it nullable in the contract (a breaking change for consumers).`,
          },
        }),
      }),
    );
  });
  const target = product.sla.completeness;
  if (target !== undefined) {
    const cells = rows * required.length;
    const share = cells === 0 ? 1 : (cells - missing) / cells;
    results.push(
      result(product, 'completeness', {
        expected: `≥ ${formatPercent(target)}`,
        actual: formatPercent(share),
        ...(share < target && {
          failure: {
            file: data.location,
            message: `${formatPercent(share)} of the required values are present (${count(missing, 'null')} over ${count(required.length, 'required field')}), the SLA promises ${formatPercent(target)}`,
            fix: 'Fill the required fields the not-null findings name, or lower the completeness the SLA promises.',
          },
        }),
      }),
    );
  }
  const keys = product.contract.keys;
  const key = keys.join(', ');
  if (keys.length > 0 && keys.every((k) => usable.has(k))) {
    const duplicates = (await session.value(buildDuplicateCount(data.view, keys))) ?? 0;
    // Examples of a composite key would need every column; the count says enough.
    const examples = duplicates > 0 && keys.length === 1 ? (await session.rows(buildDuplicateExamples(data.view, keys[0]!, EXAMPLES))).map((r) => String(r.value)) : [];
    results.push(
      result(product, 'key-unique', {
        field: key,
        expected: '0 duplicates',
        actual: count(duplicates, 'duplicate'),
        ...(duplicates > 0 && {
          failure: {
            file: data.location,
            message: `${count(duplicates, 'row')} repeat a key value of "${key}"${examples.length ? ` (e.g. ${examples.join(', ')})` : ''}`,
            fix: `Publish one row per ${key}: deduplicate in the product's transform.`,
          },
        }),
      }),
    );
  }
  return results;
}
