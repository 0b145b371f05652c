import { compareContracts, strictestMode } from '../../policies/compatibility/index.js';
import type { CompatibilityMode, Contract } from '../../schema/index.js';
import { changing, field, ORDERS, without } from './fixtures.js';

const MODES: readonly CompatibilityMode[] = ['BACKWARD', 'FORWARD', 'FULL', 'NONE'];
const at = { product: 'orders-enriched', file: 'subgraphs/commerce/schemas/orders.avsc' };
type Severities = readonly ['violation' | 'warning', 'violation' | 'warning', 'violation' | 'warning', 'violation' | 'warning'];

const V = 'violation' as const;
const W = 'warning' as const;
const BACKWARD_ONLY: Severities = [V, W, V, W];
const FORWARD_ONLY: Severities = [W, V, V, W];
const BOTH: Severities = [V, V, V, W];
const NEITHER: Severities = [W, W, W, W];

/** Each kind of change: the new contract, the field, what the finding says changed, and its severity under BACKWARD, FORWARD, FULL, NONE. */
const CASES: readonly { kind: string; after: Contract; field: string; what: string; severities: Severities }[] = [
  { kind: 'field-removed', after: without(ORDERS, 'channel'), field: 'channel', what: 'field "channel" (string, required) was removed', severities: FORWARD_ONLY },
  { kind: 'field-removed', after: without(ORDERS, 'note'), field: 'note', what: 'field "note" (string, nullable) was removed', severities: NEITHER },
  {
    kind: 'required-field-added',
    after: { ...ORDERS, fields: [...ORDERS.fields, field('currency', { description: 'ISO 4217 code.' })] },
    field: 'currency',
    what: 'required field "currency" (string) was added',
    severities: BACKWARD_ONLY,
  },
  {
    kind: 'field-renamed',
    after: changing(ORDERS, 'channel', { name: 'sales_channel' }),
    field: 'channel',
    what: 'field "channel" was renamed to "sales_channel" (same type and description)',
    severities: BOTH,
  },
  {
    kind: 'type-narrowed',
    after: changing(ORDERS, 'item_count', { type: 'integer' }),
    field: 'item_count',
    what: 'field "item_count" was narrowed from bigint to integer',
    severities: BACKWARD_ONLY,
  },
  {
    kind: 'type-narrowed',
    after: changing(ORDERS, 'total_amount', { type: 'integer' }),
    field: 'total_amount',
    what: 'field "total_amount" was narrowed from double to integer',
    severities: BACKWARD_ONLY,
  },
  {
    kind: 'type-narrowed',
    after: changing(ORDERS, 'order_ts', { type: 'date' }),
    field: 'order_ts',
    what: 'field "order_ts" was narrowed from timestamp to date',
    severities: BACKWARD_ONLY,
  },
  {
    kind: 'type-narrowed',
    after: changing(ORDERS, 'channel', { type: 'boolean' }),
    field: 'channel',
    what: 'field "channel" was narrowed from string to boolean',
    severities: BACKWARD_ONLY,
  },
  {
    kind: 'type-narrowed',
    after: changing(ORDERS, 'net_amount', { precision: 10 }),
    field: 'net_amount',
    what: 'field "net_amount" was narrowed from decimal(12,2) to decimal(10,2)',
    severities: BACKWARD_ONLY,
  },
  {
    kind: 'type-widened',
    after: changing(ORDERS, 'item_count', { type: 'double' }),
    field: 'item_count',
    what: 'field "item_count" was widened from bigint to double',
    severities: FORWARD_ONLY,
  },
  {
    kind: 'type-changed',
    after: changing(ORDERS, 'order_ts', { type: 'boolean' }),
    field: 'order_ts',
    what: 'field "order_ts" changed type from timestamp to boolean',
    severities: BOTH,
  },
  {
    kind: 'nullable-made-required',
    after: changing(ORDERS, 'discount', { nullable: false }),
    field: 'discount',
    what: 'field "discount" was nullable and is now required',
    severities: BACKWARD_ONLY,
  },
  {
    kind: 'required-made-nullable',
    after: changing(ORDERS, 'channel', { nullable: true }),
    field: 'channel',
    what: 'field "channel" was required and is now nullable',
    severities: FORWARD_ONLY,
  },
  {
    kind: 'key-changed',
    after: { ...changing(changing(ORDERS, 'order_id', { key: false }), 'customer_id', { key: true }), keys: ['customer_id'] },
    field: 'customer_id',
    what: 'the key changed from "order_id" to "customer_id"',
    severities: BOTH,
  },
  {
    kind: 'reference-changed',
    after: changing(ORDERS, 'customer_id', { references: undefined }),
    field: 'customer_id',
    what: 'field "customer_id" referenced customer-profiles.customer_id and no longer references anything',
    severities: BOTH,
  },
  {
    kind: 'classification-loosened',
    after: changing(ORDERS, 'email', { classification: 'none' }),
    field: 'email',
    what: 'field "email" was classified email and is now none: PII declassified',
    severities: BOTH,
  },
  {
    kind: 'classification-changed',
    after: changing(ORDERS, 'email', { classification: 'name' }),
    field: 'email',
    what: 'field "email" changed classification from email to name',
    severities: BOTH,
  },
  {
    kind: 'classification-tightened',
    after: changing(ORDERS, 'note', { classification: 'free-text' }),
    field: 'note',
    what: 'field "note" was not PII and is now classified free-text',
    severities: FORWARD_ONLY,
  },
  {
    kind: 'enum-value-removed',
    after: changing(ORDERS, 'status', { enum: ['placed', 'paid'] }),
    field: 'status',
    what: 'field "status" no longer allows "cancelled"',
    severities: BACKWARD_ONLY,
  },
  {
    kind: 'enum-value-added',
    after: changing(ORDERS, 'status', { enum: ['placed', 'paid', 'cancelled', 'shipped'] }),
    field: 'status',
    what: 'field "status" now also allows "shipped"',
    severities: FORWARD_ONLY,
  },
  {
    kind: 'enum-added',
    after: changing(ORDERS, 'channel', { enum: ['web', 'app'] }),
    field: 'channel',
    what: 'field "channel" is now restricted to "web", "app"',
    severities: BACKWARD_ONLY,
  },
  {
    kind: 'enum-removed',
    after: changing(ORDERS, 'status', { enum: undefined }),
    field: 'status',
    what: 'field "status" is no longer restricted to "placed", "paid", "cancelled"',
    severities: FORWARD_ONLY,
  },
];

