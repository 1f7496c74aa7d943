/**
 * Web channels (Table 4 of the admin guide and the channel's own id): the fields of one
 * channel, its work time and its chatbot. Called routes, queues and IVRs it names are checked
 * in ../rules.ts.
 */
import * as v from 'valibot';
import { DIGITS, DIGITS_TEXT, int, isObj, list, localText, nested, nullableObject, object, oneOf, optLocale, rule, str, text, word, type Obj } from './fields.js';

export const TEXT_MAX = 500;
const MAX_SEGMENTS = 4;
const START = /^([01]\d|2[0-3]):[0-5]\d$/;
/** 24:00 is a valid end (until midnight) but not a start. */
const END = /^(([01]\d|2[0-3]):[0-5]\d|24:00)$/;

const minutes = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat(undefined, { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** The first item that repeats an earlier one (by `key`), reported on that item. */
function unique<T>(key: (x: T) => unknown, message: (x: T, j: number) => string) {
  return v.rawCheck<T[]>(({ dataset, addIssue }) => {
    if (!dataset.typed) return;
    const list = dataset.value;
    const keys = list.map(key);
    const k = keys.findIndex((x, i) => keys.indexOf(x) < i);
    if (k < 0) return;
    const item = { type: 'array' as const, origin: 'value' as const, input: list, key: k, value: list[k] };
    addIssue({ message: message(list[k]!, keys.indexOf(keys[k])), path: [item] });
  });
}

const segment = v.pipe(
  object(
    {
      start: str({ pattern: START, text: 'must be a time HH:MM from 00:00 to 23:59' }),
      end: str({ pattern: END, text: 'must be a time HH:MM from 00:01 to 24:00' }),
    },
    { notObject: 'notObject must be an object {start, end}' },
  ),
  rule<{ start: string; end: string }>((s) => (minutes(s.start) < minutes(s.end) ? undefined : { path: ['end'], message: `order (${s.end}) must be later than start (${s.start})` })),
);

/** `workday` / `nonWorkday`: up to 4 segments HH:MM–HH:MM within the day, none overlapping. */
const segments = (key: 'workday' | 'nonWorkday') =>
  v.pipe(
    list(segment),
    v.maxLength(MAX_SEGMENTS, (i) => `channel.workTime.segments.tooMany has ${i.received.replace(/\D/g, '')} time segments; at most ${MAX_SEGMENTS} are allowed`),
    v.rawCheck<Array<{ start: string; end: string }>>(({ dataset, addIssue }) => {
      if (!dataset.typed) return;
      const spans = dataset.value.map((s) => [minutes(s.start), minutes(s.end)] as const);
      for (const [k, [from, to]] of spans.entries()) {
        const j = spans.slice(0, k).findIndex(([f, t]) => from < t && f < to);
        if (j < 0) continue;
        const s = dataset.value[k]!;
        const item = { type: 'array' as const, origin: 'value' as const, input: dataset.value, key: k, value: s };
        return addIssue({ message: `channel.workTime.overlap (${s.start}–${s.end}) overlaps ${key}[${j}]`, path: [item] });
      }
    }),
  );

export const workTimeSchema = nullableObject({
  timeZone: v.pipe(
    str({ max: 64, text: 'must be an IANA time zone such as Asia/Shanghai' }),
    v.check(isTimeZone, (i) => `invalid "${String(i.input)}" is not an IANA time zone (such as Asia/Shanghai or Europe/Paris)`),
  ),
  /** ISO weekdays (1 = Monday … 7 = Sunday) that are workdays. */
  workdays: v.pipe(
    list(v.picklist([1, 2, 3, 4, 5, 6, 7], 'invalid must be a weekday number from 1 (Monday) to 7 (Sunday)')),
    unique(
      (d) => d,
      (d) => `duplicate repeats day ${d}`,
    ),
  ),
  workday: segments('workday'),
  nonWorkday: segments('nonWorkday'),
  nonWorkingNotice: localText(TEXT_MAX),
});

export const chatbotSchema = nullableObject({
  /** An image URL or a data: URL; empty shows the default avatar. */
  avatar: text(200_000),
  name: str({ max: 30 }),
  gender: oneOf(['female', 'male', 'unspecified']),
  accessCode: str({ pattern: DIGITS, text: DIGITS_TEXT }),
  greeting: localText(TEXT_MAX),
  defaultReply: localText(TEXT_MAX),
  timeoutReply: localText(TEXT_MAX),
  transferPrompt: localText(TEXT_MAX),
  rules: list(
    object(
      {
        /** Any of these words (case-insensitive, anywhere in the message) triggers the reply. */
        keywords: v.pipe(list(word(50)), v.minLength(1, 'required must list at least one keyword')),
        reply: localText(TEXT_MAX),
      },
      { notObject: 'notObject must be an object {keywords, reply}' },
    ),
  ),
});

const media = v.pipe(
  list(v.picklist(['voice', 'video'], 'invalid must be voice or video')),
  v.minLength(1, 'required must list voice, video or both'),
  unique(
    (m) => m,
    (m) => `invalid repeats ${m}`,
  ),
);
const notObject = 'type must be null (off) or an object';
const toAgent = object({ calledParty: v.literal('agent'), skillQueue: str({ max: 20, text: 'must be the name of a click-to-dial skill queue' }), media }, { notObject });
const toIvr = object({ calledParty: v.literal('ivr'), ivrAccessCode: str({ pattern: DIGITS, text: DIGITS_TEXT }), media }, { notObject });

/** Click-to-dial: to an agent of a click-to-dial queue, or to an IVR; null is off. */
export const clickToDialSchema = v.nullable(
  v.pipe(
    v.unknown(),
    v.rawCheck(({ dataset, addIssue }) => {
      const d = dataset.value;
      if (!isObj(d) || d.calledParty === 'agent' || d.calledParty === 'ivr') return;
      const p = d.calledParty;
      const message = p == null ? 'required is required' : typeof p !== 'string' ? 'type must be a string' : 'invalid must be one of agent, ivr';
      addIssue({ message, path: [{ type: 'object', origin: 'value', input: d, key: 'calledParty', value: p }] });
    }),
    v.lazy((d) => (isObj(d) && (d as Obj).calledParty === 'ivr' ? toIvr : toAgent)),
  ),
);

const KEYWORD_MAX = 30;

export const channelSchema = object({
  /** Fixed when created; the widget is configured with it. */
  id: str({ pattern: /^[A-Za-z0-9_-]{1,64}$/, text: 'must be 1–64 letters, digits, _ or -' }),
  channelAccessCode: str({ pattern: /^[A-Za-z_][A-Za-z0-9_]{0,63}$/, text: 'must be at most 64 letters, digits and _, starting with a letter or _' }),
  /** Full access code (access + extension) of a multimedia called route. */
  skillQueue: str({ max: 48, text: 'must be the full code of a multimedia called route' }),
  transferKeywords: v.pipe(
    list(word(KEYWORD_MAX)),
    v.maxLength(20, (i) => `tooMany has ${i.received.replace(/\D/g, '')} keywords; at most 20 are allowed`),
    // Matching is case-insensitive, so "Agent" and "agent" are the same keyword.
    unique(
      (w: string) => w.toLowerCase(),
      (w, j) => `duplicate repeats transferKeywords[${j}] ("${w}")`,
    ),
  ),
  clickToDial: clickToDialSchema,
  /**
   * The channel's own language (BCP 47): its texts given by language serve a customer whose
   * locale has none of them in this language, before the first text given. Left out: the first.
   */
  defaultLocale: optLocale(),
  /** Null: off (the session ends after 20 minutes without a customer message). */
  dialogEnd: nullableObject({ noReplyMinutes: int(1, 1440), conclusion: localText(TEXT_MAX, { empty: true }) }),
  /** Null: off. Never echoed in a message: it is a credential. */
  secretKey: v.nullable(
    v.pipe(
      v.string((i) => (i.input === undefined ? 'required is required (null turns it off)' : 'invalid must be null (off) or 1–43 letters and digits')),
      v.regex(/^[A-Za-z0-9]{1,43}$/, 'invalid must be null (off) or 1–43 letters and digits'),
    ),
  ),
  workTime: workTimeSchema,
  queueReminder: nested({ intervalSeconds: int(1, 3600), content: localText(TEXT_MAX, { empty: true }) }),
  chatbot: chatbotSchema,
  robotAssistant: nullableObject({
    accessCode: str({ pattern: DIGITS, text: DIGITS_TEXT }),
    silentAgentSkillQueue: str({ max: 48, text: 'must be the full code of a multimedia called route' }),
  }),
  satisfactionLevels: v.pipe(
    list(localText(20, { item: true })),
    v.length(5, (i) => `count must list exactly 5 level names (worst to best), not ${i.received.replace(/\D/g, '')}`),
  ),
});
