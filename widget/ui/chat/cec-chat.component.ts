import { LitElement, html, nothing, svg, type PropertyValues } from 'lit';
import { CHAT_PHASES, type SessionState } from '../../core/session.js';
import type { Authorization } from '../../client/channel-client.js';
import { defaultStorage, tabStorage } from '../../client/persistence.js';
import { SessionRunner } from '../../client/runner.js';
import { translationFor, type Translation } from '../i18n/index.js';
import { styles } from './cec-chat.styles.js';
import { endedCard, evaluationForm, idleBanner, leaveMessageForm, queueCard, transcriptItem, type Actions, type LeaveMessageDraft } from './views.js';

/**
 * The customer chat widget: a launcher button and a chat panel that runs one customer session
 * against a web channel.
 *
 * @event cec-state-change - The session moved to another phase. `detail: {phase, previous}`
 * @event cec-message - A message from the bot, an agent or the system arrived. `detail: {author, text, seq}`
 * @event cec-queue-position - Position or wait estimate changed. `detail: {position, estimateWaitSeconds}`
 * @event cec-agent-joined - An agent took the chat. `detail: {agentName, employeeId?}`
 * @event cec-session-end - The session ended. `detail: {reason}`
 * @event cec-evaluation - A rating was saved. `detail: {score, comment}`
 * @event cec-open / cec-close - The panel opened or closed.
 *
 * @csspart launcher - The round button that opens the panel.
 * @csspart badge - The unread count on the launcher.
 * @csspart panel - The chat panel.
 * @csspart header - The panel's header.
 * @csspart transcript - The list of messages.
 * @csspart message, message-customer, message-agent, message-bot, bubble, status, system-message
 * @csspart composer - The message form.
 * @csspart queue, idle-warning, ended, evaluation, offhours - Per-state cards.
 *
 * @cssproperty --cec-accent - Brand colour of the launcher, header and customer bubbles.
 * @cssproperty --cec-accent-text - Text colour on the accent.
 * @cssproperty --cec-radius - Corner radius of the panel.
 * @cssproperty --cec-font - Font family.
 * @cssproperty --cec-offset-x / --cec-offset-y - Distance of the launcher from the corner.
 * @cssproperty --cec-z-index - Stacking order over the host page.
 */
export class CecChatElement extends LitElement {
  static override styles = styles;
  /** Declared without decorators: no helper code in the bundle. */
  static override properties = {
    channelId: { attribute: 'channel-id' },
    baseUrl: { attribute: 'base-url' },
    userId: { attribute: 'user-id' },
    userName: { attribute: 'user-name' },
    locale: {},
    position: { reflect: true },
    open: { type: Boolean, reflect: true },
    authorization: { attribute: false },
    fetchImpl: { attribute: false },
    session: { state: true },
    unread: { state: true },
    draft: { state: true },
    rating: { state: true },
    rateOpen: { state: true },
    offHoursForm: { state: true },
    tick: { state: true },
  };

  /** The web channel's id (required). */
  channelId = '';
  /** Origin of the contact center; default: this page's origin. */
  baseUrl = '';
  /** The customer's id; an anonymous one is kept in localStorage from the first open when unset. */
  userId = '';
  userName = '';
  /** `en`, `zh-CN`, …; default: the page's language. */
  locale = '';
  /** Which corner the launcher sits in. */
  position: 'right' | 'left' = 'right';
  /** Whether the panel is open. */
  open = false;
  /** The integrator's signature, or a function returning a fresh one (property only). */
  authorization: Authorization | undefined;
  /** Overrides fetch (tests, custom transports). */
  fetchImpl: typeof fetch | undefined;

  private session: SessionState | null = null;
  private unread = 0;
  private draft = '';
  private rating = { score: 0, comment: '' };
  /** The rating form is open during an agent chat (it is always shown after one). */
  private rateOpen = false;
  private offHoursForm: LeaveMessageDraft = { content: '', contact: '', sent: false };
  /** Re-renders the idle countdown every second. */
  protected tick = 0;

