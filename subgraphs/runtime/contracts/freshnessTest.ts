/**
 * Freshness against the SLA: the age of the newest value of `sla.freshness_field` when the
 * descriptor names one, else of the version's data as its publisher recorded it (a build's start),
 * else of the newest file's modification time. An empty output has nothing
 * to be late, so it passes (a product that must have rows says so with a rowCount quality rule).
 */
import type { DataProduct } from '../../../schema/index.js';
import { formatDuration } from '../../../policies/governance/index.js';
import { buildNewest } from '../sql/index.js';
import { result, type ContractTestResult } from './ContractTestResult.js';
import type { DataSession } from './DataSession.js';
import type { ProductData } from './openProductData.js';

const iso = (ms: number): string => new Date(Math.floor(ms / 1_000) * 1_000).toISOString().replace('.000Z', 'Z');

/** The `freshness` result, or none when the SLA declares no freshness. */
export async function freshnessTest(session: DataSession, product: DataProduct, data: ProductData, usable: ReadonlySet<string>, now: number): Promise<ContractTestResult[]> {
  const limit = product.sla.freshnessMs;
  if (limit === undefined) return [];
  const expected = `≤ ${formatDuration(limit)}`;
  const declared = product.sla.declared.freshness_field;
  const field = typeof declared === 'string' ? product.contract.fields.find((f) => f.name === declared) : undefined;
  if (declared !== undefined && (!field || (field.type !== 'timestamp' && field.type !== 'date') || !usable.has(field.name))) {
    return [
      result(product, 'freshness', {
        expected,
        actual: 'not measurable',
        failure: {
          file: product.descriptorFile,
          message: `sla.freshness_field ${JSON.stringify(declared)} is not a timestamp or date column of the output, so freshness cannot be measured`,
          fix: "Name a timestamp or date field of the contract that the output has, or remove freshness_field to measure it from when each version's data is as of.",
        },
      }),
    ];
  }
  if (data.rows === 0) return [result(product, 'freshness', { expected, actual: 'no rows' })];
  const newest = field ? await session.value(buildNewest(data.view, field.name)) : (data.dataAsOfMs ?? data.newestFileMs);
  const source = field ? `newest ${field.name}` : data.dataAsOfMs !== undefined ? 'data as of' : 'newest file written';
  if (newest === null) {
    return [
      result(product, 'freshness', {
        ...(field && { field: field.name }),
        expected,
        actual: 'no values',
        failure: { file: data.location, message: `"${field!.name}" has no values, so the data's age is unknown`, fix: `Fill ${field!.name} in the output.` },
      }),
    ];
  }
  const age = Math.max(0, now - newest);
  const actual = `${formatDuration(age)} (${source} ${iso(newest)})`;
  return [
    result(product, 'freshness', {
      ...(field && { field: field.name }),
      expected,
      actual,
      ...(age > limit && {
        failure: {
          file: data.location,
          message: `the data is ${formatDuration(age)} old (${source} ${iso(newest)}), the SLA promises ${formatDuration(limit)}`,
          fix: 'Build the product again (meshgate build; `meshgate up` builds it on its schedule), or promise a looser freshness in the SLA.',
        },
      }),
    }),
  ];
}
