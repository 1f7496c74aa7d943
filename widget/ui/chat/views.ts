/**
 * The panel's views, one function per purpose, rendering session state as Lit templates.
 * They hold no state: user actions go out through the `Actions` callbacks.
 */
import { html, nothing, type TemplateResult } from 'lit';
import type { SessionState, TranscriptItem } from '../../core/session.js';
import type { Translation } from '../i18n/index.js';
import { cleanText, linkify } from './linkify.js';

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

export function formatTime(at: number, locale: string): string {
  return new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit' }).format(at);
}

function body(text: string): TemplateResult {
  return html`${linkify(cleanText(text)).map((p) =>
    p.href ? html`<a href=${p.href} target="_blank" rel="noopener noreferrer nofollow">${p.text}</a>` : p.text,
  )}`;
}

/** An image (with a preview) or a file link; only our own blob: previews and the API's file URLs. */
function attachment(m: TranscriptItem, a: Actions): TemplateResult {
  const f = m.file!;
  const url = f.key ? a.fileUrl(f.key) : f.localUrl;
  if (m.mediaType === 'IMAGE' && url) {
    return html`<a href=${url} target="_blank" rel="noopener noreferrer"><img class="preview" src=${url} alt=${f.name} loading="lazy" /></a>`;
  }
  return url ? html`<a href=${url} target="_blank" rel="noopener noreferrer" download=${f.name}>📎 ${f.name}</a>` : html`📎 ${f.name}`;
}

/** The wording of a system message: from its meaning and data, else the server's content. */
export function systemText(m: TranscriptItem, t: Translation): string {
  const d = m.data ?? {};
  switch (m.event) {
    case 'queue.joined':
      return [t.queuePosition(d.position ?? 1), t.queueWait(Math.round((d.estimateWaitSeconds ?? 0) / 60))].join(' ');
    case 'queue.reminder':
      return [m.text, t.queuePosition(d.position ?? 1), t.queueWait(Math.round((d.estimateWaitSeconds ?? 0) / 60))].filter(Boolean).join(' ');
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
    return html`<span class="status failed" part="status">${t.failed}
      <button class="link" @click=${() => a.retry(m.id)}>${t.retry}</button></span>`;
  }
  const label = m.status === 'sending' ? t.sending : m.seq !== null && m.seq <= s.readSeq ? t.read : t.sent;
  return html`<span class="status" part="status">${label}</span>`;
}

export function transcriptItem(m: TranscriptItem, s: SessionState, t: Translation, a: Actions, locale: string): TemplateResult {
  if (m.author === 'system' || (m.event && m.author !== 'customer' && m.event !== 'bot.reply' && m.event !== 'bot.greeting' && m.event !== 'bot.transfer')) {
    const text = systemText(m, t);
    return text ? html`<li class="system" part="system-message">${text}</li>` : html``;
  }
  const mine = m.author === 'customer';
  return html`<li class="msg ${mine ? 'mine' : m.author}" part="message ${mine ? 'message-customer' : `message-${m.author}`}">
    <span class="meta"><span class="name">${mine ? t.you : m.name}</span>
      <time datetime=${new Date(m.at).toISOString()}>${formatTime(m.at, locale)}</time></span>
    <span class="bubble" part="bubble">${m.file ? attachment(m, a) : body(m.text)}</span>
    ${status(m, s, t, a)}
  </li>`;
}

export function queueCard(s: SessionState, t: Translation): TemplateResult | typeof nothing {
  if (s.phase !== 'queue' || !s.queue) return nothing;
  return html`<section class="card queue" part="queue" aria-labelledby="queue-title">
    <h2 id="queue-title">${t.queueTitle}</h2>
    <p>${t.queuePosition(s.queue.position)} ${t.queueWait(Math.round(s.queue.estimateWaitSeconds / 60))}</p>
    ${s.queue.reminder ? html`<p class="hint">${s.queue.reminder}</p>` : nothing}
  </section>`;
}

export function idleBanner(s: SessionState, t: Translation, a: Actions, now: number): TemplateResult | typeof nothing {
  if (s.idleDeadline === null || s.phase === 'ended') return nothing;
  const seconds = Math.max(0, Math.round((s.idleDeadline - now) / 1000));
  return html`<section class="card warn" part="idle-warning" role="alert">
    <p>${t.idleWarning(seconds)}</p>
    <button class="primary" @click=${a.stillHere}>${t.stillHere}</button>
  </section>`;
}

