/** Compatibility of lists and structs, part by part: element types, members added and removed, members' classifications and enum symbols. */
import { fieldChanges } from '../../policies/compatibility/fieldChanges.js';
import type { FieldContract, StructMember } from '../../schema/index.js';

const field = (over: Partial<FieldContract>): FieldContract => ({ name: 'v', type: 'string', nullable: false, key: false, classification: 'none', purposes: [], ...over });
const member = (name: string, over: Partial<StructMember> = {}): StructMember => ({ name, type: 'string', nullable: false, classification: 'none', ...over });
const kinds = (o: Partial<FieldContract>, n: Partial<FieldContract>): string[] => fieldChanges(field(o), field(n)).map((c) => `${c.kind} ${c.field}: ${c.what}`);

describe('changes of value types', () => {
  it("judges a list by its elements' type and nullability", () => {
    expect(kinds({ type: 'list', items: { type: 'integer', nullable: false } }, { type: 'list', items: { type: 'bigint', nullable: false } })).toEqual([
      'type-widened v[]: field "v[]" was widened from integer to bigint',
    ]);
    expect(kinds({ type: 'list', items: { type: 'string', nullable: true } }, { type: 'list', items: { type: 'string', nullable: false } })).toEqual([
      'nullable-made-required v[]: field "v[]" was nullable and is now required',
    ]);
    expect(kinds({ type: 'list', items: { type: 'string', nullable: false } }, { type: 'string' })).toEqual(['type-changed v: field "v" changed type from list<string> to string']);
  });

  it('judges a struct member by member: removed, added, reclassified, retyped', () => {
    const o = { type: 'struct' as const, members: [member('street', { classification: 'address' }), member('zip', { nullable: true }), member('country')] };
    const n = { type: 'struct' as const, members: [member('street'), member('country', { type: 'integer' }), member('city'), member('note', { nullable: true })] };
    expect(kinds(o, n)).toEqual([
      'classification-loosened v.street: field "v.street" was classified address and is now none: PII declassified',
      'field-removed v.zip: member "v.zip" was removed',
      'type-narrowed v.country: field "v.country" was narrowed from string to integer',
      'required-field-added v.city: required member "v.city" (string) was added',
    ]);
    const removed = fieldChanges(field(o), field(n)).find((c) => c.field === 'v.zip')!;
    expect(removed.breaks).toEqual({ backward: false, forward: false });
  });

  it('treats an enum symbol added as readable by new readers of old data (BACKWARD), not by old readers of new data', () => {
    const [added] = fieldChanges(field({ enum: ['a'], enumName: 'E' }), field({ enum: ['a', 'b'], enumName: 'E' }));
    expect(added).toMatchObject({ kind: 'enum-value-added', breaks: { backward: false, forward: true } });
  });
});
