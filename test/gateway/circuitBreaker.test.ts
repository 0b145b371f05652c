import { CircuitBreaker, type CircuitState } from '../../gateway/transport/CircuitBreaker.js';

describe('CircuitBreaker', () => {
  let now = 0;
  const changes: CircuitState[] = [];
  const breaker = (): CircuitBreaker =>
    new CircuitBreaker(
      3,
      1_000,
      (s) => void changes.push(s),
      () => now,
    );
  beforeEach(() => {
    now = 0;
    changes.length = 0;
  });

  it('opens after the configured number of consecutive failures, not before', () => {
    const b = breaker();
    b.fail();
    b.fail();
    expect(b.admits()).toBe(true);
    b.fail();
    expect(b.current).toBe('open');
    expect(b.admits()).toBe(false);
  });

  it('counts only consecutive failures: a reply in between starts the count again', () => {
    const b = breaker();
    b.fail();
    b.fail();
    b.succeed();
    b.fail();
    b.fail();
    expect(b.current).toBe('closed');
  });

  it('lets exactly one probe through once the reset time has passed', () => {
    const b = breaker();
    for (let i = 0; i < 3; i++) b.fail();
    now = 999;
    expect(b.admits()).toBe(false);
    now = 1_000;
    expect(b.admits()).toBe(true);
    b.begin();
    expect(b.current).toBe('half-open');
    expect(b.admits()).toBe(false);
  });

  it('closes when the probe gets a reply', () => {
    const b = breaker();
    for (let i = 0; i < 3; i++) b.fail();
    now = 1_000;
    b.begin();
    b.succeed();
    expect(b.current).toBe('closed');
    expect(changes).toEqual(['open', 'half-open', 'closed']);
  });

  it('opens again for a full reset time when the probe fails', () => {
    const b = breaker();
    for (let i = 0; i < 3; i++) b.fail();
    now = 1_000;
    b.begin();
    b.fail();
    expect(b.current).toBe('open');
    now = 1_999;
    expect(b.admits()).toBe(false);
    now = 2_000;
    expect(b.admits()).toBe(true);
  });

  it('gives a probe back when its call was called off because another replica answered first', () => {
    const b = breaker();
    for (let i = 0; i < 3; i++) b.fail();
    now = 1_000;
    b.begin();
    b.release();
    expect(b.current).toBe('open');
    expect(b.admits()).toBe(true);
  });
});