export function endedCard(s: SessionState, t: Translation, a: Actions, leaveMessage: TemplateResult): TemplateResult | typeof nothing {
  if (s.phase !== 'ended') return nothing;
  const released = s.ended?.reason.startsWith('queue.') ?? false;
  return html`<section class="card" part="ended">
    <p>${t.ended[s.ended?.reason ?? 'customer']}</p>
    ${released ? leaveMessage : nothing}
    <button class="primary" @click=${a.newChat}>${t.newChat}</button>
  </section>`;
}

export interface LeaveMessageDraft {
  content: string;
  contact: string;
  sent: boolean;
  failed?: boolean;
}

export function leaveMessageForm(
  t: Translation,
  f: LeaveMessageDraft,
  onChange: (f: LeaveMessageDraft) => void,
  onSubmit: (content: string, contact: string) => void,
): TemplateResult {
  if (f.sent) return html`<p role="status">${t.messageLeft}</p>`;
  const submit = (e: Event) => {
    e.preventDefault();
    if (f.content.trim()) onSubmit(f.content, f.contact);
  };
  return html`<form class="leave" @submit=${submit}>
    <label class="field">${t.leaveMessageLabel}
      <textarea name="leave" rows="3" maxlength="2000" .value=${f.content} @input=${(e: Event) => onChange({ ...f, content: (e.target as HTMLTextAreaElement).value })}></textarea></label>
    <label class="field">${t.contactLabel}
      <input name="contact" maxlength="200" autocomplete="email" .value=${f.contact} @input=${(e: Event) => onChange({ ...f, contact: (e.target as HTMLInputElement).value })} /></label>
    <button class="primary" type="submit" ?disabled=${!f.content.trim()}>${t.leaveMessage}</button>
    ${f.failed ? html`<p class="hint" role="alert">${t.errors.generic}</p>` : nothing}
  </form>`;
}

export function evaluationForm(s: SessionState, t: Translation, a: Actions, draft: { score: number; comment: string }, onDraft: (d: { score: number; comment: string }) => void): TemplateResult | typeof nothing {
  if (!s.canEvaluate || !s.config) return nothing;
  const levels = s.config.satisfactionLevels;
  const ev = s.evaluation;
  const left = 511 - draft.comment.length;
  const submit = (e: Event) => {
    e.preventDefault();
    if (draft.score > 0) a.rate(draft.score, draft.comment);
  };
  return html`<form class="card rating" part="evaluation" @submit=${submit}>
    <fieldset>
      <legend>${ev.status === 'saved' ? t.rateAgain : t.rateTitle}</legend>
      <div class="stars" role="radiogroup" aria-label=${t.rateLabel}>
        ${levels.map(
          (l) => html`<label class="star ${Number(l.satisfactionLevelKey) <= draft.score ? 'on' : ''}" title=${l.satisfactionLevelDesc}>
            <input type="radio" name="score" .value=${l.satisfactionLevelKey} .checked=${Number(l.satisfactionLevelKey) === draft.score}
              @change=${() => onDraft({ ...draft, score: Number(l.satisfactionLevelKey) })} />
            <span aria-hidden="true">★</span><span class="sr">${l.satisfactionLevelKey} – ${l.satisfactionLevelDesc}</span>
          </label>`,
        )}
      </div>
      ${draft.score > 0 ? html`<p class="hint">${levels[draft.score - 1]?.satisfactionLevelDesc}</p>` : nothing}
      <label class="field">${t.commentLabel}
        <textarea maxlength="511" rows="2" .value=${draft.comment} @input=${(e: Event) => onDraft({ ...draft, comment: (e.target as HTMLTextAreaElement).value })}></textarea>
      </label>
      <span class="hint" aria-live="polite">${t.charsLeft(left)}</span>
      <button class="primary" type="submit" ?disabled=${draft.score === 0 || ev.status === 'saving'}>${t.submitRating}</button>
      <p class="hint" role="status">${ev.status === 'saved' ? t.ratingSaved : ev.status === 'failed' ? t.ratingFailed : ''}</p>
    </fieldset>
  </form>`;
}

function duration(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  return `${String(Math.floor(total / 60)).padStart(2, '0')}:${String(total % 60).padStart(2, '0')}`;
}

/** Click-to-dial: permission, calling, ringing, connected with its duration, ended with the cause. */
export function callCard(s: SessionState, t: Translation, hangUp: () => void, dismiss: () => void, now: number): TemplateResult | typeof nothing {
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
  return html`<section class="card call ${c.status}" part="call" aria-labelledby="call-title">
    <h2 id="call-title">${title}${c.agentName ? html` · ${c.agentName}` : nothing}</h2>
    <p role="status">${text}</p>
    ${c.status === 'ended'
      ? html`<button class="primary" @click=${dismiss}>${t.dismiss}</button>`
      : html`<button class="danger" @click=${hangUp}>${t.hangUp}</button>`}
  </section>`;
}
