/**
 * Every governance rule of `meshgate check`, each with a mesh that violates it and one that
 * conforms, asserting the exact findings a domain team would read.
 */
import type { Finding } from '../../policies/governance/index.js';
import { checkMesh as check, contract, customers, descriptor, orders, property, repoConfig, repoMasks, type FixtureProduct } from './meshFixture.js';

const ORDERS = 'shop/orders.data-product.yaml';
const CUSTOMERS = 'customers/customers.data-product.yaml';
const violation = (rule: string, product: string, file: string, message: string, fix: string, field?: string): Finding => ({
  rule,
  severity: 'violation',
  product,
  ...(field !== undefined && { field }),
  file,
  message,
  fix,
});

describe('a conforming mesh', () => {
  it('has no finding under any rule', async () => {
    expect(await check([customers(), orders()])).toEqual([]);
  });
});

describe('product-name', () => {
  it('reports a product name the loader refuses, and that its domain is left out', async () => {
    expect(await check([customers(), orders({ descriptor: { name: 'Orders' } })])).toEqual([
      violation(
        'product-name',
        'Orders',
        'shop/Orders.data-product.yaml',
        'name: a kebab-case product name such as "orders-enriched" (the domain "shop" is left out of the mesh until this is fixed)',
        'Give the product a unique name like "orders-enriched" (^[a-z][a-z0-9]*(-[a-z0-9]+)*$).',
      ),
    ]);
  });

  it('reports a name against the configured convention, and accepts one that follows it', async () => {
    const strict = { ...(await repoConfig()).naming, product: { pattern: /^[a-z]+$/, example: 'orders' } };
    expect(await check([customers(), orders({ descriptor: { name: 'web-orders' } })], { config: { naming: strict } })).toEqual([
      violation(
        'product-name',
        'web-orders',
        'shop/web-orders.data-product.yaml',
        'product name "web-orders" does not match the naming convention ^[a-z]+$',
        'Rename the product like "orders" (consumers see the new name: announce it as a new product).',
      ),
    ]);
    expect(await check([customers(), orders()], { config: { naming: strict } })).toEqual([]);
  });
});

describe('field-name', () => {
  it('reports a column that breaks the snake_case convention', async () => {
    const props = [property('order_id', { primaryKey: true }), property('_loaded_at', { logicalType: 'timestamp', physicalType: 'TIMESTAMP' })];
    expect(await check([customers(), orders({ properties: props, descriptor: { inputs: [] } })])).toEqual([
      violation(
        'field-name',
        'orders',
        ORDERS,
        'field name "_loaded_at" does not match the naming convention ^[a-z][a-z0-9]*(_[a-z0-9]+)*$',
        'Rename the column like "total_amount" in the output and the contract (a breaking change: publish it as a new major version).',
        '_loaded_at',
      ),
    ]);
  });

  it('accepts snake_case columns with digits', async () => {
    const props = [property('order_id', { primaryKey: true }), property('line2_amount', { logicalType: 'number', physicalType: 'DOUBLE' })];
    expect(await check([customers(), orders({ properties: props, descriptor: { inputs: [] } })])).toEqual([]);
  });
});

describe('output-versioned', () => {
  const output = (name: string) => ({ outputs: [{ name, format: 'parquet', location: 'shop/orders/', schema: 'schemas/orders.odcs.yaml' }] });

  it('reports an output without a version suffix', async () => {
    expect(await check([customers(), orders({ descriptor: output('orders') })])).toEqual([
      violation('output-versioned', 'orders', ORDERS, 'output "orders" has no version suffix: expected a name ending in -v<major>', 'Name the output "orders-v1".'),
    ]);
  });

  it("reports a served output whose major version is not its contract's", async () => {
    expect(await check([customers(), orders({ descriptor: output('orders-v2') })])).toEqual([
      violation(
        'output-versioned',
        'orders',
        ORDERS,
        'output "orders-v2" says major version 2, but its contract is version 1.0.0',
        'Name the output "orders-v1", or give the contract the major version the name says.',
      ),
    ]);
  });

  it('accepts a second major version served as its own output', async () => {
    expect(await check([customers(), orders({ descriptor: output('orders-v2'), contract: { version: '2.1.0' } })])).toEqual([]);
  });
});

