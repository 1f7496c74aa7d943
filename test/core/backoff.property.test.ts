/**
 * Properties of the reconnect backoff (widget/client/backoff.ts): full jitter, every delay a whole
 * number of ms in [0, ceiling) where the ceiling is min(cap, base · 2^attempt). Fixed seed.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { backoffDelay } from '../../widget/client/backoff.js';

const opts = { seed: 20261130, numRuns: 500 };
/** What Math.random may return: [0, 1). */
const unit = fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true });

describe('backoffDelay (properties, seed 20261130)', () => {
  it('every delay is a whole number of ms within [0, min(cap, base · 2^attempt))', () => {
    fc.assert(
      fc.property(fc.nat(1000), unit, fc.integer({ min: 1, max: 10_000 }), fc.integer({ min: 1, max: 600_000 }), (attempt, r, base, cap) => {
        const d = backoffDelay(attempt, () => r, base, cap);
        const ceiling = Math.min(cap, base * 2 ** Math.min(attempt, 16));
        expect(Number.isInteger(d)).toBe(true);
        expect(d).toBeGreaterThanOrEqual(0);
        expect(d).toBeLessThan(ceiling);
        expect(d).toBeLessThanOrEqual(cap);
      }),
      opts,
    );
  });

  it('full jitter: the whole range is reachable — random 0 waits 0, random near 1 waits near the ceiling', () => {
    fc.assert(
      fc.property(fc.nat(40), (attempt) => {
        const ceiling = Math.min(30_000, 500 * 2 ** attempt);
        expect(backoffDelay(attempt, () => 0)).toBe(0);
        expect(backoffDelay(attempt, () => 1 - 2 ** -40)).toBe(ceiling - 1);
      }),
      opts,
    );
  });

  it('the delay grows with the random draw (monotone), at a fixed attempt', () => {
    fc.assert(
      fc.property(fc.nat(40), unit, unit, (attempt, a, b) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        expect(backoffDelay(attempt, () => lo)).toBeLessThanOrEqual(backoffDelay(attempt, () => hi));
      }),
      opts,
    );
  });
});
