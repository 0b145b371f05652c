/** schema/odcs/: ODCS v3.0.2 interchange: the official JSON Schema (vendored, see NOTICE), writing a contract as ODCS and reading one back. */
export { validateOdcs } from './validateOdcs.js';
export { importOdcs } from './importOdcs.js';
export { toOdcs, type OdcsProductInfo } from '../contract/toOdcs.js';
