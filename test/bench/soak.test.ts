/** The soak group: opt-in, and its growth measure. */
import { DEFAULT_GROUPS, groupsAt } from '../../bench/groups.js';
import { slopePerMinute } from '../../bench/soak.js';

describe('the soak', () => {
  it('runs only when named, and never inside a scale', () => {
    expect(DEFAULT_GROUPS).not.toContain('soak');
    expect(groupsAt(1, undefined)).not.toContain('soak');
    expect(groupsAt(1, ['soak', 'lookup'])).toEqual(['lookup']);
  });

  it('measures growth as the least-squares slope per minute', () => {
    expect(
      slopePerMinute([
        [0, 100],
        [30, 101],
        [60, 102],
      ]),
    ).toBeCloseTo(2);
    expect(
      slopePerMinute([
        [0, 100],
        [60, 100],
      ]),
    ).toBe(0);
    expect(slopePerMinute([[0, 100]])).toBe(0);
  });
});
