/** subgraphs/runtime/contracts: the contract tests, run against a product's real Parquet output (`meshgate test-contracts`). */
export { testContracts, type ContractTestOptions, type ContractTestReport } from './testContracts.js';
export type { ContractTestName, ContractTestResult } from './ContractTestResult.js';
