/** schema/lineage: a product's lineage across the mesh as plain data (declared inputs, consumers, column edges from the served versions), and its DOT and Mermaid renderings. */
export * from './LineageGraph.js';
export { buildLineageGraph, buildMeshLineage, type ServedLineage } from './buildLineageGraph.js';
export { readServedLineage } from './readServedLineage.js';
export { toDot, dotString } from './toDot.js';
export { toMermaid, mermaidText } from './toMermaid.js';
