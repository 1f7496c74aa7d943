import { describe, it, expect } from 'vitest';
import type { WorkTime } from '../../widget/core/protocol.js';
import { closingTime, isWorkingTime, nextOpening, parseHHMM, zonedParts, zonedTimeToInstant } from '../../widget/core/work-time.js';

const T = (iso: string) => Date.parse(iso);
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
const seg = (start: string, end: string) => ({ start, end });
const WEEK = [1, 2, 3, 4, 5];

function wt(timeZone: string, workday: WorkTime['workday'], nonWorkday: WorkTime['nonWorkday'] = [], workdays = WEEK): WorkTime {
  return { timeZone, workdays, workday, nonWorkday, nonWorkingNotice: 'We are closed.' };
}

// Shanghai (UTC+8, no DST), two segments on workdays, closed weekend.
const shanghai = wt('Asia/Shanghai', [seg('09:00', '12:00'), seg('13:30', '18:00')]);
// New York, weekend with its own segment.
const newYork = wt('America/New_York', [seg('09:00', '17:00')], [seg('10:00', '14:00')]);
const newYorkClosedWeekend = wt('America/New_York', [seg('09:00', '17:00')]);
const berlin = wt('Europe/Berlin', [seg('08:00', '20:00')]);
// UTC, every day, segments touching across midnight.
const utcNight = wt('UTC', [seg('00:00', '08:00'), seg('23:00', '24:00')], [], [1, 2, 3, 4, 5, 6, 7]);

describe('parseHHMM', () => {
  it.each([
    ['00:00', 0],
    ['09:30', 570],
    ['23:59', 1439],
    ['24:00', 1440],
  ])('%s → %i', (s, v) => expect(parseHHMM(s)).toBe(v));

  it.each(['', '9:00', '24:01', '25:00', '12:60', 'ab:cd', '12:3', '12:30:00', ' 12:30'])('rejects %j', (s) => {
    expect(() => parseHHMM(s)).toThrow(RangeError);
  });
});

describe('zonedParts', () => {
  it.each([
    ['2026-01-04T20:00:00Z', 'Asia/Shanghai', { year: 2026, month: 1, day: 5, weekday: 1, minutes: 240 }],
    ['2026-01-04T20:00:00Z', 'America/New_York', { year: 2026, month: 1, day: 4, weekday: 7, minutes: 900 }],
    ['2026-07-01T00:00:00Z', 'Europe/Berlin', { year: 2026, month: 7, day: 1, weekday: 3, minutes: 120 }],
    ['2026-12-31T23:59:59.999Z', 'UTC', { year: 2026, month: 12, day: 31, weekday: 4, minutes: 1439 }],
    ['2026-03-08T07:00:00Z', 'America/New_York', { year: 2026, month: 3, day: 8, weekday: 7, minutes: 180 }],
  ])('%s in %s', (at, tz, parts) => expect(zonedParts(T(at), tz)).toEqual(parts));
});

describe('zonedTimeToInstant', () => {
  it.each([
    // [zone, y, m, d, HH:MM, expected instant]
    ['Asia/Shanghai', 2026, 1, 5, '09:00', '2026-01-05T01:00:00.000Z'],
    ['UTC', 2026, 1, 5, '24:00', '2026-01-06T00:00:00.000Z'],
    ['America/New_York', 2026, 3, 8, '01:59', '2026-03-08T06:59:00.000Z'],
    // Gap: 02:00–03:00 does not exist → first instant after the gap (03:00 EDT).
    ['America/New_York', 2026, 3, 8, '02:00', '2026-03-08T07:00:00.000Z'],
    ['America/New_York', 2026, 3, 8, '02:30', '2026-03-08T07:00:00.000Z'],
    ['America/New_York', 2026, 3, 8, '03:00', '2026-03-08T07:00:00.000Z'],
    // Fold: 01:00–02:00 happens twice → the earlier (EDT) instant.
    ['America/New_York', 2026, 11, 1, '01:00', '2026-11-01T05:00:00.000Z'],
    ['America/New_York', 2026, 11, 1, '01:30', '2026-11-01T05:30:00.000Z'],
    ['America/New_York', 2026, 11, 1, '02:00', '2026-11-01T07:00:00.000Z'],
    ['Europe/Berlin', 2026, 3, 29, '02:15', '2026-03-29T01:00:00.000Z'],
    ['Europe/Berlin', 2026, 3, 29, '03:00', '2026-03-29T01:00:00.000Z'],
    ['Europe/Berlin', 2026, 10, 25, '02:30', '2026-10-25T00:30:00.000Z'],
    ['Europe/Berlin', 2026, 10, 25, '03:00', '2026-10-25T02:00:00.000Z'],
  ])('%s %i-%i-%i %s', (tz, year, month, day, hhmm, expected) => {
    expect(iso(zonedTimeToInstant({ year, month, day, minutes: parseHHMM(hhmm) }, tz))).toBe(expected);
  });
});

