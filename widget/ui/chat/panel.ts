/**
 * The chat panel: everything behind the launcher, loaded on first open or when the browser is
 * idle, so the script tag stays small. It owns the session runner and the panel's view state,
 * and renders into the `<cec-chat>` host's shadow root.
 */
import { html, nothing, svg, type ReactiveControllerHost } from 'lit';
import { defaultStorage } from '../../client/persistence.js';
import type { Authorization } from '../../client/channel-client.js';
import { SessionRunner } from '../../client/runner.js';
import { TEXT_MAX_BYTES } from '../../core/protocol.js';
import { callActive } from '../../core/call.js';
import { CHAT_PHASES, type SessionState } from '../../core/session.js';
import type { Translation } from '../i18n/index.js';
import { panelStyles } from './panel.styles.js';
import { callCard, endedCard, evaluationForm, idleBanner, leaveMessageForm, queueCard, transcriptItem, type Actions, type LeaveMessageDraft } from './views.js';

/** What the panel needs from `<cec-chat>`. */
export interface PanelHost extends ReactiveControllerHost, HTMLElement {
  readonly updateComplete: Promise<boolean>;
  channelId: string;
  baseUrl: string;
  userId: string;
  userName: string;
  authorization: Authorization | undefined;
  fetchImpl: typeof fetch | undefined;
  open: boolean;
  readonly t: Translation;
  readonly renderRoot: HTMLElement | DocumentFragment;
  /** A message arrived while the panel was closed. */
  addUnread(n: number): void;
  /** No sound for messages that arrive while the customer is not looking. */
  muted: boolean;
}

interface View {
  draft: string;
  /** Why the last picked or pasted file was refused. */
  fileError: 'type' | 'size' | null;
  rating: { score: number; comment: string };
  /** The rating form is open during an agent chat (it is always shown after one). */
  rateOpen: boolean;
  offHoursForm: LeaveMessageDraft;
}

const initialView = (): View => ({ draft: '', fileError: null, rating: { score: 0, comment: '' }, rateOpen: false, offHoursForm: { content: '', contact: '', sent: false } });

export class ChatPanel {
  session: SessionState | null = null;
  private runner: SessionRunner | null = null;
  /** What the customer is typing and choosing; re-rendered through the host. */
  private view: View = initialView();
  /** Sent through the API before the session could take them. */
  private pendingSends: string[] = [];
  private ticker: ReturnType<typeof setInterval> | undefined;
  private readonly onOnline = () => this.runner?.poke();
  private readonly onVisible = () => {
    if (document.visibilityState === 'visible') this.runner?.poke();
  };

  constructor(private readonly host: PanelHost) {
    const root = host.renderRoot as ShadowRoot;
    if (panelStyles.styleSheet && !root.adoptedStyleSheets.includes(panelStyles.styleSheet)) {
      root.adoptedStyleSheets = [...root.adoptedStyleSheets, panelStyles.styleSheet];
    }
    addEventListener('online', this.onOnline);
    document.addEventListener('visibilitychange', this.onVisible);
  }

  private set(patch: Partial<View>): void {
    this.view = { ...this.view, ...patch };
    this.host.requestUpdate();
  }

  /** Starts (or resumes) the session on first open. */
  start(): void {
    const h = this.host;
    if (this.runner || !h.channelId) return;
    this.runner = new SessionRunner({
      baseUrl: h.baseUrl || undefined,
      channelId: h.channelId,
      userId: h.userId || anonymousId(h.channelId),
      userName: h.userName || undefined,
      locale: h.t.$code,
      authorization: h.authorization,
      fetch: h.fetchImpl,
      storage: defaultStorage(),
      shareTabs: true,
      onEvent: (name, detail) => h.dispatchEvent(new CustomEvent(name, { detail, bubbles: true, composed: true })),
    });
    this.runner.subscribe((s) => this.onState(s));
    this.session = this.runner.state;
    this.runner.start();
  }

  /** Sends as the customer, as soon as the session can take it. */
  send(text: string): void {
    if (!text.trim()) return;
    this.pendingSends.push(text);
    this.start();
    this.flushSends();
  }

