/**
 * The connector's config file (`connector.json`), validated with valibot: every error names the
 * field (`channels[0].queueReminder.intervalSeconds: …`). Secrets are never in this file: the
 * upstream app key/secret and each channel's secretKey are read from environment variables whose
 * NAMES the file may choose (defaults `CEC_APP_KEY`, `CEC_APP_SECRET`).
 *
 * What the file holds is what the CEC has no API for (cec-real-api.md §1.12, NOT FOUND): the
 * channel's public settings as set in the CEC console — work time, chatbot name/avatar/replies,
 * transfer keywords, reminder interval and text, dialog end, click-to-dial, satisfaction levels —
 * and the SYSTEM texts the connector matches to know what happened.
 */
import * as v from 'valibot';
import { LOCALE_TAG, type LocalizedText } from '../../core/locale.js';
import { StoreConfigSchema } from './store-config.js';

/** MIME types the browser may upload, and the CEC's `fileType` for each (uploadFileStream §1.9). */
export const UPLOAD_TYPES: Readonly<Record<string, string>> = {
  'image/jpeg': 'JPG',
  'image/png': 'PNG',
  'image/bmp': 'BMP',
  'audio/mpeg': 'MP3',
  'audio/aac': 'AAC',
  'video/mp4': 'MP4',
  'text/plain': 'TXT',
  'text/csv': 'CSV',
};

const HHMM = v.pipe(v.string(), v.regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'must be HH:MM (00:00 to 24:00)'));
const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3));
/** One opening segment of a day; it ends after it starts (requirements A, workTime). */
const Segment = v.pipe(
  v.strictObject({ start: HHMM, end: HHMM }),
  v.rawCheck(({ dataset, addIssue }) => {
    if (!dataset.typed) return;
    const { start, end } = dataset.value;
    if (minutes(start) >= minutes(end)) {
      const path = [{ type: 'object', origin: 'value', input: dataset.value, key: 'end', value: end }] as unknown as [v.IssuePathItem];
      addIssue({ message: `must be later than start (${start})`, path });
    }
  }),
);
/** A day's segments (`workday`, `nonWorkday`): at most 4, none overlapping another (requirements A, workTime). */
const segments = (key: 'workday' | 'nonWorkday') =>
  v.pipe(
    v.array(Segment),
    v.maxLength(4, 'must have at most 4 time segments'),
    v.rawCheck(({ dataset, addIssue }) => {
      if (!dataset.typed) return;
      const list = dataset.value;
      for (const [k, s] of list.entries()) {
        const j = list.slice(0, k).findIndex((o) => minutes(s.start) < minutes(o.end) && minutes(o.start) < minutes(s.end));
        if (j < 0) continue;
        const path = [{ type: 'array', origin: 'value', input: list, key: k, value: s }] as unknown as [v.IssuePathItem];
        return addIssue({ message: `${s.start}–${s.end} overlaps ${key}[${j}]`, path });
      }
    }),
  );
const text = (max: number) => v.pipe(v.string(), v.maxLength(max, `must be at most ${max} characters`));
const nonEmpty = (max: number) => v.pipe(v.string(), v.minLength(1, 'must not be empty'), v.maxLength(max, `must be at most ${max} characters`));
const int = (min: number, max: number) => v.pipe(v.number('must be a number'), v.integer('must be an integer'), v.minValue(min, `must be at least ${min}`), v.maxValue(max, `must be at most ${max}`));
const ENV_NAME = v.pipe(v.string(), v.regex(/^[A-Z_][A-Z0-9_]{0,63}$/, 'must be an environment variable name (A-Z, 0-9, _)'));
const texts = v.optional(v.array(nonEmpty(500)), []);

/**
 * A public text of the channel: a string (every language) or an object of texts by BCP 47 tag
 * (`{"en": "…", "pt-BR": "…"}`), as in the mock's tenant; the customer's applyToken locale picks
 * one (widget/core/locale.ts). `min` 1: a string must not be empty; a language's text never is.
 */