describe('null work time (always open)', () => {
  it('is always working, opens immediately and never closes', () => {
    const at = T('2026-06-06T03:17:00Z');
    expect(isWorkingTime(null, at)).toBe(true);
    expect(nextOpening(null, at)).toBe(at);
    expect(closingTime(null, at)).toBeNull();
  });
});

describe('isWorkingTime / nextOpening / closingTime', () => {
  // [label, work time, at, working?, next opening, closing time]
  const cases: Array<[string, WorkTime, string, boolean, string | null, string | null]> = [
    // Shanghai: Mon 2026-01-05, 09:00 local = 01:00Z.
    ['SH just before opening', shanghai, '2026-01-05T00:59:59.999Z', false, '2026-01-05T01:00:00.000Z', null],
    ['SH exactly at opening (start inclusive)', shanghai, '2026-01-05T01:00:00.000Z', true, '2026-01-05T01:00:00.000Z', '2026-01-05T04:00:00.000Z'],
    ['SH last ms of morning', shanghai, '2026-01-05T03:59:59.999Z', true, '2026-01-05T03:59:59.999Z', '2026-01-05T04:00:00.000Z'],
    ['SH at 12:00 (end exclusive) → 13:30', shanghai, '2026-01-05T04:00:00.000Z', false, '2026-01-05T05:30:00.000Z', null],
    ['SH afternoon', shanghai, '2026-01-05T06:00:00.000Z', true, '2026-01-05T06:00:00.000Z', '2026-01-05T10:00:00.000Z'],
    ['SH Fri 18:00 → Mon 09:00', shanghai, '2026-01-09T10:00:00.000Z', false, '2026-01-12T01:00:00.000Z', null],
    ['SH Sat → Mon', shanghai, '2026-01-10T04:00:00.000Z', false, '2026-01-12T01:00:00.000Z', null],
    // Customer in New York on Sunday evening; it is already Monday in Shanghai.
    ['SH Monday while it is Sunday for the customer', shanghai, '2026-01-05T01:30:00.000Z', true, '2026-01-05T01:30:00.000Z', '2026-01-05T04:00:00.000Z'],
    // Customer's Friday afternoon is already Saturday in Shanghai.
    ['SH Saturday while it is Friday for the customer', shanghai, '2026-01-09T16:30:00.000Z', false, '2026-01-12T01:00:00.000Z', null],

    // New York, spring forward 2026-03-08 (Sunday).
    ['NY Sat afternoon → Sun 10:00 EDT', newYork, '2026-03-07T20:00:00.000Z', false, '2026-03-08T14:00:00.000Z', null],
    ['NY Sun 10:00 EDT working', newYork, '2026-03-08T14:00:00.000Z', true, '2026-03-08T14:00:00.000Z', '2026-03-08T18:00:00.000Z'],
    ['NY Sun 09:59 EDT closed', newYork, '2026-03-08T13:59:00.000Z', false, '2026-03-08T14:00:00.000Z', null],
    ['NY Fri 17:00 EST → Mon 09:00 EDT (closed weekend)', newYorkClosedWeekend, '2026-03-06T22:00:00.000Z', false, '2026-03-09T13:00:00.000Z', null],
    ['NY Mon 09:00 EDT', newYorkClosedWeekend, '2026-03-09T13:00:00.000Z', true, '2026-03-09T13:00:00.000Z', '2026-03-09T21:00:00.000Z'],
    // New York, fall back 2026-11-01 (Sunday).
    ['NY Fri 17:00 EDT → Mon 09:00 EST (closed weekend)', newYorkClosedWeekend, '2026-10-30T21:00:00.000Z', false, '2026-11-02T14:00:00.000Z', null],
    ['NY Sat 15:00 EDT → Sun 10:00 EST', newYork, '2026-10-31T19:00:00.000Z', false, '2026-11-01T15:00:00.000Z', null],
    ['NY Sun 13:59 EST working', newYork, '2026-11-01T18:59:00.000Z', true, '2026-11-01T18:59:00.000Z', '2026-11-01T19:00:00.000Z'],

    // Berlin, spring forward 2026-03-29 and fall back 2026-10-25 (both Sundays).
    ['BER Fri 20:00 CET → Mon 08:00 CEST', berlin, '2026-03-27T19:00:00.000Z', false, '2026-03-30T06:00:00.000Z', null],
    ['BER Sun during the change → Mon 08:00 CEST', berlin, '2026-03-29T01:30:00.000Z', false, '2026-03-30T06:00:00.000Z', null],
    ['BER Mon 08:00 CEST', berlin, '2026-03-30T06:00:00.000Z', true, '2026-03-30T06:00:00.000Z', '2026-03-30T18:00:00.000Z'],
    ['BER Fri 20:00 CEST → Mon 08:00 CET', berlin, '2026-10-23T18:00:00.000Z', false, '2026-10-26T07:00:00.000Z', null],
    ['BER Mon 07:59 CET', berlin, '2026-10-26T06:59:00.000Z', false, '2026-10-26T07:00:00.000Z', null],

    // UTC, segments touching across midnight (continuous).
    ['UTC 23:00 opening', utcNight, '2026-01-05T23:00:00.000Z', true, '2026-01-05T23:00:00.000Z', '2026-01-06T08:00:00.000Z'],
    ['UTC last ms before midnight (24:00 end)', utcNight, '2026-01-05T23:59:59.999Z', true, '2026-01-05T23:59:59.999Z', '2026-01-06T08:00:00.000Z'],
    ['UTC midnight continues', utcNight, '2026-01-06T00:00:00.000Z', true, '2026-01-06T00:00:00.000Z', '2026-01-06T08:00:00.000Z'],
    ['UTC 08:00 closed → 23:00', utcNight, '2026-01-06T08:00:00.000Z', false, '2026-01-06T23:00:00.000Z', null],
    ['UTC 22:59:59.999 closed', utcNight, '2026-01-06T22:59:59.999Z', false, '2026-01-06T23:00:00.000Z', null],
  ];

  it.each(cases)('%s', (_label, w, at, working, next, closing) => {
    const t = T(at);
    expect(isWorkingTime(w, t)).toBe(working);
    expect(iso(nextOpening(w, t))).toBe(next);
    expect(iso(closingTime(w, t))).toBe(closing);
  });
});

