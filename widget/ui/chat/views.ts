/**
 * The panel's views, one function per purpose, rendering session state as Lit templates.
 * They hold no state: user actions go out through the `Actions` callbacks.
 */
import { html, nothing, type TemplateResult } from 'lit';
import { guard } from 'lit/directives/guard.js';
import { repeat } from 'lit/directives/repeat.js';
import { COMMENT_MAX_CHARS } from '../../core/protocol.js';
import type { SessionState, TranscriptItem } from '../../core/session.js';
import type { Translation } from '../i18n/index.js';
import { callToggles, videoTiles, type CallControls } from './call-view.js';
import { cleanText } from '../../core/text.js';
import { linkify } from './linkify.js';

export interface Actions {
  retry(id: string): void;
  /** Where an uploaded file is shown or downloaded. */
  fileUrl(objectKey: string): string;
  transfer(): void;
  stillHere(): void;
  newChat(): void;
  rate(score: number, comment: string): void;
  leaveMessage(content: string, contact: string): void;
}

/**
 * Whether a keydown in the composer sends: Enter without Shift, and not the Enter that ends an
 * input method's composition (Chinese, Japanese, Korean…). Browsers mark that one differently:
 * `isComposing` (Chrome, Firefox), keyCode 229 (Safari, which fires compositionend *before*
 * the Enter keydown, and older Chrome), or only by the composition events around it — so all
 * three count; `composing` is true between compositionstart and compositionend.
 */
export function sendsOnEnter(e: KeyboardEvent, composing: boolean): boolean {
  return e.key === 'Enter' && !e.shiftKey && !e.isComposing && e.keyCode !== 229 && !composing;
}

const timeFormats = new Map<string, { format: Intl.DateTimeFormat; minutes: Map<number, string> }>();
/**
 * Hours and minutes in the locale: one formatter per locale (making one costs more than a row),
 * and each minute formatted once (a chat's messages share few minutes: a screen of rows costs
 * a few formats, not one each). Time zones' offsets are whole minutes since the 1970s.
 */
