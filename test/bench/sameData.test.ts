import { canonicalJson, firstDifference, mismatches } from '../../bench/sameData.js';
import { groupsAt } from '../../bench/groups.js';
import { parseGroups, parseScales } from '../../cli/commands/bench.js';

describe('canonicalJson', () => {
  it('sorts every object key, at any depth, and keeps array order', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, 1], c: null } })).toBe('{"a":{"c":null,"d":[2,1]},"b":1}');
  });
});

describe('firstDifference', () => {
  it('is undefined for the same data, whatever the key order', () => {
    expect(firstDifference({ customer: { id: 'C1', name: 'Ana' } }, { customer: { name: 'Ana', id: 'C1' } })).toBeUndefined();
  });

  it('names the first place that differs', () => {
    expect(firstDifference({ orders: [{ id: 1 }, { id: 2 }] }, { orders: [{ id: 1 }, { id: 3 }] })).toBe('data.orders[1].id: 2 vs 3');
    expect(firstDifference({ orders: [1, 2] }, { orders: [1] })).toBe('data.orders: 2 items vs 1');
    expect(firstDifference({ a: 1 }, { b: 1 })).toBe('data.a: present vs missing');
    expect(firstDifference({ a: null }, { a: { b: 1 } })).toBe('data.a: null vs {"b":1}');
  });

  it('is strict between two answers: a masked value or a number as text is different data', () => {
    expect(firstDifference({ email: 'a@x.io' }, { email: 'a***@x.io' })).toBeDefined();
    expect(firstDifference({ count: 12 }, { count: '12' })).toBeDefined();
  });

  it("is loose for the floor's rows: the same number or instant written differently is the same", () => {
    expect(firstDifference({ count: 12, total: 5.5 }, { count: '12', total: '5.50' }, true)).toBeUndefined();
    expect(firstDifference({ at: '2026-01-02T03:04:05.000Z' }, { at: '2026-01-02 03:04:05' }, true)).toBeUndefined();
    expect(firstDifference({ at: '2026-01-02T03:04:05.000Z' }, { at: '2026-01-02 03:04:06' }, true)).toBe('data.at: "2026-01-02T03:04:05.000Z" vs "2026-01-02 03:04:06"');
    expect(firstDifference({ name: 'Ana' }, { name: 'Ana ' }, true)).toBeDefined();
  });
});

describe('mismatches', () => {
  it('compares each answer with the first of its key only (the same caller and request)', () => {
    const answers = [
      { label: 'meshgate full', key: 'owner q', data: { email: 'a@x.io' } },
      { label: 'Hive', key: 'owner q', data: { email: 'a@x.io' } },
      { label: 'meshgate full, analyst', key: 'analyst q', data: { email: 'a***' } },
      { label: 'Hive, analyst', key: 'analyst q', data: { email: 'b***' } },
    ];
    expect(mismatches(answers)).toEqual(['Hive, analyst answers other data than meshgate full, analyst: data.email: "a***" vs "b***"']);
  });
});

describe('groupsAt', () => {
  it('runs every group at scale 1 and the look-ups at the others, builds apart', () => {
    expect(groupsAt(1, undefined)).toContain('dashboards');
    expect(groupsAt(1, undefined)).not.toContain('builds');
    expect(groupsAt(10, undefined)).toEqual(['lookup', 'latency']);
  });

  it('runs the groups asked for at every scale, in the bench order', () => {
    expect(groupsAt(10, ['page', 'lookup'])).toEqual(['lookup', 'page']);
    expect(groupsAt(1, ['builds'])).toEqual([]);
  });
});

describe('the bench options', () => {
  it('reads a list of scales, and refuses a bad one', () => {
    expect(parseScales('1,10')).toEqual([1, 10]);
    expect(parseScales('10, 10')).toEqual([10]);
    expect(() => parseScales('1,x')).toThrow('--scales must be positive integers');
    expect(() => parseScales('0')).toThrow('--scales');
  });

  it('reads a list of groups, and names an unknown one', () => {
    expect(parseGroups('lookup,dashboards')).toEqual(['lookup', 'dashboards']);
    expect(() => parseGroups('lookup,nope')).toThrow('unknown group "nope"');
  });
});

describe('setsOf', () => {
  it('leaves the variants out at scales other than 1', async () => {
    const { setsOf, SCALED_TARGETS } = await import('../../bench/groups.js');
    const ctx = { access: {} as never, inputs: {} as never, freshTokens: [], catalogUrl: () => '', publishing: async () => () => async () => undefined };
    const [one] = await setsOf('lookup', { ...ctx, scale: 1 });
    const [ten] = await setsOf('lookup', { ...ctx, scale: 10 });
    expect(one!.rows.map((r) => r.target)).toContain('embedded-http');
    expect(ten!.rows.map((r) => r.target)).toEqual(SCALED_TARGETS);
  });
});