  destroy(): void {
    this.runner?.destroy();
    this.runner = null;
    this.session = null;
    this.stopTicker();
    removeEventListener('online', this.onOnline);
    document.removeEventListener('visibilitychange', this.onVisible);
  }

  /** After the host rendered: keep the newest message in view unless the reader scrolled up. */
  updated(): void {
    const log = this.host.renderRoot.querySelector('.transcript');
    if (!log) return;
    const nearEnd = log.scrollHeight - log.scrollTop - log.clientHeight < 120;
    if (nearEnd || this.session?.transcript.at(-1)?.author === 'customer') log.scrollTop = log.scrollHeight;
  }

  private onState(s: SessionState): void {
    const prev = this.session;
    const fresh = prev ? s.transcript.length - prev.transcript.length : 0;
    const incoming = fresh > 0 ? s.transcript.slice(-fresh).filter((m) => m.author === 'agent' || m.author === 'bot').length : 0;
    if (incoming && !this.host.open) this.host.addUnread(incoming);
    // One sound for all tabs: only the tab that polls plays it.
    if (incoming && !this.host.muted && this.runner?.leads && (!this.host.open || document.visibilityState === 'hidden')) chime();
    this.session = s;
    this.flushSends();
    if (s.idleDeadline !== null || s.call?.status === 'connected') this.ticker ??= setInterval(() => this.host.requestUpdate(), 1000);
    else this.stopTicker();
    this.host.requestUpdate();
  }

  private flushSends(): void {
    const s = this.session;
    if (!s || !CHAT_PHASES.includes(s.phase) || s.phase === 'offHours') return;
    for (const text of this.pendingSends.splice(0)) this.submit(text);
  }

  private stopTicker(): void {
    if (this.ticker) clearInterval(this.ticker);
    this.ticker = undefined;
  }

  private submit(text: string): void {
    const r = this.runner;
    if (!r || !text.trim()) return;
    r.dispatch({ type: 'message.submit', id: r.newId(), text, now: r.now(), name: this.host.userName || this.host.t.you });
  }

  private actions: Actions = {
    retry: (id) => this.runner?.dispatch({ type: 'message.retry', id }),
    fileUrl: (key) => this.runner?.client.fileUrl(key) ?? '',
    transfer: () => this.runner?.dispatch({ type: 'transfer.request' }),
    stillHere: () => {
      const r = this.runner;
      if (r) r.dispatch({ type: 'idle.stillHere', id: r.newId(), text: this.host.t.stillHereText, now: r.now(), name: this.host.userName || this.host.t.you });
    },
    newChat: () => {
      this.set({ ...initialView(), draft: this.view.draft });
      this.runner?.dispatch({ type: 'session.restart', now: this.runner.now() });
    },
    rate: (score, comment) => this.runner?.dispatch({ type: 'evaluation.submit', score, comment }),
    leaveMessage: (content, contact) => {
      this.runner?.client.leaveMessage(content, contact).then(
        () => this.set({ offHoursForm: { content: '', contact: '', sent: true } }),
        () => this.set({ offHoursForm: { ...this.view.offHoursForm, sent: false, failed: true } }),
      );
    },
  };

