/**
 * What the Administrator pane's forms share: the admin API client and the wording of the
 * mock's validation errors as sentences a tester reads (no API paths).
 */
export type Obj = Record<string, unknown>;

/** Fields with a fixed set of values (requirements part A), each with the guide's wording. */
export const CHOICES: Record<string, Array<[string, string]>> = {
  type: [
    ['voice', 'Voice'],
    ['multimedia', 'Multimedia'],
    ['video', 'Video'],
    ['voiceClickToDial', 'Voice click to dial'],
    ['videoClickToDial', 'Video click to dial'],
  ],
  processMethod: [
    ['release', 'Release'],
    ['transfer', 'Transfer'],
  ],
  deviceType: [
    ['skillQueue', 'Skill queue'],
    ['ivr', 'IVR'],
  ],
  queuingMethod: [
    ['', '(none)'],
    ['defaultTone', 'Default wait tone'],
    ['customTone', 'Customized wait tone'],
    ['ivr', 'IVR'],
  ],
  keepingMethod: [
    ['', '(none)'],
    ['defaultTone', 'Default keeping tone'],
    ['customTone', 'Customized keeping tone'],
  ],
  answerMode: [
    ['reportEmployeeId', 'Report employee ID'],
    ['noVoice', 'Report no voice'],
  ],
  accessCodeType: [
    ['multimedia', 'Multimedia'],
    ['voice', 'Voice'],
    ['video', 'Video'],
    ['clickToDial', 'Click to dial'],
  ],
  platformRole: [
    ['commonAgent', 'Common agent'],
    ['qualityChecker', 'Quality checker'],
    ['calloutAgent', 'Callout agent'],
  ],
  agentType: [
    ['audio', 'Audio agent'],
    ['video', 'Video agent'],
    ['multimedia', 'Multimedia agent'],
    ['versatile', 'Versatile agent'],
  ],
  gender: [
    ['female', 'Female'],
    ['male', 'Male'],
    ['unspecified', 'Unspecified'],
  ],
  calledParty: [
    ['agent', 'Audio and video agent'],
    ['ivr', 'IVR'],
  ],
};

/** A validation error of the admin API, worded for people; `field` is the API's path. */
export interface AdminError {
  field?: string;
  message: string;
}

export interface AdminApi {
  get(path: string): Promise<{ ok: boolean; status: number; body: Obj }>;
  send(method: string, path: string, body?: unknown): Promise<{ ok: boolean; status: number; body: Obj }>;
}

/** Requests give up after this long (the mock may be slowed down by fault injection). */
const TIMEOUT_MS = 15_000;

async function call(method: string, path: string, body?: unknown) {
  try {
    const res = await fetch(`/mock/admin${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    const data = (res.status === 204 ? {} : await res.json()) as Obj;
    return { ok: res.ok, status: res.status, body: data };
  } catch (e) {
    const timedOut = (e as Error).name === 'TimeoutError';
    return { ok: false, status: 0, body: { exceptionInfo: timedOut ? 'The mock contact center did not answer in time.' : 'The mock contact center could not be reached.' } as Obj };
  }
}

/** `/mock/admin` over fetch: every call has a timeout and resolves (never throws). */
export const adminApi: AdminApi = { get: (path) => call('GET', path), send: call };

const words = (k: string) =>
  k
    .replace(/([A-Z])/g, ' $1')
    .toLowerCase()
    .trim();

/**
 * A web channel's customer-facing texts: each a string (every language) or one text per BCP 47
 * tag (`{"en": "…", "pt-BR": "…"}`); the satisfaction level names are texts too.
 */
export const TEXT_KEYS: ReadonlySet<string> = new Set(['nonWorkingNotice', 'conclusion', 'content', 'greeting', 'defaultReply', 'timeoutReply', 'transferPrompt', 'reply']);

const languageNames = new Intl.DisplayNames(['en'], { type: 'language' });
/** "Portuguese (Brazil)" for pt-BR; the tag itself when it is not one. */
export function languageName(tag: string): string {
  try {
    return languageNames.of(tag) ?? tag;
  } catch {
    return tag;
  }
}

/**
 * A field path of the admin API in words: `workTime.workday[0].end` → "work time, workday 1,
 * end"; `agents[3].agentType` → "agent type" (the object itself is named by the caller); the
 * language of a text, `workTime.nonWorkingNotice.pt-BR` → "work time, non working notice,
 * Portuguese (Brazil) (pt-BR)".
 */
export function fieldLabel(path: string): string {
  const parts: string[] = [];
  let previous = '';
  for (const m of path.matchAll(/([A-Za-z_][\w-]*)((?:\[\d+\])*)/g)) {
    const idx = [...m[2]!.matchAll(/\[(\d+)\]/g)].map((x) => Number(x[1]) + 1);
    // The key after a text (or after one satisfaction level) is a language tag.
    const isLanguage = TEXT_KEYS.has(previous) || previous === 'satisfactionLevels[]';
    parts.push(isLanguage ? `${languageName(m[1]!)} (${m[1]})` : [words(m[1]!), ...idx].join(' '));
    previous = idx.length ? `${m[1]}[]` : m[1]!;
  }
  return parts.join(', ');
}

/**
 * The mock's message as a sentence about the field: a leading API path (`a.b[0].c`, with or
 * without a colon) becomes the field's name in words, the first letter is capitalised and the
 * sentence ends with a full stop. Paths the message quotes elsewhere are left alone.
 */
export function sentence(field: string | undefined, message: string): string {
  let text = message.trim();
  const lead = /^([A-Za-z_][\w]*(?:\[\d+\])*(?:\.[A-Za-z_][\w-]*(?:\[\d+\])*)*):?\s+/.exec(text);
  if (lead && (lead[1] === field || (field && (field.endsWith(lead[1]!) || lead[1]!.endsWith(field))) || /[.[]/.test(lead[1]!))) {
    text = `${fieldLabel(lead[1]!)} ${text.slice(lead[0].length)}`;
  } else if (field && !text.toLowerCase().startsWith(fieldLabel(field).toLowerCase())) {
    text = `${fieldLabel(field)}: ${text}`;
  }
  text = text.charAt(0).toUpperCase() + text.slice(1);
  return /[.!?]$/.test(text) ? text : `${text}.`;
}