export function formatTime(at: number, locale: string): string {
  let f = timeFormats.get(locale);
  if (!f) timeFormats.set(locale, (f = { format: new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit' }), minutes: new Map() }));
  const minute = Math.floor(at / 60_000);
  let text = f.minutes.get(minute);
  if (text === undefined) {
    if (f.minutes.size >= 1000) f.minutes.clear();
    f.minutes.set(minute, (text = f.format.format(at)));
  }
  return text;
}

const shownItems = new WeakMap<TranscriptItem, TranscriptItem>();
const shownStates = new WeakMap<SessionState, { last: number; c: SessionState }>();

function cleanStrings<T extends object>(o: T): T {
  const out = { ...o } as Record<string, unknown>;
  for (const [k, v] of Object.entries(out)) if (typeof v === 'string') out[k] = cleanText(v);
  return out as T;
}

function shownItem(m: TranscriptItem): TranscriptItem {
  let c = shownItems.get(m);
  if (!c) {
    c = { ...m, name: cleanText(m.name), text: cleanText(m.text) };
    if (m.file) c.file = { ...m.file, name: cleanText(m.file.name) };
    if (m.data) c.data = cleanStrings(m.data);
    shownItems.set(m, c);
  }
  return c;
}

/**
 * The state as it may be shown: every string that came from elsewhere (message text, names,
 * titles, file names, queue names, reminders, rating level names) with bidi and invisible
 * controls removed (see cleanText). Ids, keys and numbers are untouched, so actions taken on
 * what is shown still name the real message. Cached per object: the state is immutable.
 * `last` keeps only the latest messages in its transcript (the panel's window), so a new
 * message costs the same at message 25 and at message 10,000.
 */
export function forDisplay(s: SessionState, last = Infinity): SessionState {
  let c = shownStates.get(s)?.last === last ? shownStates.get(s)!.c : undefined;
  if (!c) {
    const config = s.config && {
      ...s.config,
      chatbot: s.config.chatbot && cleanStrings(s.config.chatbot),
      satisfactionLevels: s.config.satisfactionLevels.map(cleanStrings),
    };
    c = {
      ...s,
      config,
      transcript: (last < s.transcript.length ? s.transcript.slice(-last) : s.transcript).map(shownItem),
      agent: s.agent && cleanStrings(s.agent),
      queue: s.queue && cleanStrings(s.queue),
      call: s.call && cleanStrings(s.call),
    };
    shownStates.set(s, { last, c });
  }
  return c;
}

/**
 * The header's title and status line: the agent while one is (or was last) in the chat, the
 * chatbot while it answers, the service's name otherwise; once the chat is over the status
 * says so instead of "Online".
 */
export function header(s: SessionState | null, t: Translation): { title: string; status: string } {
  const ended = s?.phase === 'ended';
  const title = s?.agent && !ended ? t.withAgent(s.agent.name) : s?.config?.chatbot && s.phase === 'bot' ? t.withBot(s.config.chatbot.name) : t.title;
  const status = !s || s.phase === 'starting' ? t.connecting : ended ? t.chatEnded : s.connection === 'reconnecting' ? t.reconnecting : s.transferring ? t.transferring : t.online;
  return { title, status };
}

function body(text: string): TemplateResult {
  return html`${linkify(cleanText(text)).map((p) => (p.href ? html`<a href=${p.href} target="_blank" rel="noopener noreferrer nofollow">${p.text}</a>` : p.text))}`;
}

/**
 * An image (with a preview) or a file link; only our own blob: previews and the API's file URLs.
 * The name is shown and downloaded as cleaned text (`photo\u202Egnp.exe` is "photognp.exe"); a
 * preview the browser cannot decode gives way to the file's name instead of a broken image.
 */
function attachment(m: TranscriptItem, a: Actions): TemplateResult {
  const f = m.file!;
  const name = cleanText(f.name);
  const url = f.key ? a.fileUrl(f.key) : f.localUrl;
  if (m.mediaType === 'IMAGE' && url) {
    return html`<a href=${url} target="_blank" rel="noopener noreferrer"><img class="preview" src=${url} alt=${name} loading="lazy"
      @error=${(e: Event) => (e.target as HTMLElement).classList.add('broken')} /><span class="fallback">📎 ${name}</span></a>`;
  }
  return url ? html`<a href=${url} target="_blank" rel="noopener noreferrer" download=${name}>📎 ${name}</a>` : html`📎 ${name}`;
}

/** The wording of a system message: from its meaning and data, else the server's content. */
export function systemText(m: TranscriptItem, t: Translation): string {
  const d = m.data ?? {};
  switch (m.event) {
    // Position and wait live in the queue card (kept up to date); the transcript keeps the events.
    case 'queue.joined':
      return t.queueJoined;
    case 'queue.reminder':
      return m.text || t.queuePosition(d.position ?? 1);
    case 'queue.transferred':
      return t.queueTransferred(d.queueName ?? '');
    case 'agent.joined':
      return t.agentJoined(d.agentName ?? m.name, d.employeeId);
    case 'session.ended':
      return [m.text, t.ended[d.endReason ?? 'customer']].filter(Boolean).join(' ');
    case 'message.left':
      return t.messageLeft;
    case 'idle.warning':
      return t.idleWarning(Math.max(0, Math.round(((d.deadline ?? m.at) - m.at) / 1000)));
    default:
      return m.text;
  }
}

function status(m: TranscriptItem, s: SessionState, t: Translation, a: Actions): TemplateResult | typeof nothing {
  if (m.author !== 'customer' || !m.status) return nothing;
  if (m.status === 'failed') {
    return html`<span class="status failed" part="status">${m.file ? html`<span role="alert">${t.fileFailed}</span> ` : nothing}${t.failed}
      <button class="link" @click=${() => a.retry(m.id)}>${t.retry}</button></span>`;
  }
  const label = m.status === 'sending' ? t.sending : m.seq !== null && m.seq <= s.readSeq ? t.read : t.sent;
  return html`<span class="status" part="status">${label}</span>`;
}

/** The ending the ended card shows (the latest), which the transcript then does not repeat. */
function currentEnding(s: SessionState): TranscriptItem | undefined {
  if (s.phase !== 'ended') return undefined;
  for (let i = s.transcript.length - 1; i >= 0; i--) if (s.transcript[i]!.event === 'session.ended') return s.transcript[i];
  return undefined;
}

const rows = new WeakMap<TranscriptItem, { t: Translation; a: Actions; k: string; r: TemplateResult }>();

/**
 * One transcript row, made again only when what it shows changed: its item (the state is
 * immutable, so a changed message is a new object), the language, whether the customer's message
 * was read (an agent's row does not change when the agent reads), whether
 * it is the ending the ended card shows. Lit then finds every value of an unchanged row equal,
 * so a new message costs one row, not the whole window.
 */
export function transcriptRow(m: TranscriptItem, s: SessionState, t: Translation, a: Actions, locale: string): TemplateResult {
  const k = `${locale} ${m.author === 'customer' && m.seq !== null && m.seq <= s.readSeq} ${m.event === 'session.ended' && m === currentEnding(s)}`;
  let row = rows.get(m);
  if (row?.t !== t || row.a !== a || row.k !== k) rows.set(m, (row = { t, a, k, r: transcriptItem(m, s, t, a, locale) }));
  return row.r;
}

/**
 * Messages per block of the transcript: the unit in which rows are rendered and in which the
 * window of rendered rows slides (see windowStart and transcriptBlocks).
 */
export const BLOCK = 25;

/**
 * Index of the first transcript item rendered, for a transcript of `length` items of which at
 * least the latest `shown` are rendered: a multiple of BLOCK, so the window slides by a whole
 * block once every BLOCK messages (every row on screen moves then) instead of by one row with
 * every message, and a block keeps the same messages as the chat grows. `pad`: the blocks
 * start `pad` items before a multiple of BLOCK (0 ≤ pad < BLOCK), so that rows put before the
 * transcript (an earlier history page of any length) leave every existing block as it was.
 */
export function windowStart(length: number, shown: number, pad = 0): number {
  return Math.max(0, Math.floor((length + pad - shown) / BLOCK) * BLOCK - pad);
}

/**
 * The rendered rows in blocks of BLOCK items (`items` starts at a windowStart), each block an
 * element of its own keyed by its first message and guarded by its rows (memoised per message by
 * transcriptRow): Lit skips every block whose rows all stayed the same, so a new message costs
 * its own block (at most BLOCK rows) whether 25 or 175 rows are on screen. A block out of view
 * is neither laid out nor painted (`content-visibility: auto` in panel.styles.ts), so style,
 * layout and paint of a new message do not grow with the rows above it either. The block is
 * `role="none"`: to assistive technology the rows are the items of the transcript's one list.
 * `head`: the first block's length (1–BLOCK; shorter when earlier pages shifted the blocks, see
 * windowStart's `pad`).
 */
export function transcriptBlocks(items: readonly TranscriptItem[], s: SessionState, t: Translation, a: Actions, locale: string, head = BLOCK) {
  const blocks: TranscriptItem[][] = [];
  for (let i = 0, n = head; i < items.length; i += n, n = BLOCK) blocks.push(items.slice(i, i + n));
  return repeat(
    blocks,
    (b) => b[0]!.id,
    (b) => {
      const rows = b.map((m) => transcriptRow(m, s, t, a, locale));
      return html`<div class="block" role="none">${guard(rows, () =>
        repeat(
          b,
          (m) => m.id,
          (_, i) => rows[i],
        ),
      )}</div>`;
    },
  );
}

export function transcriptItem(m: TranscriptItem, s: SessionState, t: Translation, a: Actions, locale: string): TemplateResult {
  // The ending the ended card shows is read here (the log announces it) but seen there only.
  if (m.event === 'session.ended' && m === currentEnding(s)) return html`<div role="listitem" class="system sr" part="system-message">${systemText(m, t)}</div>`;
  if (m.author === 'system' || (m.event && m.author !== 'customer' && m.event !== 'bot.reply' && m.event !== 'bot.greeting' && m.event !== 'bot.transfer')) {
    const text = systemText(m, t);
    return text ? html`<div role="listitem" class="system" part="system-message">${text}</div>` : html``;
  }
  const mine = m.author === 'customer';
  return html`<div role="listitem" class="msg ${mine ? 'mine' : m.author}" part="message ${mine ? 'message-customer' : `message-${m.author}`}">
    <span class="meta"><span class="name">${mine ? t.you : m.name}</span>
      <time datetime=${new Date(m.at).toISOString()}>${formatTime(m.at, locale)}</time></span>
    <span class="bubble" part="bubble">${m.file ? attachment(m, a) : body(m.text)}</span>
    ${status(m, s, t, a)}
  </div>`;
}

/** When each estimate (by the server message that carried it) first arrived here, local clock. */
const estimateSeen = new Map<string, number>();

/**
 * Seconds of the estimated wait left at `now`: the latest estimate, less the time since it
 * arrived here (local clock at both ends, so a skewed client clock changes nothing).
 */
export function waitLeft(estimateWaitSeconds: number, arrivedAt: number, now: number): number {
  return Math.max(0, estimateWaitSeconds - Math.max(0, now - arrivedAt) / 1000);
}

/** The live queue status: position and the wait left, counted down between the server's updates. */
export function queueCard(s: SessionState, t: Translation, now: number): TemplateResult | typeof nothing {
  const q = s.queue;
  if (s.phase !== 'queue' || !q) return nothing;
  // Keyed by the message that carried the estimate: a re-sync that rebuilds the state keeps it.
  let from = s.transcript.length - 1;
  while (from >= 0 && !s.transcript[from]!.event?.startsWith('queue.')) from--;
  const key = `${s.transcript[from]?.id ?? ''}:${q.estimateWaitSeconds}`;
  let since = estimateSeen.get(key);
  if (since === undefined) {
    if (estimateSeen.size > 50) estimateSeen.clear();
    estimateSeen.set(key, (since = now));
  }
  return html`<section class="card queue" part="queue" aria-labelledby="queue-title">
    <h2 id="queue-title">${t.queueTitle}</h2>
    <p>${t.queuePosition(q.position)} ${t.queueWait(Math.round(waitLeft(q.estimateWaitSeconds, since, now) / 60))}</p>
  </section>`;
}

/**
 * The idle warning with its live countdown and "I'm still here". The warning is announced once,
 * as the transcript's new row (the log); the countdown is a `timer`, which is not a live region
 * that speaks (an alert around it re-read the sentence every second of the last minute).
 */
export function idleBanner(s: SessionState, t: Translation, a: Actions, now: number): TemplateResult | typeof nothing {
  if (s.idleDeadline === null || s.phase === 'ended') return nothing;
  const seconds = Math.max(0, Math.round((s.idleDeadline - now) / 1000));
  return html`<section class="card warn" part="idle-warning">
    <p role="timer">${t.idleWarning(seconds)}</p>
    <button class="primary" @click=${a.stillHere}>${t.stillHere}</button>
  </section>`;
}

/**
 * What ended the chat, seen here once (the transcript keeps it for screen readers only, who
 * hear it from the log, so nobody meets it twice), and the leave-a-message form when a queue
 * released the customer. "Start a new chat" is not here: see endedActions, always in sight.
 */
export function endedCard(s: SessionState, t: Translation, leaveMessage: TemplateResult): TemplateResult | typeof nothing {
  if (s.phase !== 'ended') return nothing;
  const released = s.ended?.reason.startsWith('queue.') ?? false;
  const ending = currentEnding(s);
  return html`<section class="card" part="ended">
    <p aria-hidden=${ending ? 'true' : 'false'}>${ending ? systemText(ending, t) : t.ended[s.ended?.reason ?? 'customer']}</p>
    ${released ? leaveMessage : nothing}
  </section>`;
}

/** The ended state's main action, in a bar that never scrolls away. */
export function endedActions(s: SessionState, t: Translation, a: Actions): TemplateResult | typeof nothing {
  if (s.phase !== 'ended') return nothing;
  return html`<div class="actions"><button class="primary" @click=${a.newChat}>${t.newChat}</button></div>`;
}

/** The "new messages" pill: shown when messages arrived while the reader was scrolled up. */
export function newMessagesPill(n: number, t: Translation, jump: () => void): TemplateResult | typeof nothing {
  if (n <= 0) return nothing;
  return html`<button class="pill" @click=${jump}>${t.newMessages(n)} <span aria-hidden="true">↓</span></button>`;
}

export interface LeaveMessageDraft {
  content: string;
  contact: string;
  sent: boolean;
  failed?: boolean;
}

/** What `doLeaveMessage` takes (characters, as the API counts them). */
export const LEAVE_MAX_CHARS = 2000;
export const CONTACT_MAX_CHARS = 200;

/**
 * Whether a leave-a-message contact can be used to reach the customer: empty (it is optional),
 * an email address, or a phone number (5–15 digits, E.164's longest, with an optional leading +
 * and spaces, dashes, dots or brackets between them).
 */
export function contactValid(contact: string): boolean {
  const v = contact.trim();
  if (!v) return true;
  if (v.length > CONTACT_MAX_CHARS) return false;
  if (/^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/.test(v)) return true;
  const digits = v.replace(/\D/g, '').length;
  return /^\+?[\d\s().-]+$/.test(v) && digits >= 5 && digits <= 15;
}

/**
 * A character counter for a limited text field: how many are left, or how many too many —
 * nothing is cut, so a long paste stays whole until the customer shortens it.
 */
function counter(id: string, text: string, max: number, t: Translation): TemplateResult {
  const left = max - text.length;
  return html`<span id=${id} class="hint ${left < 0 ? 'over' : ''}" aria-live="polite">${left < 0 ? t.charsOver(-left) : t.charsLeft(left)}</span>`;
}

export function leaveMessageForm(t: Translation, f: LeaveMessageDraft, onChange: (f: LeaveMessageDraft) => void, onSubmit: (content: string, contact: string) => void): TemplateResult {
  if (f.sent) return html`<p role="status">${t.messageLeft}</p>`;
  const contactOk = contactValid(f.contact);
  const ok = !!f.content.trim() && f.content.length <= LEAVE_MAX_CHARS && contactOk;
  const submit = (e: Event) => {
    e.preventDefault();
    if (ok) onSubmit(f.content, f.contact.trim());
  };
  return html`<form class="leave" @submit=${submit}>
    <label class="field">${t.leaveMessageLabel}
      <textarea name="leave" rows="3" aria-describedby="leave-count" aria-invalid=${f.content.length > LEAVE_MAX_CHARS ? 'true' : 'false'}
        .value=${f.content} @input=${(e: Event) => onChange({ ...f, content: (e.target as HTMLTextAreaElement).value })}></textarea></label>
    ${counter('leave-count', f.content, LEAVE_MAX_CHARS, t)}
    <label class="field">${t.contactLabel}
      <input name="contact" autocomplete="email" aria-invalid=${contactOk ? 'false' : 'true'} aria-describedby="contact-error"
        .value=${f.contact} @input=${(e: Event) => onChange({ ...f, contact: (e.target as HTMLInputElement).value })} /></label>
    <p id="contact-error" class="hint over" aria-live="polite">${contactOk ? '' : t.contactInvalid}</p>
    <button class="primary" type="submit" ?disabled=${!ok}>${t.leaveMessage}</button>
    ${f.failed ? html`<p class="hint" role="alert">${t.errors.generic}</p>` : nothing}
  </form>`;
}

/**
 * The 1–5 rating: each star with its level's name visible from the start (the names say what a
 * star means before one is picked), an optional comment with a counter, and the result.
 */
export function evaluationForm(
  s: SessionState,
  t: Translation,
  a: Actions,
  draft: { score: number; comment: string },
  onDraft: (d: { score: number; comment: string }) => void,
): TemplateResult | typeof nothing {
  if (!s.canEvaluate || !s.config) return nothing;
  const levels = s.config.satisfactionLevels;
  const ev = s.evaluation;
  const ok = draft.score > 0 && draft.comment.length <= COMMENT_MAX_CHARS && ev.status !== 'saving';
  const submit = (e: Event) => {
    e.preventDefault();
    if (ok) a.rate(draft.score, draft.comment);
  };
  return html`<form class="card rating" part="evaluation" @submit=${submit}>
    <fieldset>
      <legend>${ev.status === 'saved' ? t.rateAgain : t.rateTitle}</legend>
      <div class="stars" role="radiogroup" aria-label=${t.rateLabel}>
        ${levels.map(
          (l) => html`<label class="star ${Number(l.satisfactionLevelKey) <= draft.score ? 'on' : ''}">
            <input type="radio" name="score" .value=${l.satisfactionLevelKey} .checked=${Number(l.satisfactionLevelKey) === draft.score}
              @change=${() => onDraft({ ...draft, score: Number(l.satisfactionLevelKey) })} />
            <span class="glyph" aria-hidden="true">★</span><span class="sr">${l.satisfactionLevelKey} – </span><span class="level">${l.satisfactionLevelDesc}</span>
          </label>`,
        )}
      </div>
      <label class="field">${t.commentLabel}
        <textarea rows="2" aria-describedby="comment-count" .value=${draft.comment} @input=${(e: Event) => onDraft({ ...draft, comment: (e.target as HTMLTextAreaElement).value })}></textarea>
      </label>
      ${counter('comment-count', draft.comment, COMMENT_MAX_CHARS, t)}
      <button class="primary" type="submit" ?disabled=${!ok}>${t.submitRating}</button>
      <p class="hint" role="status">${ev.status === 'saved' ? t.ratingSaved : ev.status === 'failed' ? t.ratingFailed : ''}</p>
    </fieldset>
  </form>`;
}

function duration(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  return `${String(Math.floor(total / 60)).padStart(2, '0')}:${String(total % 60).padStart(2, '0')}`;
}

/**
 * Click-to-dial: permission, calling, ringing, connected with its duration, ended with the cause
 * (a status region that speaks on each change; the duration ticks in a timer, which does not).
 * A video call in progress adds the remote and local pictures and the microphone and camera
 * switches (call-view.ts); a voice call shows the status and Hang up only.
 */
export function callCard(s: SessionState, t: Translation, a: CallControls, now: number): TemplateResult | typeof nothing {
  const c = s.call;
  if (!c) return nothing;
  const title = c.media === 'video' ? t.callVideo : t.callVoice;
  const text =
    c.status === 'permission'
      ? t.callPermission
      : c.status === 'calling'
        ? t.callCalling
        : c.status === 'ringing'
          ? t.callRinging
          : c.status === 'connected'
            ? t.callConnected(duration(now - (c.connectedAt ?? now)))
            : t.callEnded[c.cause ?? 'customer'];
  const video = c.media === 'video' && c.status !== 'ended';
  // The status region speaks when the status changes, not with every second of the duration: it
  // says "connected" as it was at the moment of connecting; the running duration is a timer.
  const connected = c.status === 'connected';
  return html`<section class="card call ${c.status}" part="call" aria-labelledby="call-title">
    <h2 id="call-title">${title}${c.agentName ? html` · ${c.agentName}` : nothing}</h2>
    ${video ? videoTiles(c, t, a.streams) : nothing}
    <p><span class="sr" role="status">${connected ? t.callConnected(duration(0)) : text}</span><span role=${connected ? 'timer' : 'none'} aria-hidden=${!connected}>${text}</span></p>
    <div class="call-actions">
      ${video ? callToggles(c, t, a.toggle) : nothing}
      ${c.status === 'ended' ? html`<button class="primary" @click=${a.dismiss}>${t.dismiss}</button>` : html`<button class="danger" @click=${a.hangUp}>${t.hangUp}</button>`}
    </div>
  </section>`;
}