const localText = (max: number, min = 0): v.GenericSchema<unknown, LocalizedText> =>
  v.pipe(
    v.unknown(),
    v.rawCheck(({ dataset, addIssue }) => {
      const x = dataset.value;
      if (typeof x === 'string') {
        if (x.length < min) addIssue({ message: 'must not be empty' });
        else if (x.length > max) addIssue({ message: `must be at most ${max} characters` });
        return;
      }
      if (typeof x !== 'object' || x === null || Array.isArray(x)) return addIssue({ message: 'must be a string, or an object of texts by language tag such as {"en": "…", "pt-BR": "…"}' });
      const o = x as Record<string, unknown>;
      const at = (key: string) => [{ type: 'object', origin: 'value', input: o, key, value: o[key] }] as unknown as [v.IssuePathItem];
      const tags = Object.keys(o);
      if (tags.length === 0 || tags.length > 50) return addIssue({ message: 'must give a text for 1 to 50 languages' });
      for (const tag of tags) {
        if (!LOCALE_TAG.test(tag) || tag.length > 35) return addIssue({ message: 'is not a BCP 47 language tag such as en, pt-BR or fr', path: at(tag) });
        const t = o[tag];
        if (typeof t !== 'string' || t.trim() === '' || t.length > max) return addIssue({ message: `must be a text of 1 to ${max} characters`, path: at(tag) });
      }
    }),
    v.transform((x) => x as LocalizedText),
  );

const WorkTimeSchema = v.strictObject({
  timeZone: v.pipe(
    v.string(),
    v.check((tz) => {
      try {
        new Intl.DateTimeFormat('en', { timeZone: tz });
        return true;
      } catch {
        return false;
      }
    }, 'must be an IANA time zone such as Asia/Shanghai'),
  ),
  workdays: v.pipe(v.array(int(1, 7)), v.minLength(1, 'must list at least one ISO weekday (1 = Monday … 7 = Sunday)')),
  workday: segments('workday'),
  nonWorkday: v.optional(segments('nonWorkday'), []),
  nonWorkingNotice: localText(500),
});

const ChannelSchema = v.strictObject({
  /** The WEB channel's "Configuration ID" in the CEC (`channelConfigId`, `to`). */
  channelId: v.pipe(v.string(), v.regex(/^[\w.@:-]{1,64}$/, 'must be 1–64 letters, digits or . _ - @ :')),
  /** Name of the environment variable holding the channel's secretKey; absent = no signature. */
  secretKeyEnv: v.optional(ENV_NAME),
  useRobot: v.optional(v.boolean(), true),
  toArtificialKeyWord: v.optional(v.array(nonEmpty(32)), []),
  /** The channel's own language: a text given by language serves a customer with none in theirs in this one, else its first. */
  defaultLocale: v.optional(v.pipe(v.string(), v.regex(LOCALE_TAG, 'must be a BCP 47 language tag such as en, pt-BR or fr'))),
  queueReminder: v.optional(v.strictObject({ intervalSeconds: int(5, 3600), content: localText(500) }), { intervalSeconds: 30, content: '' }),
  dialogEnd: v.optional(v.strictObject({ noReplyMinutes: int(1, 1440), conclusion: localText(500) }), { noReplyMinutes: 10, conclusion: '' }),
  workTime: v.optional(v.nullable(WorkTimeSchema), null),
  chatbot: v.optional(
    v.nullable(
      v.strictObject({
        name: nonEmpty(64),
        avatar: v.optional(text(2048), ''),
        gender: v.optional(v.picklist(['female', 'male', 'unspecified'], 'must be female, male or unspecified'), 'unspecified'),
        transferPrompt: v.optional(localText(500), ''),
        timeoutReply: v.optional(localText(500), ''),
      }),
    ),
    null,
  ),
  clickToDial: v.optional(
    v.nullable(
      v.strictObject({
        calledParty: v.picklist(['agent', 'ivr'], 'must be agent or ivr'),
        media: v.pipe(v.array(v.picklist(['voice', 'video'], 'must be voice or video')), v.minLength(1, 'must not be empty')),
      }),
    ),
    null,
  ),
  /** Five level names, 1 (very dissatisfied) … 5; replaced by the CEC's own when getsatisfactionsurveymode has them. */
  satisfactionLevels: v.optional(v.pipe(v.array(localText(64, 1)), v.length(5, 'must have exactly 5 names')), ['Very dissatisfied', 'Dissatisfied', 'Neutral', 'Satisfied', 'Very satisfied']),
  upload: v.optional(
    v.strictObject({
      maxBytes: int(1, 2 * 1024 * 1024),
      types: v.array(v.picklist(Object.keys(UPLOAD_TYPES) as [string, ...string[]], 'is not a type the CEC stores (JPG, PNG, BMP, MP3, AAC, MP4, TXT, CSV)')),
    }),
    { maxBytes: 2 * 1024 * 1024, types: ['image/png', 'image/jpeg'] },
  ),
  /** SYSTEM texts of this channel as configured in the CEC, matched (trimmed, case-insensitive) to derive events. */
  texts: v.optional(
    v.strictObject({
      agentConnected: texts,
      idleWarning: texts,
      queueTimeout: texts,
      queueBusy: texts,
      noAgents: texts,
    }),
    { agentConnected: [], idleWarning: [], queueTimeout: [], queueBusy: [], noAgents: [] },
  ),
});