  private get input(): HTMLTextAreaElement | null {
    return this.renderRoot.querySelector('textarea[name="message"]');
  }
  private get launcher(): HTMLButtonElement | null {
    return this.renderRoot.querySelector('button.launcher');
  }

  private runner: SessionRunner | null = null;
  private ticker: ReturnType<typeof setInterval> | undefined;
  private readonly onOnline = () => this.runner?.poke();
  private readonly onVisible = () => {
    if (document.visibilityState === 'visible') this.runner?.poke();
  };

  get t(): Translation {
    return translationFor(this.locale || document.documentElement.lang || navigator.language);
  }

  /** The current session state (read-only), or null before the first open. */
  get sessionState(): SessionState | null {
    return this.session;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // After a reload, reopen a chat this tab had open (reads only; nothing is written here).
    if (this.channelId && tabStorage()?.getItem(openKey(this.channelId)) === '1') this.open = true;
    addEventListener('online', this.onOnline);
    document.addEventListener('visibilitychange', this.onVisible);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    removeEventListener('online', this.onOnline);
    document.removeEventListener('visibilitychange', this.onVisible);
    this.stopTicker();
  }

  /** Ends the session's background work and forgets it (`CecChat.destroy()`). */
  destroy(): void {
    this.runner?.destroy();
    this.runner = null;
    this.session = null;
  }

  show(): void {
    this.open = true;
  }

  hide(): void {
    this.open = false;
  }

  toggle(): void {
    this.open = !this.open;
  }

  /** Sends a message as the customer (opens the panel and starts the session if needed). */
  send(text: string): void {
    this.open = true;
    this.ensureRunner();
    this.submit(text);
  }

  protected override willUpdate(changed: PropertyValues): void {
    if (changed.has('open') && this.open) {
      this.unread = 0;
      this.ensureRunner();
    }
  }

  protected override updated(changed: PropertyValues): void {
    if (changed.has('open') && this.runner) {
      try {
        tabStorage()?.setItem(openKey(this.channelId), this.open ? '1' : '0');
      } catch {
        /* blocked: the panel simply starts closed after a reload */
      }
    }
    if (changed.has('open') && changed.get('open') !== undefined) {
      this.dispatchEvent(new CustomEvent(this.open ? 'cec-open' : 'cec-close', { bubbles: true, composed: true }));
      if (this.open) this.input?.focus();
      else this.launcher?.focus();
    }
    if (changed.has('session')) this.scrollToEnd();
  }

  private ensureRunner(): void {
    if (this.runner) return;
    if (!this.channelId) {
      this.session = null;
      return;
    }
    this.runner = new SessionRunner({
      baseUrl: this.baseUrl || undefined,
      channelId: this.channelId,
      userId: this.userId || anonymousId(this.channelId),
      userName: this.userName || undefined,
      locale: this.t.$code,
      authorization: this.authorization,
      fetch: this.fetchImpl,
      storage: defaultStorage(),
      shareTabs: true,
      onEvent: (name, detail) => this.dispatchEvent(new CustomEvent(name, { detail, bubbles: true, composed: true })),
    });
    this.runner.subscribe((s) => this.onState(s));
    this.session = this.runner.state;
    this.runner.start();
  }

  private onState(s: SessionState): void {
    const prev = this.session;
    if (!this.open && prev) {
      const fresh = s.transcript.length - prev.transcript.length;
      const incoming = s.transcript.slice(-Math.max(0, fresh)).filter((m) => m.author !== 'customer').length;
      if (fresh > 0) this.unread += incoming;
    }
    this.session = s;
    if (s.idleDeadline !== null) this.startTicker();
    else this.stopTicker();
  }

  private startTicker(): void {
    this.ticker ??= setInterval(() => this.tick++, 1000);
  }

  private stopTicker(): void {
    if (this.ticker) clearInterval(this.ticker);
    this.ticker = undefined;
  }