describe('special schedules', () => {
  it('workday and non-workday segments differ; an empty non-workday list is closed all day', () => {
    const w = wt('UTC', [seg('09:00', '17:00')], [], [1, 2, 3, 4, 5, 6]);
    expect(isWorkingTime(w, T('2026-01-10T16:30:00Z'))).toBe(true); // Saturday is a workday here
    expect(isWorkingTime(w, T('2026-01-11T12:30:00Z'))).toBe(false); // Sunday: non-workday without segments
    const w2 = { ...w, nonWorkday: [seg('12:00', '13:00')] };
    expect(isWorkingTime(w2, T('2026-01-11T12:30:00Z'))).toBe(true);
    expect(isWorkingTime(w2, T('2026-01-12T12:30:00Z'))).toBe(true); // Monday uses workday segments
    expect(isWorkingTime(w2, T('2026-01-12T08:30:00Z'))).toBe(false);
    expect(isWorkingTime(w2, T('2026-01-11T13:00:00Z'))).toBe(false);
    expect(iso(nextOpening(w2, T('2026-01-11T13:00:00Z')))).toBe('2026-01-12T09:00:00.000Z');
  });

  it('a working period spanning the whole week never closes', () => {
    const w = wt('Europe/Berlin', [seg('00:00', '24:00')], [], [1, 2, 3, 4, 5, 6, 7]);
    expect(isWorkingTime(w, T('2026-03-29T01:30:00Z'))).toBe(true);
    expect(closingTime(w, T('2026-03-29T01:30:00Z'))).toBeNull();
  });

  it('closes at 24:00 when the next day does not continue', () => {
    const w = wt('America/New_York', [seg('20:00', '24:00')]);
    // Fri 2026-03-06 21:00 EST → closes at Sat 00:00 EST.
    expect(iso(closingTime(w, T('2026-03-07T02:00:00Z')))).toBe('2026-03-07T05:00:00.000Z');
  });

  it('nothing open within 14 days → null', () => {
    const at = T('2026-05-01T10:00:00Z');
    expect(nextOpening(wt('UTC', [], []), at)).toBeNull();
    expect(nextOpening(wt('Asia/Shanghai', [seg('09:00', '18:00')], [], []), at)).toBeNull();
    expect(isWorkingTime(wt('UTC', [], []), at)).toBe(false);
  });

  it('a segment starting inside a DST gap opens at the end of the gap', () => {
    const w = wt('America/New_York', [], [seg('02:30', '05:00')]);
    const open = nextOpening(w, T('2026-03-07T17:00:00Z'));
    expect(iso(open)).toBe('2026-03-08T07:00:00.000Z'); // 03:00 EDT
    expect(isWorkingTime(w, open!)).toBe(true);
    expect(isWorkingTime(w, open! - 1)).toBe(false);
    expect(iso(closingTime(w, open!))).toBe('2026-03-08T09:00:00.000Z');
  });

  it('a segment entirely inside a DST gap never opens', () => {
    const w = wt('Europe/Berlin', [seg('08:00', '20:00')], [seg('02:00', '03:00')]);
    // Sat 2026-03-28 13:00 CET: Saturday's 02:00 is past, Sunday's 02:00–03:00 does not exist.
    expect(iso(nextOpening(w, T('2026-03-28T12:00:00Z')))).toBe('2026-03-30T06:00:00.000Z');
  });

  it('a segment inside a DST fold opens twice', () => {
    const w = wt('America/New_York', [], [seg('01:00', '01:30')]);
    // Sat noon → Sun 01:00 EDT (the earlier instant).
    expect(iso(nextOpening(w, T('2026-10-31T16:00:00Z')))).toBe('2026-11-01T05:00:00.000Z');
    expect(iso(closingTime(w, T('2026-11-01T05:10:00Z')))).toBe('2026-11-01T05:30:00.000Z');
    // 01:45 EDT is closed; the wall clock returns to 01:00 (EST) at 06:00Z.
    expect(isWorkingTime(w, T('2026-11-01T05:45:00Z'))).toBe(false);
    expect(iso(nextOpening(w, T('2026-11-01T05:45:00Z')))).toBe('2026-11-01T06:00:00.000Z');
    expect(iso(closingTime(w, T('2026-11-01T06:10:00Z')))).toBe('2026-11-01T06:30:00.000Z');
    // A segment containing the fold re-opens at the transition itself.
    const w2 = wt('America/New_York', [], [seg('00:30', '01:30')]);
    expect(iso(nextOpening(w2, T('2026-11-01T05:45:00Z')))).toBe('2026-11-01T06:00:00.000Z');
  });

  it('closes at a DST transition when the clock jumps out of the segment', () => {
    // 01:50–02:10 EDT: at 02:00 EDT the clock falls back to 01:00 EST, outside the segment.
    const w = wt('America/New_York', [], [seg('01:50', '02:10')]);
    expect(iso(closingTime(w, T('2026-11-01T05:55:00Z')))).toBe('2026-11-01T06:00:00.000Z');
    expect(iso(nextOpening(w, T('2026-11-01T06:00:00Z')))).toBe('2026-11-01T06:50:00.000Z');
    // Santiago springs forward at 24:00 → 01:00: 23:30–24:00 on Saturday continues into 00:30–01:30.
    const w2 = wt('America/Santiago', [seg('23:30', '24:00'), seg('00:30', '01:30')], [], [1, 2, 3, 4, 5, 6, 7]);
    expect(iso(closingTime(w2, T('2026-09-06T03:35:00Z')))).toBe('2026-09-06T04:30:00.000Z');
  });
});

