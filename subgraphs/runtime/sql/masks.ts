/** The SQL of each mask function (policies/masks names them; only this module writes SQL). */
import type { MaskName } from '../../../policies/index.js';
import type { Column } from './Condition.js';
import { PARAM_CASTS, type Params, quoteIdent } from './SqlQuery.js';

/** A mask applied to a selected column; `key` is the secret of keyed hashes. */
export interface MaskSpec {
  readonly name: MaskName;
  readonly key?: string;
}

/** The expression that reads `column` (as `ref`, its quoted column by default) through `mask`, keeping the column's type. */
export function maskExpression(column: Column, mask: MaskSpec, params: Params, ref = quoteIdent(column.name)): string {
  const c = ref;
  switch (mask.name) {
    case 'redact':
      return `CASE WHEN ${c} IS NULL THEN NULL ELSE '***' END`;
    case 'null':
      return `CAST(NULL AS ${PARAM_CASTS[column.type]})`;
    case 'hash':
      return `substr(sha256(${params.add(mask.key ?? '', 'string')} || ${c}), 1, 16)`;
    case 'last4':
      return `repeat('*', greatest(length(${c}) - 4, 0)) || right(${c}, 4)`;
    case 'email':
      return `left(${c}, 1) || '***@' || split_part(${c}, '@', 2)`;
    case 'year':
      return `CAST(date_trunc('year', ${c}) AS ${PARAM_CASTS[column.type]})`;
    case 'round':
      return `CAST(round(${c} / 100) * 100 AS ${PARAM_CASTS[column.type]})`;
  }
}