describe('product-has-owner', () => {
  const fix = "Set owner to the owning team's email address (e.g. commerce-data-team@company.com) or @team handle (e.g. @commerce-data).";

  it('reports an owner that cannot be reached', async () => {
    expect(await check([customers(), orders({ descriptor: { owner: 'the shop team' } })])).toEqual([
      violation('product-has-owner', 'orders', ORDERS, 'owner "the shop team" cannot be reached: expected an email address or a @team handle', fix),
    ]);
  });

  it('reports a descriptor without an owner, which the loader refuses', async () => {
    expect(await check([customers(), orders({ descriptor: { owner: undefined } })])).toEqual([
      violation(
        'product-has-owner',
        'orders',
        ORDERS,
        'no owner: expected an email address or a @team handle (the domain "shop" is left out of the mesh until this is fixed)',
        fix,
      ),
    ]);
  });

  it('accepts a @team handle', async () => {
    expect(await check([customers(), orders({ descriptor: { owner: '@acme/shop-data' } })])).toEqual([]);
  });
});

describe('fields-classified', () => {
  it('names the unclassified field the loader refused', async () => {
    const props = [property('customer_id', { primaryKey: true }), property('email', { classification: undefined })];
    const findings = await check([customers({ properties: props })]);
    expect(findings).toEqual([
      violation(
        'fields-classified',
        'customers',
        'customers/schemas/customers.odcs.yaml',
        'schema[0].properties[1] email: no classification: add "classification": "none" or a PII kind (name, email, phone, date-of-birth, address, pan, person-id, ip-address, free-text) (the domain "customers" is left out of the mesh until this is fixed)',
        'Classify email: "none" if it is not personal data, else its PII class (name, email, phone, date-of-birth, address, pan, person-id, ip-address, free-text).',
        'email',
      ),
    ]);
  });

  it('names the field in an Avro contract too', async () => {
    const avro = JSON.stringify({
      type: 'record',
      name: 'Customer',
      fields: [
        { name: 'customer_id', type: 'string', key: true, classification: 'none' },
        { name: 'phone', type: 'string' },
      ],
    });
    const product: FixtureProduct = {
      domain: 'customers',
      descriptor: descriptor('customers', 'customers', { outputs: [{ name: 'customers-v1', format: 'parquet', location: 'c/', schema: 'schemas/customers.avsc' }] }),
      contract: avro,
    };
    const [finding] = await check([product]);
    expect(finding).toMatchObject({ rule: 'fields-classified', product: 'customers', field: 'phone' });
  });
});

describe('pii-has-mask', () => {
  it('reports a PII classification without a mask', async () => {
    const { email: _email, ...withoutEmail } = await repoMasks();
    expect(await check([customers(), orders()], { masks: withoutEmail })).toEqual([
      violation(
        'pii-has-mask',
        'customers',
        CUSTOMERS,
        'field "email" is classified "email", which has no mask in the access policy',
        'Add "email: <mask>" under masks: in the access policy (one of redact, null, hash, last4, email, year, round).',
        'email',
      ),
    ]);
  });

  it("reports a mask that does not fit the field's type", async () => {
    const props = [property('customer_id', { primaryKey: true }), property('birth_year', { classification: 'date-of-birth' })];
    const [finding] = await check([customers({ properties: props })]);
    expect(finding).toEqual(
      violation(
        'pii-has-mask',
        'customers',
        CUSTOMERS,
        'field "birth_year" (string, classified "date-of-birth"): the "year" mask applies to date, timestamp fields, not string',
        'Map "date-of-birth" to a mask that fits string values, or classify the field differently.',
        'birth_year',
      ),
    );
  });

  it('accepts every classification the sample policy masks', async () => {
    expect(await check([customers()])).toEqual([]);
  });
});