  private onKeydown = (e: KeyboardEvent): void => {
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      this.onSend();
    }
  };

  /**
   * How many of the latest messages are rendered. Long chats (a reload of a long conversation)
   * render a window and grow it as the reader scrolls up, so a 10,000-message transcript opens
   * as fast as a short one.
   */
  private shown = PAGE;

  private showEarlier = (): void => {
    const log = this.host.renderRoot.querySelector('.transcript');
    const fromBottom = log ? log.scrollHeight - log.scrollTop : 0;
    this.shown += PAGE;
    this.host.requestUpdate();
    // Keep the reader's place: the same message stays under their eyes.
    void this.host.updateComplete.then(() => {
      if (log) log.scrollTop = log.scrollHeight - fromBottom;
    });
  };

  private onScroll = (e: Event): void => {
    const log = e.target as HTMLElement;
    if (log.scrollTop < 40 && (this.session?.transcript.length ?? 0) > this.shown) this.showEarlier();
  };

  private typingSentAt = 0;

  /** Typing indicator for the agent: on at most every 3 s while typing, off when cleared. */
  private onInput = (e: Event): void => {
    const draft = (e.target as HTMLTextAreaElement).value;
    this.set({ draft });
    const now = Date.now();
    if (draft && now - this.typingSentAt > 3000) {
      this.typingSentAt = now;
      this.runner?.dispatch({ type: 'typing.changed', typing: true });
    } else if (!draft && this.typingSentAt) {
      this.typingSentAt = 0;
      this.runner?.dispatch({ type: 'typing.changed', typing: false });
    }
  };

  private onSend = (e?: Event): void => {
    e?.preventDefault();
    const text = this.view.draft;
    if (!text.trim() || tooLong(text)) return;
    this.typingSentAt = 0;
    this.set({ draft: '' });
    this.submit(text);
  };

  private attach(files: Iterable<File>): void {
    for (const file of files) {
      const refused = this.runner?.attach(file, this.host.userName || this.host.t.you) ?? null;
      this.set({ fileError: refused });
      if (refused) return;
    }
  }

  private onPick = (e: Event): void => {
    const input = e.target as HTMLInputElement;
    this.attach(Array.from(input.files ?? []));
    input.value = '';
  };

  /** Pasting a screenshot sends it as an image. */
  private onPaste = (e: ClipboardEvent): void => {
    const files = Array.from(e.clipboardData?.files ?? []);
    if (files.length === 0) return;
    e.preventDefault();
    this.attach(files);
  };

  private onPanelKeydown = (e: KeyboardEvent): void => {
    if (e.key === 'Escape') {
      e.stopPropagation();
      this.host.open = false;
    }
  };

  render(t: Translation) {
    const s = this.session;
    const h = this.host;
    const title = s?.agent ? t.withAgent(s.agent.name) : s?.config?.chatbot && s.phase === 'bot' ? t.withBot(s.config.chatbot.name) : t.title;
    const status = !s || s.phase === 'starting' ? t.connecting : s.connection === 'reconnecting' ? t.reconnecting : s.transferring ? t.transferring : t.online;
    const canWrite = !!s && CHAT_PHASES.includes(s.phase) && s.phase !== 'offHours';
    return html`<section class="panel" part="panel" role="dialog" aria-label=${t.title} @keydown=${this.onPanelKeydown}>
      <div class="header" part="header">
        ${avatar(s?.agent?.name ?? (s?.phase === 'bot' ? s.config?.chatbot?.name : undefined) ?? t.title, s?.phase === 'bot' ? s.config?.chatbot?.avatar : undefined)}
        <div class="who">
          <h1>${title}</h1>
          <p class="conn ${s?.connection ?? ''}" role="status">${status}</p>
        </div>
        ${s?.phase === 'agent' && !callActive(s.call) ? this.renderCallButtons(s, t) : nothing}
        ${canWrite ? html`<button class="text" @click=${() => this.runner?.dispatch({ type: 'session.end' })}>${t.endChat}</button>` : nothing}
        <button class="icon" @click=${() => (h.open = false)} aria-label=${t.minimise} title=${t.minimise}>–</button>
      </div>
      ${!h.channelId
        ? html`<p class="error" role="alert">${t.errors.start}</p>`
        : s?.phase === 'failed'
          ? html`<div class="error" role="alert"><p>${s.error?.startsWith('auth.') ? t.errors.auth : t.errors.start}</p>
              <button class="primary" @click=${() => this.runner?.start()}>${t.tryAgain}</button></div>`
          : nothing}
      <div class="transcript" part="transcript" role="log" aria-label=${t.transcriptLabel} aria-live="polite" tabindex="0" @scroll=${this.onScroll}>
        ${s && s.transcript.length > this.shown
          ? html`<button class="link earlier" @click=${this.showEarlier}>${t.earlier(s.transcript.length - this.shown)}</button>`
          : nothing}
        <ol class="items">
          ${s?.transcript.slice(-this.shown).map((m) => transcriptItem(m, s, t, this.actions, t.$code))}
        </ol>
      </div>
      <div class="cards">${s ? this.renderCards(s, t) : nothing}</div>
      ${s?.agentTyping && s.agent ? html`<p class="typing" aria-live="off">${t.typing(s.agent.name)}</p>` : nothing}
      ${canWrite ? this.renderComposer(s!, t) : nothing}
    </section>`;
  }

  private renderCallButtons(s: SessionState, t: Translation) {
    const media = s.config?.clickToDial?.media ?? [];
    const icon = (m: 'voice' | 'video') =>
      m === 'voice'
        ? svg`<path fill="currentColor" d="M6.6 10.8a15.1 15.1 0 0 0 6.6 6.6l2.2-2.2a1 1 0 0 1 1-.25 11.4 11.4 0 0 0 3.6.57 1 1 0 0 1 1 1V20a1 1 0 0 1-1 1A17 17 0 0 1 3 4a1 1 0 0 1 1-1h3.5a1 1 0 0 1 1 1c0 1.25.2 2.45.57 3.57a1 1 0 0 1-.25 1z"/>`
        : svg`<path fill="currentColor" d="M17 10.5V7a1 1 0 0 0-1-1H4a1 1 0 0 0-1 1v10a1 1 0 0 0 1 1h12a1 1 0 0 0 1-1v-3.5l4 4v-11z"/>`;
    return media.map(
      (m) => html`<button class="icon" aria-label=${m === 'voice' ? t.callVoice : t.callVideo} title=${m === 'voice' ? t.callVoice : t.callVideo}
        @click=${() => this.runner?.dispatch({ type: 'call.request', media: m })}><svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true">${icon(m)}</svg></button>`,
    );
  }

  private renderCards(s: SessionState, t: Translation) {
    return html`${callCard(s, t, () => this.runner?.dispatch({ type: 'call.hangUp' }), () => this.runner?.dispatch({ type: 'call.dismiss' }), Date.now())}
    ${this.renderOffHours(s, t)} ${queueCard(s, t)} ${idleBanner(s, t, this.actions, Date.now())}
    ${endedCard(s, t, this.actions, this.renderLeaveMessage(t))}
    ${s.phase === 'ended' || this.view.rateOpen ? evaluationForm(s, t, this.actions, this.view.rating, (rating) => this.set({ rating })) : nothing}`;
  }

  private renderComposer(s: SessionState, t: Translation) {
    return html`<form class="composer" part="composer" @submit=${this.onSend}>
      ${s.phase === 'bot'
        ? // aria-disabled, not disabled: a disabled button would drop the keyboard user's focus.
          html`<button type="button" class="chip" aria-disabled=${s.transferring ? 'true' : 'false'} @click=${() => s.transferring || this.actions.transfer()}>${t.transfer}</button>`
        : nothing}
      ${s.phase === 'agent'
        ? html`<button type="button" class="chip" aria-expanded=${this.view.rateOpen ? 'true' : 'false'} @click=${() => this.set({ rateOpen: !this.view.rateOpen })}>${t.rateTitle}</button>`
        : nothing}
      <div class="row">
        <textarea name="message" rows="1" aria-label=${t.messageLabel} placeholder=${t.messagePlaceholder}
          .value=${this.view.draft} @input=${this.onInput} @keydown=${this.onKeydown} @paste=${this.onPaste}></textarea>
        <label class="icon attach" title=${t.attach}>
          <input type="file" class="sr" aria-label=${t.attach} accept=${(s.config?.upload.types ?? []).join(',')} @change=${this.onPick} />
          <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true"><path fill="currentColor" d="M16.5 6.5v10a4.5 4.5 0 0 1-9 0V5a3 3 0 0 1 6 0v10.5a1.5 1.5 0 0 1-3 0V6.5H9v9a3 3 0 0 0 6 0V5a4.5 4.5 0 0 0-9 0v11.5a6 6 0 0 0 12 0v-10z"/></svg>
        </label>
        <button class="send" type="submit" aria-label=${t.send} ?disabled=${!this.view.draft.trim() || tooLong(this.view.draft)}>
          <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true"><path fill="currentColor" d="M3.4 20.4 21 12 3.4 3.6 3.4 10l12.6 2-12.6 2z"/></svg>
        </button>
      </div>
      ${tooLong(this.view.draft) ? html`<p class="hint over" role="alert">${t.tooLong(TEXT_MAX_BYTES)}</p>` : nothing}
      ${this.view.fileError
        ? html`<p class="hint over" role="alert">${this.view.fileError === 'type' ? t.fileType : t.fileTooLarge(Math.round((s.config?.upload.maxBytes ?? 0) / 1048576))}</p>`
        : nothing}
    </form>`;
  }

  private renderOffHours(s: SessionState, t: Translation) {
    if (s.phase !== 'offHours') return nothing;
    const notice = [...s.transcript].reverse().find((m) => m.event === 'offhours.notice');
    const next = notice?.data?.nextOpening;
    const when = next ? new Intl.DateTimeFormat(t.$code, { weekday: 'long', hour: '2-digit', minute: '2-digit' }).format(next) : null;
    return html`<section class="card" part="offhours" aria-labelledby="off-title">
      <h2 id="off-title">${t.offHoursTitle}</h2>
      ${when ? html`<p>${t.nextOpening(when)}</p>` : nothing}
      ${this.renderLeaveMessage(t)}
    </section>`;
  }

  /** Leave-a-message: outside work time, and after a queue released the customer. */
  private renderLeaveMessage(t: Translation) {
    return leaveMessageForm(t, this.view.offHoursForm, (offHoursForm) => this.set({ offHoursForm }), this.actions.leaveMessage);
  }
}

