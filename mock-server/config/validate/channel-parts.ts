/** The larger parts of a web channel (Table 4 of the admin guide): work time and the chatbot. */
import { DIGITS, DIGITS_TEXT, Scope } from './check.js';

const MAX_SEGMENTS = 4;
const START = /^([01]\d|2[0-3]):[0-5]\d$/;
/** 24:00 is a valid end (until midnight) but not a start. */
const END = /^(([01]\d|2[0-3]):[0-5]\d|24:00)$/;
export const TEXT_MAX = 500;

const minutes = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat(undefined, { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** `workday` / `nonWorkday`: up to 4 segments HH:MM–HH:MM within the day, none overlapping. */
function segments(w: Scope, key: 'workday' | 'nonWorkday'): void {
  const list = w.arr(key);
  if (list.length > MAX_SEGMENTS) w.raise('channel.workTime.segments.tooMany', key, `has ${list.length} time segments; at most ${MAX_SEGMENTS} are allowed`);
  const seen: Array<{ from: number; to: number }> = [];
  list.forEach((seg, k) => {
    const s: Scope = Scope.of('channel.workTime.segment', w.at(`${key}[${k}]`), seg, 'an object {start, end}');
    s.known(['start', 'end']);
    const start = s.str('start', { pattern: START, text: 'must be a time HH:MM from 00:00 to 23:59' });
    const end = s.str('end', { pattern: END, text: 'must be a time HH:MM from 00:01 to 24:00' });
    const from = minutes(start);
    const to = minutes(end);
    if (from >= to) s.fail('end', 'order', `(${end}) must be later than start (${start})`);
    const j = seen.findIndex((o) => from < o.to && o.from < to);
    if (j >= 0) w.raise('channel.workTime.overlap', `${key}[${k}]`, `(${start}–${end}) overlaps ${key}[${j}]`);
    seen.push({ from, to });
  });
}

export function validateWorkTime(c: Scope): void {
  const w = c.obj('workTime', true);
  if (!w) return;
  w.known(['timeZone', 'workdays', 'workday', 'nonWorkday', 'nonWorkingNotice']);
  const zone = w.str('timeZone', { max: 64, text: 'must be an IANA time zone such as Asia/Shanghai' });
  if (!isTimeZone(zone)) w.fail('timeZone', 'invalid', `"${zone}" is not an IANA time zone (such as Asia/Shanghai or Europe/Paris)`);
  const days = w.arr('workdays');
  days.forEach((d, k) => {
    if (typeof d !== 'number' || !Number.isInteger(d) || d < 1 || d > 7) {
      w.raise('channel.workTime.workdays.invalid', `workdays[${k}]`, 'must be a weekday number from 1 (Monday) to 7 (Sunday)');
    }
    if (days.indexOf(d) < k) w.raise('channel.workTime.workdays.duplicate', `workdays[${k}]`, `repeats day ${d}`);
  });
  segments(w, 'workday');
  segments(w, 'nonWorkday');
  w.str('nonWorkingNotice', { max: TEXT_MAX });
}

const CHATBOT_FIELDS = ['avatar', 'name', 'gender', 'accessCode', 'greeting', 'defaultReply', 'timeoutReply', 'transferPrompt', 'rules'];

export function validateChatbot(c: Scope): void {
  const b = c.obj('chatbot', true);
  if (!b) return;
  b.known(CHATBOT_FIELDS);
  // An image URL or a data: URL; empty shows the default avatar.
  b.text('avatar', 200_000);
  b.str('name', { max: 30 });
  b.oneOf('gender', ['female', 'male', 'unspecified']);
  b.str('accessCode', { pattern: DIGITS, text: DIGITS_TEXT });
  for (const key of ['greeting', 'defaultReply', 'timeoutReply', 'transferPrompt']) b.str(key, { max: TEXT_MAX });
  b.arr('rules').forEach((rule, k) => {
    const r = Scope.of('channel.chatbot.rule', b.at(`rules[${k}]`), rule, 'an object {keywords, reply}');
    r.known(['keywords', 'reply']);
    const words = r.arr('keywords');
    if (words.length === 0) r.fail('keywords', 'required', 'must list at least one keyword');
    words.forEach((word, n) => {
      if (typeof word !== 'string' || word.trim() === '' || word.length > 50) {
        r.raise('channel.chatbot.rule.keywords.invalid', `keywords[${n}]`, 'must be a non-empty string of at most 50 characters');
      }
    });
    r.str('reply', { max: TEXT_MAX });
  });
}
