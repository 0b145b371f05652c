/** The catalog's queries the benchmark sends: the list and a product page, as the /catalog page asks them. */

/** The product list. */
export const CATALOG_LIST_QUERY = `query CatalogList($search: String) { dataProducts(search: $search) {
  name domain owner description tags status sunset successor pii
  slaStatus { ok fresh ageSeconds freshnessTargetSeconds problems } currentVersion { version testsPassed testsFailed } } }`;

/** A product page. */
export const CATALOG_PRODUCT_QUERY = `query CatalogProduct($name: String!) { dataProduct(name: $name) {
  name domain owner description tags version status sunset successor graphqlType pii
  rootFields { list connection byKey aggregate }
  fields { name type classification pii access mask nullable key references description }
  inputs { source type domain purpose } outputs { name format } sla { freshness completeness availability }
  slaStatus { ok fresh ageSeconds freshnessTargetSeconds completeness completenessTarget testsPassed problems }
  versions(limit: 10) { version status serving createdAt dataAsOf rows testsPassed testsFailed findings { check severity message field } }
  profile { rows columns { field nullShare distinctCount min max withheld } }
  sample(limit: 10) { fields rows }
  usage { last7Days { queries refused consumers } last30Days { queries refused consumers topConsumers { name count } topOperations { name count } } }
  lineage { nodes { id kind name domain type version } edges { from to kind fields } columns { from fromColumn to toColumn kind } } } }`;