describe('property: New York 09:00–12:00 and 13:00–18:00 on workdays', () => {
  const w = wt('America/New_York', [seg('09:00', '12:00'), seg('13:00', '18:00')]);
  // Deterministic PRNG (mulberry32).
  let seed = 0x2026;
  const random = () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let x = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
  const from = T('2026-01-01T00:00:00Z');
  const to = T('2027-01-01T00:00:00Z');
  const STEP = 15 * 60_000;

  it('nextOpening is working time and nothing before it is', () => {
    for (let i = 0; i < 500; i++) {
      const t = Math.floor(from + random() * (to - from));
      const open = nextOpening(w, t);
      expect(open, new Date(t).toISOString()).not.toBeNull();
      expect(open!).toBeGreaterThanOrEqual(t);
      expect(isWorkingTime(w, open!), new Date(t).toISOString()).toBe(true);
      if (open! > t) expect(isWorkingTime(w, open! - 1)).toBe(false);
      for (let s = t; s < open!; s += STEP) {
        expect(isWorkingTime(w, s), `${new Date(t).toISOString()} @ ${new Date(s).toISOString()}`).toBe(false);
      }
      const close = closingTime(w, open!);
      expect(close!).toBeGreaterThan(open!);
      expect(isWorkingTime(w, close!)).toBe(false);
      expect(isWorkingTime(w, close! - 1)).toBe(true);
    }
  });
});
