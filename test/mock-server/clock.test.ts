/**
 * The mock clock's timer queue (a heap with lazily dropped cancellations) fires exactly what a
 * plain sorted list would: the same timers, in the same order, each at its own due time — for
 * any sequence of sets, cancels and advances, including timers set and cancelled from inside a
 * firing timer. And the real-mode clock keeps one real timer for the earliest live timer only.
 */
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Clock } from '../../mock-server/runtime/clock.js';

const T0 = Date.parse('2026-11-25T02:00:00Z');

/** The reference: every pending timer in a list, the earliest (then the first set) fired first. */
class ListClock {
  now = T0;
  private order = 0;
  pending: Array<{ at: number; order: number; id: number; fn: () => void }> = [];
  setTimeout(id: number, fn: () => void, ms: number) {
    const e = { at: this.now + Math.max(0, ms), order: this.order++, id, fn };
    this.pending.push(e);
    return { cancel: () => (this.pending = this.pending.filter((x) => x !== e)) };
  }
  advance(ms: number) {
    const target = this.now + ms;
    for (;;) {
      const next = [...this.pending].sort((a, b) => a.at - b.at || a.order - b.order)[0];
      if (!next || next.at > target) break;
      this.pending = this.pending.filter((x) => x !== next);
      this.now = Math.max(this.now, next.at);
      next.fn();
    }
    this.now = target;
  }
}

type Op = { kind: 'set'; ms: number; nested: number | null } | { kind: 'cancel'; pick: number } | { kind: 'advance'; ms: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('set' as const), ms: fc.integer({ min: 0, max: 50 }), nested: fc.option(fc.integer({ min: 0, max: 30 }), { nil: null }) }),
  fc.record({ kind: fc.constant('cancel' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('advance' as const), ms: fc.integer({ min: 0, max: 40 }) }),
);

/** Runs the ops on one clock; returns what fired, with the clock's time at each firing. */
function run(ops: Op[], make: () => { now(): number; set(id: number, fn: () => void, ms: number): { cancel(): void }; advance(ms: number): void }) {
  const c = make();
  const fired: string[] = [];
  const timers: Array<{ cancel(): void }> = [];
  let nextId = 0;
  for (const o of ops) {
    if (o.kind === 'set') {
      const id = nextId++;
      timers.push(
        c.set(
          id,
          () => {
            fired.push(`${id}@${c.now()}`);
            // A timer that sets another (a wrap-up that ends later, a poll re-armed) and cancels an older one.
            if (o.nested !== null) {
              const inner = nextId++;
              timers.push(c.set(inner, () => fired.push(`${inner}@${c.now()}`), o.nested));
              timers[Math.floor(timers.length / 2)]?.cancel();
            }
          },
          o.ms,
        ),
      );
    } else if (o.kind === 'cancel') {
      if (timers.length) timers[o.pick % timers.length]!.cancel();
    } else c.advance(o.ms);
  }
  c.advance(1_000);
  return fired;
}

describe('the mock clock', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('fires the same timers in the same order at the same times as a sorted list, whatever is set and cancelled', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 120 }), (ops) => {
        const expected = run(ops, () => {
          const l = new ListClock();
          return { now: () => l.now, set: (id, fn, ms) => l.setTimeout(id, fn, ms), advance: (ms) => l.advance(ms) };
        });
        const actual = run(ops, () => {
          const c = new Clock('manual', T0);
          return { now: () => c.now(), set: (_id, fn, ms) => c.setTimeout(fn, ms), advance: (ms) => c.advance(ms) };
        });
        expect(actual).toEqual(expected);
      }),
      { numRuns: 300, seed: 13 },
    );
  });

  it('counts only live timers, and drops cancelled ones (thousands set and cancelled leave nothing behind)', () => {
    const c = new Clock('manual', T0);
    const keep = c.setTimeout(() => {}, 60_000);
    for (let i = 0; i < 10_000; i++) c.setTimeout(() => {}, 1_200_000).cancel();
    expect(c.pendingTimers()).toBe(1);
    expect(c.nextTimerAt()).toBe(T0 + 60_000);
    keep.cancel();
    expect(c.pendingTimers()).toBe(0);
    expect(c.nextTimerAt()).toBeUndefined();
    // Cancelling a timer that has fired changes nothing.
    let fired = 0;
    const t = c.setTimeout(() => fired++, 10);
    c.advance(10);
    t.cancel();
    expect(fired).toBe(1);
    expect(c.pendingTimers()).toBe(0);
  });

  it('in real mode keeps one real timer, for the earliest live timer, and none when nothing is pending', () => {
    vi.useFakeTimers({ now: T0 });
    const c = new Clock('real');
    const fired: string[] = [];
    const late = c.setTimeout(() => fired.push('late'), 5_000);
    const early = c.setTimeout(() => fired.push('early'), 1_000);
    for (let i = 0; i < 100; i++) c.setTimeout(() => fired.push('never'), 3_000).cancel();
    expect(vi.getTimerCount()).toBe(1);
    early.cancel();
    expect(vi.getTimerCount()).toBe(1);
    vi.advanceTimersByTime(4_999);
    expect(fired).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(fired).toEqual(['late']);
    expect(vi.getTimerCount()).toBe(0);
    late.cancel();
    const only = c.setTimeout(() => fired.push('only'), 100);
    only.cancel();
    expect(vi.getTimerCount()).toBe(0);
  });
});