  private scrollToEnd(): void {
    const log = this.renderRoot.querySelector('.transcript');
    if (!log) return;
    const nearEnd = log.scrollHeight - log.scrollTop - log.clientHeight < 120;
    if (nearEnd || this.session?.transcript.at(-1)?.author === 'customer') log.scrollTop = log.scrollHeight;
  }

  private submit(text: string): void {
    if (!this.runner || !text.trim()) return;
    this.runner.dispatch({ type: 'message.submit', id: this.runner.newId(), text, now: this.runner.now(), name: this.userName || this.t.you });
  }

  private actions: Actions = {
    retry: (id) => this.runner?.dispatch({ type: 'message.retry', id }),
    transfer: () => this.runner?.dispatch({ type: 'transfer.request' }),
    stillHere: () =>
      this.runner?.dispatch({ type: 'idle.stillHere', id: this.runner.newId(), text: this.t.stillHereText, now: this.runner.now(), name: this.userName || this.t.you }),
    newChat: () => {
      this.rating = { score: 0, comment: '' };
      this.offHoursForm = { content: '', contact: '', sent: false };
      this.rateOpen = false;
      this.runner?.dispatch({ type: 'session.restart', now: this.runner.now() });
    },
    rate: (score, comment) => this.runner?.dispatch({ type: 'evaluation.submit', score, comment }),
    leaveMessage: (content, contact) => {
      this.runner?.client.leaveMessage(content, contact).then(
        () => (this.offHoursForm = { content: '', contact: '', sent: true }),
        () => (this.offHoursForm = { ...this.offHoursForm, sent: false, failed: true }),
      );
    },
  };

