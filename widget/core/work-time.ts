/**
 * Work-time arithmetic for the web channel's `workTime` (requirements part B item 2). Shared by
 * the mock contact center (its rules), the connector (the off-hours notice's next opening) and the
 * demo, so it lives in the core, which all three may import. Pure: every function takes the instant
 * (epoch ms) as an argument. Local wall-clock parts in a zone come from a cached
 * `Intl.DateTimeFormat`; no date library.
 */
import type { TimeSegment, WorkTime } from './protocol.js';

/** The schedule of a work time: its notice (a text, possibly by language) plays no part in the rule. */
export type Schedule = Omit<WorkTime, 'nonWorkingNotice'>;

export interface ZonedParts {
  year: number;
  month: number;
  day: number;
  /** ISO weekday, 1 = Monday … 7 = Sunday. */
  weekday: number;
  /** Minutes since local midnight (0..1439). */
  minutes: number;
}

const MIN = 60_000;
const DAY = 86_400_000;
const HORIZON_DAYS = 14;
const formats = new Map<string, Intl.DateTimeFormat>();

/** `HH:MM` (00:00..24:00) → minutes since midnight. */
export function parseHHMM(s: string): number {
  const m = /^([01]\d|2[0-4]):([0-5]\d)$/.exec(s);
  const v = m ? Number(m[1]) * 60 + Number(m[2]) : NaN;
  if (!(v <= 1440)) throw new RangeError(`Invalid time "${s}", expected HH:MM within 00:00–24:00`);
  return v;
}

/** Local [year, month, day, hour, minute, second] of `at` in `timeZone`. */
function fields(at: number, timeZone: string): [number, number, number, number, number, number] {
  let f = formats.get(timeZone);
  if (!f) {
    const n = 'numeric';
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: n,
      month: n,
      day: n,
      hour: n,
      minute: n,
      second: n,
    });
    formats.set(timeZone, f);
  }
  const p: Partial<Record<Intl.DateTimeFormatPartTypes, number>> = {};
  for (const { type, value } of f.formatToParts(at)) p[type] = +value;
  // The format asks for every part, so each is present; 0 stands in where a runtime omits one.
  return [p.year ?? 0, p.month ?? 0, p.day ?? 0, (p.hour ?? 0) % 24, p.minute ?? 0, p.second ?? 0];
}

/** UTC offset (ms) of `timeZone` at `at`. */
function offset(at: number, timeZone: string): number {
  const [y, mo, d, h, mi, s] = fields(at, timeZone);
  return Date.UTC(y, mo - 1, d, h, mi, s) - (at - (((at % 1000) + 1000) % 1000));
}

export function zonedParts(at: number, timeZone: string): ZonedParts {
  const [year, month, day, h, mi] = fields(at, timeZone);
  const weekday = new Date(Date.UTC(year, month - 1, day)).getUTCDay() || 7;
  return { year, month, day, weekday, minutes: h * 60 + mi };
}

/** First instant in (lo, hi] whose offset equals the offset at `hi` (one transition assumed). */
function transition(lo: number, hi: number, timeZone: string): number {
  const target = offset(hi, timeZone);
  lo = Math.floor(lo / MIN);
  hi = Math.ceil(hi / MIN);
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (offset(mid * MIN, timeZone) === target) hi = mid;
    else lo = mid;
  }
  return hi * MIN;
}

type LocalTime = { year: number; month: number; day: number; minutes: number };

/** Every instant showing this local wall time (0 in a gap, 2 in a fold), ascending. */
function instants(t: LocalTime, timeZone: string): number[] {
  const local = Date.UTC(t.year, t.month - 1, t.day, 0, t.minutes);
  const out: number[] = [];
  for (const o of new Set([offset(local - DAY, timeZone), offset(local + DAY, timeZone)])) {
    if (offset(local - o, timeZone) === o) out.push(local - o);
  }
  return out.sort((a, b) => a - b);
}

/**
 * Local wall time → instant. In a fold (the wall time happens twice) the earlier instant; in a
 * gap (the wall time never happens) the first instant after the gap.
 */
export function zonedTimeToInstant(t: LocalTime, timeZone: string): number {
  const found = instants(t, timeZone);
  const first = found[0];
  if (first !== undefined) return first;
  const local = Date.UTC(t.year, t.month - 1, t.day, 0, t.minutes);
  const before = offset(local - DAY, timeZone);
  const after = offset(local + DAY, timeZone);
  return transition(local - after, local - before, timeZone);
}

function segmentsOn(wt: Schedule, weekday: number): Array<[number, number]> {
  const list: TimeSegment[] = wt.workdays.includes(weekday) ? wt.workday : wt.nonWorkday;
  return list.map((s): [number, number] => [parseHHMM(s.start), parseHHMM(s.end)]);
}

/** Local date `k` days after the given one. */
function addDays(p: { year: number; month: number; day: number }, k: number) {
  const d = new Date(Date.UTC(p.year, p.month - 1, p.day) + k * DAY);
  const weekday = d.getUTCDay() || 7;
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), weekday };
}

/** Whether `at` is within working time. `null` work time means always open. */
export function isWorkingTime(wt: Schedule | null, at: number): boolean {
  if (!wt) return true;
  const p = zonedParts(at, wt.timeZone);
  return segmentsOn(wt, p.weekday).some(([s, e]) => s <= p.minutes && p.minutes < e);
}

/**
 * The first instant ≥ `at` whose working state is `open`, scanning local days 0..`days`. The state
 * changes only where the wall clock reaches a segment start (open) or end (close), or at a DST
 * transition, so those instants are the only candidates.
 */
function firstChange(wt: Schedule, at: number, days: number, open: boolean): number | null {
  const tz = wt.timeZone;
  const today = zonedParts(at, tz);
  let best: number | null = null;
  let bestDay = Infinity;
  // One more local day after a hit: a fold at midnight may repeat the previous evening.
  for (let k = 0; k <= days && k <= bestDay + 1; k++) {
    const date = addDays(today, k);
    const candidates = segmentsOn(wt, date.weekday).flatMap((s) => instants({ ...date, minutes: s[open ? 0 : 1] }, tz));
    const noon = Date.UTC(date.year, date.month - 1, date.day, 12);
    if (offset(noon - DAY, tz) !== offset(noon + DAY, tz)) candidates.push(transition(noon - DAY, noon + DAY, tz));
    for (const c of candidates) {
      if (c >= at && (best === null || c < best) && isWorkingTime(wt, c) === open) {
        best = c;
        bestDay = Math.min(bestDay, k);
      }
    }
  }
  return best;
}

/**
 * The first instant ≥ `at` that is working time (`at` itself when open), looking up to 14 days
 * ahead; `null` when nothing opens in that window.
 */
export function nextOpening(wt: Schedule | null, at: number): number | null {
  if (!wt || isWorkingTime(wt, at)) return at;
  const next = firstChange(wt, at, HORIZON_DAYS + 1, true);
  return next !== null && next <= at + HORIZON_DAYS * DAY ? next : null;
}

/**
 * When the working period containing `at` ends (segments touching across midnight are one);
 * `null` when `at` is outside working time or the work time never closes.
 */
export function closingTime(wt: Schedule | null, at: number): number | null {
  return wt && isWorkingTime(wt, at) ? firstChange(wt, at, 8, false) : null;
}
