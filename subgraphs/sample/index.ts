/** subgraphs/sample: the sample mesh's data, built by the domains' own generators, for `meshgate seed`, `up`, the tests and the bench. */
export { seedSample, type SeedOptions, type SeededDomain } from './seedSample.js';