  private onKeydown(e: KeyboardEvent): void {
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      this.onSend();
    }
  }

  private onSend(e?: Event): void {
    e?.preventDefault();
    const text = this.draft;
    if (!text.trim()) return;
    this.draft = '';
    this.submit(text);
  }

  private onPanelKeydown(e: KeyboardEvent): void {
    if (e.key === 'Escape') {
      e.stopPropagation();
      this.open = false;
    }
  }

  private endChat(): void {
    this.runner?.dispatch({ type: 'session.end' });
  }

  protected override render() {
    const t = this.t;
    return html`<div class="root" dir=${t.$dir} lang=${t.$code}>
      ${this.open ? this.renderPanel(t) : nothing}
      <button class="launcher" part="launcher" aria-expanded=${this.open ? 'true' : 'false'}
        aria-label=${this.open ? t.closeChat : this.unread ? `${t.openChat} (${t.unread(this.unread)})` : t.openChat}
        @click=${() => this.toggle()}>
        <svg viewBox="0 0 24 24" aria-hidden="true" width="28" height="28">
          ${this.open
            ? svg`<path fill="currentColor" d="M18.3 5.7a1 1 0 0 0-1.4 0L12 10.6 7.1 5.7a1 1 0 1 0-1.4 1.4l4.9 4.9-4.9 4.9a1 1 0 1 0 1.4 1.4l4.9-4.9 4.9 4.9a1 1 0 0 0 1.4-1.4L13.4 12l4.9-4.9a1 1 0 0 0 0-1.4z"/>`
            : svg`<path fill="currentColor" d="M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H8l-4 4V6a2 2 0 0 1 2-2z"/>`}
        </svg>
        ${this.unread && !this.open ? html`<span class="badge" part="badge" aria-hidden="true">${this.unread > 99 ? '99+' : this.unread}</span>` : nothing}
      </button>
    </div>`;
  }

  private renderPanel(t: Translation) {
    const s = this.session;
    const locale = t.$code;
    const title = s?.agent ? t.withAgent(s.agent.name) : s?.config?.chatbot && s.phase === 'bot' ? t.withBot(s.config.chatbot.name) : t.title;
    const status = !s || s.phase === 'starting' ? t.connecting : s.connection === 'reconnecting' ? t.reconnecting : s.transferring ? t.transferring : t.online;
    const canWrite = !!s && CHAT_PHASES.includes(s.phase);
    const now = Date.now();
    return html`<section class="panel" part="panel" role="dialog" aria-label=${t.title} @keydown=${this.onPanelKeydown}>
      <header part="header">
        <div class="who">
          <h1>${title}</h1>
          <p class="conn ${s?.connection ?? ''}" role="status">${status}</p>
        </div>
        ${canWrite && s?.phase !== 'offHours' ? html`<button class="text" @click=${this.endChat}>${t.endChat}</button>` : nothing}
        <button class="icon" @click=${() => (this.open = false)} aria-label=${t.minimise} title=${t.minimise}>–</button>
      </header>
      ${!this.channelId
        ? html`<p class="error" role="alert">${t.errors.start}</p>`
        : s?.phase === 'failed'
          ? html`<div class="error" role="alert"><p>${s.error?.startsWith('auth.') ? t.errors.auth : t.errors.start}</p>
              <button class="primary" @click=${() => this.runner?.start()}>${t.tryAgain}</button></div>`
          : nothing}
      <div class="transcript" part="transcript" role="log" aria-label=${t.transcriptLabel} aria-live="polite" tabindex="0">
        <ol class="items">
          ${s?.transcript.map((m) => transcriptItem(m, s, t, this.actions, locale))}
        </ol>
      </div>
      <div class="cards">
        ${s ? this.renderOffHours(s, t) : nothing}
        ${s ? queueCard(s, t) : nothing}
        ${s ? idleBanner(s, t, this.actions, now) : nothing}
        ${s ? endedCard(s, t, this.actions, this.renderLeaveMessage(t)) : nothing}
        ${s && (s.phase === 'ended' || this.rateOpen) ? evaluationForm(s, t, this.actions, this.rating, (d) => (this.rating = d)) : nothing}
      </div>
      ${s?.agentTyping && s.agent ? html`<p class="typing" aria-live="off">${t.typing(s.agent.name)}</p>` : nothing}
      ${canWrite && s?.phase !== 'offHours'
        ? html`<form class="composer" part="composer" @submit=${this.onSend}>
            ${s?.phase === 'bot' ? html`<button type="button" class="chip" ?disabled=${s.transferring} @click=${this.actions.transfer}>${t.transfer}</button>` : nothing}
            ${s?.phase === 'agent' ? html`<button type="button" class="chip" aria-expanded=${this.rateOpen ? 'true' : 'false'} @click=${() => (this.rateOpen = !this.rateOpen)}>${t.rateTitle}</button>` : nothing}
            <div class="row">
              <textarea name="message" rows="1" aria-label=${t.messageLabel} placeholder=${t.messagePlaceholder} maxlength="1024"
                .value=${this.draft} @input=${(e: Event) => (this.draft = (e.target as HTMLTextAreaElement).value)} @keydown=${this.onKeydown}></textarea>
              <button class="send" type="submit" aria-label=${t.send} ?disabled=${!this.draft.trim()}>
                <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true"><path fill="currentColor" d="M3.4 20.4 21 12 3.4 3.6 3.4 10l12.6 2-12.6 2z"/></svg>
              </button>
            </div>
          </form>`
        : nothing}
    </section>`;
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
    return leaveMessageForm(t, this.offHoursForm, (f) => (this.offHoursForm = f), this.actions.leaveMessage);
  }
}

const anonKey = (channelId: string) => `cec-chat:${channelId}:user`;
const openKey = (channelId: string) => `cec-chat:${channelId}:open`;

function storedAnonymousId(channelId: string): string | null {
  try {
    return defaultStorage()?.getItem(anonKey(channelId)) ?? null;
  } catch {
    return null;
  }
}

/** An anonymous customer id, kept per channel from the first open (never before). */
function anonymousId(channelId: string): string {
  const stored = storedAnonymousId(channelId);
  if (stored) return stored;
  const id = `anon-${Math.random().toString(36).slice(2, 10)}${Date.now().toString(36)}`;
  try {
    defaultStorage()?.setItem(anonKey(channelId), id);
  } catch {
    /* storage blocked: a per-page id still works */
  }
  return id;
}
