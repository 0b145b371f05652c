/** Every contract field is a column of the output with a type that serves the contract's without loss. */
import type { DataProduct } from '../../../schema/index.js';
import { isCompatibleType } from '../duckdb/ProductTable.js';
import { duckType } from '../sql/index.js';
import { result, type ContractTestResult } from './ContractTestResult.js';
import type { ProductData } from './openProductData.js';

/** One result per contract field (`field-present` when it is missing, else `field-type`), and the fields the data tests can use. */
export function schemaTests(product: DataProduct, data: ProductData): { results: ContractTestResult[]; usable: Set<string> } {
  const results: ContractTestResult[] = [];
  const usable = new Set<string>();
  for (const f of product.contract.fields) {
    const expected = `${f.type} (${duckType(f)})`;
    const actual = data.columns.get(f.name);
    if (actual === undefined) {
      results.push(
        result(product, 'field-present', {
          field: f.name,
          expected,
          actual: 'missing',
          failure: {
            file: data.location,
            message: `column "${f.name}" is missing from the Parquet output at ${data.location}`,
            fix: `Write the column "${f.name}" (${duckType(f)}) in the output, or drop it from the contract in a new major version.`,
          },
        }),
      );
    } else if (!isCompatibleType(f, actual)) {
      results.push(
        result(product, 'field-type', {
          field: f.name,
          expected,
          actual,
          failure: {
            file: data.location,
            message: `column "${f.name}" is ${actual} in the Parquet output, the contract says ${expected}`,
            fix: `Write ${f.name} as ${duckType(f)}, or change its type in the contract in a new major version.`,
          },
        }),
      );
    } else {
      usable.add(f.name);
      results.push(result(product, 'field-type', { field: f.name, expected, actual }));
    }
  }
  return { results, usable };
}