/**
 * The valibot schema of `connector.json`: `upstream` (the CEC's gateway and how to call it),
 * `channels` (each channel's public settings), `session`, `store`, `allowedOrigins`. Use
 * parseConfig, which names every bad field; this is exported for tools that compose schemas.
 */
export const ConfigSchema = v.strictObject({
  upstream: v.strictObject({
    /** Origin (and optional prefix) of the CEC's API Fabric gateway, e.g. https://service.besclouds.com */
    baseUrl: v.pipe(v.string(), v.url('must be a URL'), v.regex(/^https?:\/\//, 'must start with http:// or https://')),
    appKeyEnv: v.optional(ENV_NAME, 'CEC_APP_KEY'),
    appSecretEnv: v.optional(ENV_NAME, 'CEC_APP_SECRET'),
    /** Timeout of one upstream call, ms. */
    timeoutMs: v.optional(int(100, 120_000), 10_000),
    /** Timeout of one upstream poll (the CEC holds it ≈5 s), ms. */
    pollTimeoutMs: v.optional(int(100, 120_000), 15_000),
    /** Pause after an empty upstream poll that came back at once, ms. */
    pollIdleMs: v.optional(int(0, 60_000), 1000),
    /**
     * A CHAT send whose outcome is unknown is sent again only when the CEC's history shows it
     * absent AND this long has passed since (a request stuck in the network may still arrive), ms.
     */
    unknownSendGraceMs: v.optional(int(0, 600_000), 60_000),
    /** Attempts of an idempotent upstream call (backoff in between). */
    attempts: v.optional(int(1, 10), 3),
    /**
     * Lease on a customer's upstream poll loop, ms: renewed every third of it while the loop runs;
     * when its instance dies, another takes the customer over within this time.
     */
    leaseMs: v.optional(int(1000, 600_000), 10_000),
  }),
  channels: v.pipe(v.array(ChannelSchema), v.minLength(1, 'must list at least one channel')),
  session: v.optional(
    v.strictObject({
      /** A customer whose browser has not polled for this long is disconnected upstream. */
      silenceSeconds: v.optional(int(30, 3600), 90),
      /** An ended conversation stays readable (reload, history) this long. */
      retainMinutes: v.optional(int(1, 7 * 24 * 60), 60),
    }),
    { silenceSeconds: 90, retainMinutes: 60 },
  ),
  /** Where the state lives: `{type: "memory"}` (default) or `{type: "redis", url}` for several instances. */
  store: StoreConfigSchema,
  /** Origins allowed to call the connector from a browser (CORS); empty = same origin only. */
  allowedOrigins: v.optional(v.array(v.pipe(v.string(), v.regex(/^https?:\/\/[^/\s]+$/, 'must be an origin such as https://shop.example'))), []),
});

export type ConnectorConfig = v.InferOutput<typeof ConfigSchema>;
export type ConnectorConfigInput = v.InferInput<typeof ConfigSchema>;
export type ChannelSettings = ConnectorConfig['channels'][number];

/** A config file that does not validate; `message` lists every problem, each naming its field. */
export class ConfigError extends Error {
  constructor(readonly issues: string[]) {
    super(`Invalid connector config: ${issues.join('; ')}`);
    this.name = 'ConfigError';
  }
}

/** Validates a parsed config object; throws ConfigError naming each bad field. */
export function parseConfig(input: unknown): ConnectorConfig {
  const r = v.safeParse(ConfigSchema, input);
  if (!r.success) {
    throw new ConfigError(
      r.issues.map((i) => {
        const path = (i.path ?? [])
          .map((p) => (typeof p.key === 'number' ? `[${p.key}]` : `.${String(p.key)}`))
          .join('')
          .replace(/^\./, '');
        return `${path || '(config)'}: ${i.message}`;
      }),
    );
  }
  const seen = new Set<string>();
  r.output.channels.forEach((c, i) => {
    if (seen.has(c.channelId)) throw new ConfigError([`channels[${i}].channelId: "${c.channelId}" is listed twice`]);
    seen.add(c.channelId);
  });
  return r.output;
}