/** The bot's configured picture (http(s) or an inline image only), else the name's initials. */
function avatar(name: string, picture?: string) {
  const safe = picture && /^(https?:|data:image\/(png|jpeg|gif|webp);)/i.test(picture) ? picture : undefined;
  const initials = name.trim().split(/\s+/).slice(0, 2).map((w) => [...w][0]?.toUpperCase() ?? '').join('');
  return html`<span class="avatar" part="avatar" aria-hidden="true">${safe ? html`<img src=${safe} alt="" />` : initials}</span>`;
}

let audio: AudioContext | undefined;
/** A soft two-note chime (Web Audio: no file to load, nothing for the CSP to block). */
function chime(): void {
  try {
    audio ??= new AudioContext();
    const t = audio.currentTime;
    for (const [i, f] of [660, 880].entries()) {
      const osc = audio.createOscillator();
      const gain = audio.createGain();
      osc.frequency.value = f;
      gain.gain.setValueAtTime(0.0001, t + i * 0.12);
      gain.gain.exponentialRampToValueAtTime(0.08, t + i * 0.12 + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, t + i * 0.12 + 0.25);
      osc.connect(gain).connect(audio.destination);
      osc.start(t + i * 0.12);
      osc.stop(t + i * 0.12 + 0.3);
    }
  } catch {
    /* no audio (autoplay policy, old browser): the badge still counts */
  }
}

/** Messages rendered at first, and added each time the reader reaches the top. */
const PAGE = 150;

const encoder = new TextEncoder();
/** The channel takes at most 1 KB of text per message (a Chinese character is 3 bytes). */
const tooLong = (text: string) => text.length > TEXT_MAX_BYTES / 3 && encoder.encode(text).length > TEXT_MAX_BYTES;

const anonKey = (channelId: string) => `cec-chat:${channelId}:user`;

/** An anonymous customer id, kept per channel from the first open (never before). */
function anonymousId(channelId: string): string {
  const storage = defaultStorage();
  try {
    const stored = storage?.getItem(anonKey(channelId));
    if (stored) return stored;
  } catch {
    /* blocked */
  }
  const id = `anon-${Math.random().toString(36).slice(2, 10)}${Date.now().toString(36)}`;
  try {
    storage?.setItem(anonKey(channelId), id);
  } catch {
    /* storage blocked: a per-page id still works */
  }
  return id;
}
