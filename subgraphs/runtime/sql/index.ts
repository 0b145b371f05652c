/** sql/: the one module that writes SQL text. */
export * from './SqlQuery.js';
export * from './Condition.js';
export * from './buildSelect.js';
export * from './buildTable.js';
export * from './masks.js';
export * from './contractSql.js';
export * from './accessLogSql.js';
export * from './settingsSql.js';
export * from './sampleDataSql.js';
export * from './buildSql.js';
export * from './catalogSql.js';
export * from './onboardSql.js';