describe('sla-baseline', () => {
  it('reports a freshness looser and a completeness lower than the baselines', async () => {
    expect(await check([customers(), orders({ descriptor: { sla: { freshness: '48h', completeness: '95%' } } })])).toEqual([
      violation(
        'sla-baseline',
        'orders',
        ORDERS,
        "freshness 48h is looser than the mesh's baseline of 24h",
        'Promise a freshness of 24h or less under sla: (and refresh the output that often).',
      ),
      violation(
        'sla-baseline',
        'orders',
        ORDERS,
        "completeness 95% is below the mesh's baseline of 99%",
        'Promise a completeness of 99% or more under sla: (and fill the required fields that often).',
      ),
    ]);
  });

  it('reports a missing freshness, which every product must declare', async () => {
    expect(await check([customers(), orders({ descriptor: { sla: { completeness: '99%' } } })])).toEqual([
      violation('sla-baseline', 'orders', ORDERS, 'the SLA declares no freshness, which every product must', 'Add "freshness: 24h" (or stricter) under sla: in the descriptor.'),
    ]);
  });

  it('reports an SLA entry the loader refuses', async () => {
    const [finding] = await check([customers(), orders({ descriptor: { sla: { freshness: 'hourly' } } })]);
    expect(finding).toEqual(
      violation(
        'sla-baseline',
        'orders',
        ORDERS,
        'sla.freshness: a duration such as "1h" or "24h" (the domain "shop" is left out of the mesh until this is fixed)',
        'Write the SLA entry as the message says, e.g. freshness: 24h, completeness: 99%.',
      ),
    );
  });

  it('accepts exactly the baselines', async () => {
    expect(await check([customers(), orders({ descriptor: { sla: { freshness: '24h', completeness: '99%' } } })])).toEqual([]);
  });
});

describe('freshness-field', () => {
  it('reports a freshness_field that is not a timestamp', async () => {
    expect(await check([customers(), orders({ descriptor: { sla: { freshness: '1h', freshness_field: 'total_amount' } } })])).toEqual([
      violation(
        'freshness-field',
        'orders',
        ORDERS,
        'sla.freshness_field names "total_amount", a double field: expected a timestamp or date',
        "Name one of the contract's timestamp or date fields (order_ts), or remove freshness_field to measure freshness from when each version's data is as of.",
        'total_amount',
      ),
    ]);
  });

  it('reports a freshness_field the contract does not have', async () => {
    const [finding] = await check([customers(), orders({ descriptor: { sla: { freshness: '1h', freshness_field: 'placed_at' } } })]);
    expect(finding).toMatchObject({ rule: 'freshness-field', field: 'placed_at', message: 'sla.freshness_field names "placed_at", which is not a field of the contract' });
  });

  it('accepts a timestamp field', async () => {
    expect(await check([customers(), orders({ descriptor: { sla: { freshness: '1h', freshness_field: 'order_ts' } } })])).toEqual([]);
  });
});

describe('interoperable-format', () => {
  const outputs = (...formats: string[]) => ({
    outputs: formats.map((format, i) => ({ name: `orders-${format.toLowerCase()}-v1`, format, location: `shop/orders-${i}/`, schema: 'schemas/orders.odcs.yaml' })),
  });

  it('reports an output in a format other domains cannot read', async () => {
    expect(await check([customers(), orders({ descriptor: outputs('parquet', 'xlsx') })])).toEqual([
      violation(
        'interoperable-format',
        'orders',
        ORDERS,
        'output "orders-xlsx-v1" is published as "xlsx", which is not an interoperable format (parquet)',
        'Publish the output as parquet.',
      ),
    ]);
  });

  it('reports a product with no Parquet output at all, which the loader refuses', async () => {
    expect(await check([customers(), orders({ descriptor: outputs('csv') })])).toEqual([
      violation(
        'interoperable-format',
        'orders',
        ORDERS,
        'outputs: expected an output with format "parquet" (the format meshgate serves) (the domain "shop" is left out of the mesh until this is fixed)',
        'Publish the output as parquet.',
      ),
    ]);
  });

  it('accepts Parquet whatever its case', async () => {
    expect(await check([customers(), orders({ descriptor: outputs('Parquet') })])).toEqual([]);
  });
});