describe('compareContracts, for each kind of change under each compatibility mode', () => {
  for (const c of CASES) {
    MODES.forEach((mode, i) => {
      const severity = c.severities[i]!;
      it(`reports ${c.what} as a ${severity} under ${mode}`, () => {
        const findings = compareContracts(ORDERS, c.after, mode, at);
        expect(findings).toHaveLength(1);
        const f = findings[0]!;
        expect(f).toEqual({ rule: c.kind, severity, product: 'orders-enriched', field: c.field, file: at.file, message: expect.any(String), fix: expect.any(String) });
        if (severity === 'violation') expect(f.message).toMatch(new RegExp(`^${escape(c.what)}: breaking under ${mode}: consumers `));
        else if (mode === 'NONE')
          expect(f.message).toMatch(new RegExp(`^${escape(c.what)}: (it would break .* allowed because the compatibility mode is NONE|compatible under every mode)$`));
        else expect(f.message).toMatch(new RegExp(`^${escape(c.what)}: compatible under ${mode}`));
      });
    });
  }
});

const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('compareContracts, the exact findings', () => {
  it('names a required field removed under FORWARD, who it breaks and how to fix it', () => {
    expect(compareContracts(ORDERS, without(ORDERS, 'channel'), 'FORWARD', at)).toEqual([
      {
        rule: 'field-removed',
        severity: 'violation',
        product: 'orders-enriched',
        field: 'channel',
        file: at.file,
        message: 'field "channel" (string, required) was removed: breaking under FORWARD: consumers still on the old contract cannot read data written under the new one',
        fix: 'Keep "channel" in the contract, or publish the change as a new major version (a "-v2" product) served beside this one, which you mark deprecated with a successor and a sunset.',
      },
    ]);
  });

  it('says a narrowed type breaks BACKWARD readers and would only break BACKWARD when the mode is FORWARD', () => {
    const after = changing(ORDERS, 'item_count', { type: 'integer' });
    expect(compareContracts(ORDERS, after, 'BACKWARD', at)[0]?.message).toBe(
      'field "item_count" was narrowed from bigint to integer: breaking under BACKWARD: consumers using the new contract cannot read data written under the old one',
    );
    expect(compareContracts(ORDERS, after, 'FORWARD', at)[0]?.message).toBe(
      'field "item_count" was narrowed from bigint to integer: compatible under FORWARD (it would break BACKWARD)',
    );
  });

  it('flags PII declassified under FULL with a fix that involves the data steward', () => {
    const [f] = compareContracts(ORDERS, changing(ORDERS, 'email', { classification: 'none' }), 'FULL', at);
    expect(f?.message).toBe(
      'field "email" was classified email and is now none: PII declassified: breaking under FULL: consumers using the new contract cannot read data written under the old one; consumers still on the old contract cannot read data written under the new one',
    );
    expect(f?.fix).toMatch(/^Keep "email" classified as PII unless the data steward confirms/);
  });

  it('reports every change of a contract changed in several ways', () => {
    const after = changing(changing(without(ORDERS, 'channel'), 'status', { enum: ['placed'] }), 'discount', { nullable: false });
    expect(compareContracts(ORDERS, after, 'FULL', at).map((f) => `${f.rule} ${f.field}`)).toEqual([
      'field-removed channel',
      'enum-value-removed status',
      'nullable-made-required discount',
    ]);
  });

  it('finds nothing when only descriptions changed or a nullable field was added', () => {
    const after = {
      ...changing(ORDERS, 'channel', { description: 'Where it was sold.' }),
      description: 'Orders, enriched.',
      fields: [...changing(ORDERS, 'channel', { description: 'Where it was sold.' }).fields, field('coupon', { nullable: true })],
    };
    for (const mode of MODES) expect(compareContracts(ORDERS, after, mode, at)).toEqual([]);
  });

  it('does not take a removed and an added field of different types as a rename', () => {
    const after = { ...without(ORDERS, 'channel'), fields: [...without(ORDERS, 'channel').fields, field('sales_channel', { type: 'integer', description: 'Sales channel.' })] };
    expect(compareContracts(ORDERS, after, 'BACKWARD', at).map((f) => f.rule)).toEqual(['field-removed', 'required-field-added']);
  });

  it('judges a change under the stricter of two modes', () => {
    expect(strictestMode('BACKWARD', 'NONE')).toBe('BACKWARD');
    expect(strictestMode('NONE', 'FORWARD')).toBe('FORWARD');
    expect(strictestMode('BACKWARD', 'FORWARD')).toBe('FULL');
    expect(strictestMode('FULL', 'BACKWARD')).toBe('FULL');
  });
});

describe('composite references', () => {
  const withRef: Contract = { ...ORDERS, references: [{ product: 'order-lines', columns: ['order_id', 'item_count'], fields: [] }] };

  it('reports a composite reference removed or pointed elsewhere as reference-changed, breaking both ways', () => {
    for (const after of [ORDERS, { ...withRef, references: [{ product: 'order-lines', columns: ['item_count', 'order_id'], fields: [] }] }]) {
      const found = compareContracts(withRef, after, 'BACKWARD', at);
      expect(found.map((f) => [f.severity, f.message])).toEqual([['violation', expect.stringContaining('the reference order-lines(order_id, item_count) was removed or changed')]]);
    }
  });

  it('finds nothing when the composite reference stays, and adding one breaks nobody', () => {
    expect(compareContracts(withRef, withRef, 'FULL', at)).toEqual([]);
    expect(compareContracts(ORDERS, withRef, 'FULL', at)).toEqual([]);
  });
});
