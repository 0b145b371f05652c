/**
 * The catalog page's queries against the API schema the sample mesh composes to: if the catalog's
 * SDL changes under them, this fails before any browser does.
 */
import { parse, validate, type GraphQLSchema } from 'graphql';
import { CATALOG_QUERIES, catalogQueriesModule } from '../../gateway/catalog/catalogQueries.js';
import { loadSampleMesh, sampleApiSchema } from '../support/sampleMesh.js';

describe('the catalog page queries', () => {
  let schema: GraphQLSchema;

  beforeAll(async () => {
    schema = sampleApiSchema((await loadSampleMesh()).mesh);
  });

  it.each(Object.entries(CATALOG_QUERIES))('%s is valid against the composed schema', (_name, text) => {
    expect(validate(schema, parse(text)).map((e) => e.message)).toEqual([]);
  });

  it('names each operation, so the access log and usage tell the catalog page apart', () => {
    const names = Object.values(CATALOG_QUERIES).map((text) => /^query (\w+)/.exec(text)?.[1]);
    expect(names).toEqual(['CatalogList', 'CatalogProduct', 'CatalogHealth']);
  });

  it('generates an ES module with each query as a string constant', () => {
    const module = catalogQueriesModule();
    for (const [name, text] of Object.entries(CATALOG_QUERIES)) expect(module).toContain(`export const ${name} = ${JSON.stringify(text)};`);
    expect(module).not.toMatch(/<\/script/i);
  });
});
