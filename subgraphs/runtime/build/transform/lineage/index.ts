/** transform/lineage: column lineage from DuckDB's parse tree of a transform, as small pure steps over the JSON (scopes, FROM, select list, expressions, set operations). */
export { statementColumns } from './queryColumns.js';
export { findColumn, unknown, type Columns, type InputTable, type Value } from './Value.js';
export { AGGREGATE_FUNCTIONS } from './aggregateFunctions.js';