describe('deprecation-lifecycle', () => {
  it('reports a deprecated product without successor or sunset date', async () => {
    expect(await check([customers({ descriptor: { status: 'deprecated' } })])).toEqual([
      violation('deprecation-lifecycle', 'customers', CUSTOMERS, 'deprecated without a successor', 'Add "successor: <product>" naming the product that replaces this one.'),
      violation('deprecation-lifecycle', 'customers', CUSTOMERS, 'deprecated without a sunset date', 'Add "sunset: YYYY-MM-DD", the day the product stops being served.'),
    ]);
  });

  it('reports a successor that does not exist and a sunset date that has passed, and warns its consumers', async () => {
    expect(await check([customers({ descriptor: { status: 'deprecated', successor: 'clients', sunset: '2026-05-31' } }), orders()])).toEqual([
      violation(
        'deprecation-lifecycle',
        'customers',
        CUSTOMERS,
        'successor "clients" is not a product of the mesh',
        'Name an existing product as successor, or publish "clients" first.',
      ),
      violation(
        'deprecation-lifecycle',
        'customers',
        CUSTOMERS,
        'sunset date 2026-05-31 is not in the future (today is 2026-06-01)',
        'Retire the product now, or move its sunset date to a day consumers can still reach.',
      ),
      {
        rule: 'deprecation-lifecycle',
        severity: 'warning',
        product: 'orders',
        file: ORDERS,
        message: 'reads "customers", which is deprecated (sunset 2026-05-31)',
        fix: 'Move to "clients" before the sunset date.',
      },
    ]);
  });

  it('accepts a deprecated product with an existing successor and a future sunset (its consumers get a warning only)', async () => {
    const clients: FixtureProduct = {
      domain: 'customers',
      descriptor: descriptor('customers-next', 'customers'),
      contract: contract('Client', [property('customer_id', { primaryKey: true })]),
    };
    const findings = await check([customers({ descriptor: { status: 'deprecated', successor: 'customers-next', sunset: '2026-12-31' } }), clients, orders()]);
    expect(findings.filter((f) => f.severity === 'violation')).toEqual([]);
    expect(findings.map((f) => [f.rule, f.product, f.severity])).toEqual([['deprecation-lifecycle', 'orders', 'warning']]);
  });
});

describe('known-purposes', () => {
  it('reports purposes outside the agreed list, for the product and for a field', async () => {
    const props = [property('customer_id', { primaryKey: true }), property('email', { classification: 'email', customProperties: [{ property: 'purposes', value: ['resale'] }] })];
    expect(await check([customers({ properties: props, contract: { customProperties: [{ property: 'purposes', value: ['analytics', 'lead-generation'] }] } })])).toEqual([
      violation(
        'known-purposes',
        'customers',
        CUSTOMERS,
        'purpose "lead-generation" is not a known purpose of use',
        'Use one of the known purposes (analytics, fulfillment, marketing, support, finance, fraud, partner-reporting, audit), or agree on "lead-generation" in policies/governance.yaml first.',
      ),
      violation(
        'known-purposes',
        'customers',
        CUSTOMERS,
        'field "email" allows purpose "resale", which is not a known purpose of use',
        'Use one of the known purposes (analytics, fulfillment, marketing, support, finance, fraud, partner-reporting, audit), or agree on "resale" in policies/governance.yaml first.',
        'email',
      ),
    ]);
  });

  it('accepts the known purposes', async () => {
    expect(await check([customers({ contract: { customProperties: [{ property: 'purposes', value: ['fulfillment', 'audit'] }] } })])).toEqual([]);
  });
});

