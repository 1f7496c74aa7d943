/**
 * Properties of the work-time arithmetic (widget/core/work-time.ts) for any instant, in zones
 * with and without daylight saving time (including a 30-minute shift and southern-hemisphere
 * rules): inside/outside agrees with the local wall clock, the next opening is ≥ now and really
 * the first open minute, the closing time is the first closed one. Fixed seed.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { WorkTime } from '../../widget/core/protocol.js';
import { closingTime, isWorkingTime, nextOpening, zonedParts, zonedTimeToInstant } from '../../widget/core/work-time.js';

const opts = { seed: 20261130, numRuns: 150 };
const MIN = 60_000;
const ZONES = ['UTC', 'Asia/Shanghai', 'America/New_York', 'Europe/Berlin', 'Australia/Sydney', 'Australia/Lord_Howe', 'America/Santiago', 'Asia/Kolkata', 'Pacific/Chatham'];
const hhmm = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;

/** Up to three non-overlapping segments of a day, on whole minutes (24:00 allowed as an end). */
const segments = fc.uniqueArray(fc.integer({ min: 0, max: 1440 }), { minLength: 0, maxLength: 6 }).map((cuts) => {
  const s = [...cuts].sort((a, b) => a - b);
  const out: WorkTime['workday'] = [];
  for (let i = 0; i + 1 < s.length; i += 2) out.push({ start: hhmm(s[i]!), end: hhmm(s[i + 1]!) });
  return out;
});
const workTime: fc.Arbitrary<WorkTime> = fc.record({
  timeZone: fc.constantFrom(...ZONES),
  workdays: fc.uniqueArray(fc.integer({ min: 1, max: 7 }), { maxLength: 7 }),
  workday: segments,
  nonWorkday: segments,
  nonWorkingNotice: fc.constant('We are closed.'),
});
/** Any instant from 2025 to 2029 (several DST transitions of every zone above). */
const instant = fc.integer({ min: Date.UTC(2025, 0, 1), max: Date.UTC(2029, 11, 31) });

const minutesOf = (s: string) => Number(s.slice(0, 2)) * 60 + Number(s.slice(3));

describe('work time (properties, seed 20261130)', () => {
  it('inside/outside follows the local wall clock: open exactly when a segment of that local weekday holds the local minute', () => {
    fc.assert(
      fc.property(workTime, instant, (wt, at) => {
        const p = zonedParts(at, wt.timeZone);
        const list = wt.workdays.includes(p.weekday) ? wt.workday : wt.nonWorkday;
        expect(isWorkingTime(wt, at)).toBe(list.some((s) => minutesOf(s.start) <= p.minutes && p.minutes < minutesOf(s.end)));
      }),
      opts,
    );
  });

  it('the next opening is ≥ now, open, and the first open instant (every minute before it since now is closed)', () => {
    fc.assert(
      fc.property(workTime, instant, (wt, at) => {
        const next = nextOpening(wt, at);
        if (isWorkingTime(wt, at)) return void expect(next).toBe(at);
        if (next === null) return;
        expect(next).toBeGreaterThanOrEqual(at);
        expect(isWorkingTime(wt, next)).toBe(true);
        expect(isWorkingTime(wt, next - 1)).toBe(false);
        // Sampled: whole minutes between now and the opening are all closed.
        for (let t = Math.ceil(at / MIN) * MIN; t < next; t += Math.max(MIN, Math.floor((next - at) / 50 / MIN) * MIN)) expect(isWorkingTime(wt, t)).toBe(false);
      }),
      opts,
    );
  });

  it('a work time with any open minute in every week always has a next opening within 14 days', () => {
    fc.assert(
      fc.property(workTime, instant, (wt, at) => {
        const weekdays = [1, 2, 3, 4, 5, 6, 7];
        const opensSomeDay = weekdays.some((d) => (wt.workdays.includes(d) ? wt.workday : wt.nonWorkday).some((s) => minutesOf(s.start) < minutesOf(s.end)));
        if (opensSomeDay) expect(nextOpening(wt, at)).not.toBeNull();
        else expect(nextOpening(wt, at)).toBeNull();
      }),
      opts,
    );
  });

  it('the closing time, when open, is after now, closed, and the minute before it is open', () => {
    fc.assert(
      fc.property(workTime, instant, (wt, at) => {
        const close = closingTime(wt, at);
        if (!isWorkingTime(wt, at)) return void expect(close).toBeNull();
        if (close === null) return;
        expect(close).toBeGreaterThan(at);
        expect(isWorkingTime(wt, close)).toBe(false);
        expect(isWorkingTime(wt, close - 1)).toBe(true);
      }),
      opts,
    );
  });

  it('local wall time → instant → local wall time is the identity, except in a DST gap (then the first instant after it)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...ZONES), instant, (tz, at) => {
        const p = zonedParts(at, tz);
        const back = zonedTimeToInstant(p, tz);
        const q = zonedParts(back, tz);
        expect([q.year, q.month, q.day, q.minutes]).toEqual([p.year, p.month, p.day, p.minutes]);
        // In a fold the earlier of the two instants: never after the minute `at` is in.
        expect(back).toBeLessThanOrEqual(Math.floor(at / MIN) * MIN);
      }),
      opts,
    );
  });
});
