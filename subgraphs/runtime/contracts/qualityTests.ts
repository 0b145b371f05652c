/**
 * The contract's quality rules in ODCS vocabulary (library metrics): rowCount, nullValues,
 * missingValues (arguments.missingValues, default [null, '']), invalidValues (arguments.validValues
 * or pattern, else the field's enum), duplicateValues (of a field or arguments.properties), each
 * compared with its operators; `unit: percent` compares the share of rows, in percent.
 */
import type { DataProduct, QualityRule } from '../../../schema/index.js';
import { buildColumnMetric, buildDuplicateCount, type ColumnMetric, type SqlValue } from '../sql/index.js';
import { result, type ContractTestResult } from './ContractTestResult.js';
import { numberOf, type DataSession } from './DataSession.js';
import { readComparison, type Comparison } from './compareMetric.js';
import type { ProductData } from './openProductData.js';

const METRICS = ['rowCount', 'nullValues', 'missingValues', 'invalidValues', 'duplicateValues'] as const;
type Metric = (typeof METRICS)[number];

const strings = (v: unknown): string[] | undefined => (Array.isArray(v) && v.every((x) => typeof x === 'string') ? v : undefined);
const record = (v: unknown): Record<string, unknown> => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {});

/** What one rule measures, once read. */
interface Plan {
  readonly metric: Metric;
  readonly columns: readonly string[];
  readonly percent: boolean;
  readonly comparison: Comparison;
}

/** Reads a rule against the contract, or says why it cannot be run. */
function plan(rule: QualityRule, product: DataProduct): Plan | string {
  const metric = rule.metric as Metric;
  if (!METRICS.includes(metric)) return `unknown metric "${rule.metric}": expected one of ${METRICS.join(', ')}`;
  const comparison = readComparison(rule);
  if ('error' in comparison) return comparison.error;
  const unit = rule.unit ?? 'rows';
  if (unit !== 'rows' && unit !== 'percent') return `unit must be rows or percent, got ${JSON.stringify(unit)}`;
  const named = typeof rule.field === 'string' ? rule.field : typeof rule.property === 'string' ? rule.property : undefined;
  const columns = named !== undefined ? [named] : (strings(record(rule.arguments).properties) ?? []);
  if (metric === 'rowCount') return { metric, columns: [], percent: unit === 'percent', comparison };
  if (columns.length === 0 || (metric !== 'duplicateValues' && columns.length > 1))
    return `${metric} needs ${metric === 'duplicateValues' ? 'a field or arguments.properties' : 'one field (field, property or arguments.properties: [name])'}`;
  const unknown = columns.find((c) => !product.contract.fields.some((f) => f.name === c));
  if (unknown !== undefined) return `"${unknown}" is not a field of the contract`;
  return { metric, columns, percent: unit === 'percent', comparison };
}

/** The column metric of a plan, with its arguments read. */
function columnMetric(p: Plan, rule: QualityRule, product: DataProduct): ColumnMetric | string {
  const column = p.columns[0]!;
  const args = record(rule.arguments);
  if (p.metric === 'nullValues') return { metric: 'nullValues', column };
  if (p.metric === 'missingValues') {
    const listed = args.missingValues ?? [null, ''];
    if (!Array.isArray(listed) || !listed.every((v) => v === null || ['string', 'number', 'boolean'].includes(typeof v))) return 'arguments.missingValues must be a list of values';
    return { metric: 'missingValues', column, missing: listed as SqlValue[] };
  }
  let valid: string[] | undefined;
  if (args.validValues !== undefined) {
    if (!Array.isArray(args.validValues) || !args.validValues.every((v) => typeof v === 'string' || typeof v === 'number')) return 'arguments.validValues must be a list of values';
    valid = args.validValues.map(String);
  }
  const pattern = typeof args.pattern === 'string' ? args.pattern : undefined;
  const fallback = valid === undefined && pattern === undefined ? product.contract.fields.find((f) => f.name === column)?.enum : undefined;
  if (valid === undefined && pattern === undefined && !fallback) return `invalidValues needs arguments.validValues or arguments.pattern (or an enum on "${column}")`;
  return { metric: 'invalidValues', column, ...((valid ?? fallback) && { valid: valid ?? fallback }), ...(pattern !== undefined && { pattern }) };
}

/** Measures one planned rule: the count (rows) it is about. */
async function measure(session: DataSession, data: ProductData, p: Plan, metric: ColumnMetric | undefined): Promise<number> {
  if (p.metric === 'rowCount') return data.rows;
  if (p.metric === 'duplicateValues') return (await session.value(buildDuplicateCount(data.view, p.columns))) ?? 0;
  return numberOf((await session.rows(buildColumnMetric(data.view, metric!)))[0]?.value) ?? 0;
}

/** One `quality` result per rule of the contract. */
export async function qualityTests(session: DataSession, product: DataProduct, data: ProductData, usable: ReadonlySet<string>): Promise<ContractTestResult[]> {
  const results: ContractTestResult[] = [];
  for (const [i, rule] of product.contract.quality.entries()) {
    const name = `quality rule #${i + 1} (${rule.metric})${typeof rule.description === 'string' ? ` "${rule.description}"` : ''}`;
    const p = plan(rule, product);
    const metric = typeof p === 'string' || p.metric === 'rowCount' || p.metric === 'duplicateValues' ? undefined : columnMetric(p, rule, product);
    if (typeof p === 'string' || typeof metric === 'string') {
      const problem = typeof p === 'string' ? p : metric;
      results.push(
        result(product, 'quality', {
          expected: `rule #${i + 1}`,
          actual: 'cannot be run',
          failure: {
            file: product.descriptorFile,
            message: `${name} cannot be run: ${problem}`,
            fix: 'Write the rule as an ODCS library metric (rowCount, nullValues, missingValues, invalidValues, duplicateValues) with an operator such as mustBe.',
          },
        }),
      );
      continue;
    }
    const field = p.columns.length === 1 ? p.columns[0] : undefined;
    const expected = `${p.metric}${p.columns.length ? `(${p.columns.join(', ')})` : ''}${p.percent ? ' %' : ''} ${p.comparison.label}`;
    const missing = p.columns.find((c) => !usable.has(c));
    if (missing !== undefined) {
      results.push(
        result(product, 'quality', {
          ...(field !== undefined && { field }),
          expected,
          actual: 'not tested',
          failure: {
            severity: 'warning',
            file: data.location,
            message: `${name} was not run: column "${missing}" is missing or of the wrong type (see its field test)`,
            fix: `Write "${missing}" as the contract says.`,
          },
        }),
      );
      continue;
    }
    const counted = await measure(session, data, p, metric);
    const value = p.percent ? (data.rows === 0 ? 0 : (counted / data.rows) * 100) : counted;
    const actual = p.percent ? `${Math.round(value * 100) / 100}%` : value.toLocaleString('en-US');
    results.push(
      result(product, 'quality', {
        ...(field !== undefined && { field }),
        expected,
        actual,
        ...(!p.comparison.holds(value) && {
          failure: {
            file: data.location,
            message: `${name} fails: ${expected}, measured ${actual}`,
            fix: "Correct the data the rule describes in the product's transform, or change the rule in the contract if it no longer holds.",
          },
        }),
      }),
    );
  }
  return results;
}