describe('references-resolve', () => {
  const withReference = (reference: string, type: Record<string, unknown> = {}) => [
    property('order_id', { primaryKey: true }),
    property('customer_id', { ...type, customProperties: [{ property: 'references', value: reference }] }),
  ];

  it('reports a reference to a product that does not exist', async () => {
    expect(await check([customers(), orders({ properties: withReference('clients.customer_id') })])).toEqual([
      violation(
        'references-resolve',
        'orders',
        ORDERS,
        'fields.customer_id.references: "clients" is not a product being served, so the reference is served as a plain value',
        'Reference the key of an existing product as "<product>.<key column>", e.g. customer-profiles.customer_id.',
        'customer_id',
      ),
    ]);
  });

  it('reports a reference to a column that is not the key, and one of another type than the key', async () => {
    const [notKey] = await check([customers(), orders({ properties: withReference('customers.email') })]);
    expect(notKey).toMatchObject({
      rule: 'references-resolve',
      field: 'customer_id',
      message: 'fields.customer_id.references: expected the key of "customers" (customer_id), got "email"',
    });
    expect(await check([customers(), orders({ properties: withReference('customers.customer_id', { logicalType: 'integer', physicalType: 'BIGINT' }) })])).toEqual([
      violation(
        'references-resolve',
        'orders',
        ORDERS,
        'field "customer_id" is bigint, but the key it references (customers.customer_id) is string',
        'Declare customer_id as string, like the key of "customers".',
        'customer_id',
      ),
    ]);
  });

  it('reports a data-product input that is not in the mesh, or of another domain', async () => {
    expect(
      await check([
        customers(),
        orders({
          descriptor: {
            inputs: [
              { source: 'carts', type: 'data-product' },
              { source: 'customers', type: 'data-product', domain: 'crm' },
            ],
          },
        }),
      ]),
    ).toEqual([
      violation(
        'references-resolve',
        'orders',
        ORDERS,
        'input "carts" is not a product of the mesh',
        'Name an existing product as input (or declare "carts" with another type if it is not a data product).',
      ),
      violation(
        'references-resolve',
        'orders',
        ORDERS,
        'input "customers" is said to come from domain "crm", but it belongs to "customers"',
        'Write domain: customers for the input "customers".',
      ),
    ]);
  });
});

describe('descriptor-valid', () => {
  it('reports a contract that is not YAML, naming the file, and that the domain is left out', async () => {
    const [finding, ...rest] = await check([customers(), { ...orders(), contract: 'schema: [\n  - {name: x\n' }]);
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({
      rule: 'descriptor-valid',
      severity: 'violation',
      product: 'orders',
      file: 'shop/schemas/orders.odcs.yaml',
      fix: 'Correct the file in shop/schemas/orders.odcs.yaml as the message says.',
    });
    expect(finding!.message).toMatch(/^expected valid YAML: .* \(the domain "shop" is left out of the mesh until this is fixed\)$/);
  });

  it('reports a contract of the wrong kind with the path inside it', async () => {
    expect(await check([customers(), orders({ contract: { kind: 'Table' } })])).toEqual([
      violation(
        'descriptor-valid',
        'orders',
        'shop/schemas/orders.odcs.yaml',
        'kind: "DataContract" (the domain "shop" is left out of the mesh until this is fixed)',
        'Correct kind in shop/schemas/orders.odcs.yaml as the message says.',
      ),
    ]);
  });
});

describe('the rules: switch', () => {
  const loose = () => orders({ descriptor: { sla: { freshness: '48h' } } });

  it('turns a rule off', async () => {
    expect(await check([customers(), loose()], { config: { rules: { 'sla-baseline': 'off' } } })).toEqual([]);
  });

  it('turns a rule into a warning', async () => {
    const findings = await check([customers(), loose()], { config: { rules: { 'sla-baseline': 'warning' } } });
    expect(findings.map((f) => [f.rule, f.severity])).toEqual([['sla-baseline', 'warning']]);
  });

  it('lets a refused declaration fall through to descriptor-valid when its own rule is off', async () => {
    const findings = await check([customers(), orders({ descriptor: { owner: undefined } })], { config: { rules: { 'product-has-owner': 'off' } } });
    expect(findings.map((f) => [f.rule, f.message])).toEqual([['descriptor-valid', expect.stringMatching(/^owner: .*left out of the mesh/)]]);
  });
});
