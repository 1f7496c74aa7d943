import { adoptStyles, type CSSResult, LitElement, html, nothing, render, svg, type PropertyValues } from 'lit';
import type { Clock } from '../../core/clock.js';
import type { HostEventName } from '../../core/host-events.js';
import type { Authorization } from '../../core/protocol.js';
import type { SessionState } from '../../core/session.js';
import { storageKeys } from '../../core/storage-keys.js';
import { directionOf } from '../i18n/direction.js';
import { launcherLabels } from '../i18n/launcher.js';
import { loadFailedWords, shellLabels } from '../i18n/shell.js';
import { loadTranslation, translationFor, translationPending, type Translation } from '../i18n/index.js';
import { styles } from './cec-chat.styles.js';
import { dismisses } from './keys.js';
import type { ChatPanel } from './panel.js';

/** The launcher's icons: constant templates, so the chat icon's can be prepared on its own (see scheduleUpdate). */
const chatIcon = svg`<path fill="currentColor" d="M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H8l-4 4V6a2 2 0 0 1 2-2z"/>`;
const closeIcon = svg`<path d="M6 6l12 12M18 6 6 18" stroke="currentColor" stroke-width="2" stroke-linecap="round"/>`;

/**
 * Whether this browser keeps a chat of this channel (keys of widget/core/storage-keys.ts, as
 * widget/client/persistence.ts writes them): with `anyTab` false, whether this tab had its
 * panel open; with `anyTab` true, whether a customer's session record is kept (any tab).
 */
function chatKept(channelId: string, anyTab: boolean): boolean {
  try {
    if (!anyTab) return !!sessionStorage.getItem(storageKeys.open(channelId));
    const prefix = storageKeys.sessionPrefix(channelId);
    for (let i = 0; i < localStorage.length; i++) if (localStorage.key(i)?.startsWith(prefix)) return true;
  } catch {
    /* storage blocked: nothing to resume */
  }
  return false;
}

/** The properties that say whose session it is: a change to any of them starts another one. */
const IDENTITY = ['userId', 'channelId', 'baseUrl'] as const;

/**
 * The customer chat widget: a launcher button and a chat panel that runs one customer session
 * against a web channel. Its `cec-*` events are listed in widget/core/host-events.ts (and in
 * custom-elements.json, generated from there).
 *
 * @tagname cec-chat
 *
 * @csspart launcher - The round button that opens the panel.
 * @csspart badge - The unread count on the launcher.
 * @csspart panel - The chat panel.
 * @csspart header - The panel's header.
 * @csspart avatar - The picture or initials of the bot or agent in the header.
 * @csspart transcript - The list of messages.
 * @csspart message - Every message of the transcript.
 * @csspart message-customer - A message of the customer.
 * @csspart message-agent - A message of an agent.
 * @csspart message-bot - A message of the chatbot.
 * @csspart bubble - The bubble around a message's text.
 * @csspart status - The delivery status under a customer's message.
 * @csspart system-message - A notice of the contact center (queued, joined, ended).
 * @csspart composer - The message form.
 * @csspart queue - The card shown while queueing.
 * @csspart idle-warning - The "are you still there?" banner.
 * @csspart ended - The card shown after the chat ended.
 * @csspart evaluation - The rating form.
 * @csspart offhours - The card shown outside work time.
 * @csspart call - The card of a click-to-dial call.
 *
 * @cssprop --cec-accent - Brand colour of the launcher, header and customer bubbles.
 * @cssprop --cec-accent-text - Text colour on the accent.
 * @cssprop --cec-bg - Background of the panel.
 * @cssprop --cec-fg - Text colour.
 * @cssprop --cec-muted - Secondary text (times, hints).
 * @cssprop --cec-surface - Background of other people's bubbles and of cards.
 * @cssprop --cec-border - Borders and separators.
 * @cssprop --cec-danger - Errors and failed messages.
 * @cssprop --cec-radius - Corner radius of the panel.
 * @cssprop --cec-font - Font family.
 * @cssprop --cec-offset-x - Horizontal distance of the launcher from the corner.
 * @cssprop --cec-offset-y - Vertical distance of the launcher from the corner.
 * @cssprop --cec-z-index - Stacking order over the host page.
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
    theme: { reflect: true },
    open: { type: Boolean, reflect: true },
    muted: { type: Boolean },
    authorization: { attribute: false },
    fetchImpl: { attribute: false },
    clock: { attribute: false },
    unread: { state: true },
    panel: { state: true },
    failed: { state: true },
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
  /** `auto` follows the system's light or dark preference; `light` or `dark` forces one. */
  theme: 'auto' | 'light' | 'dark' = 'auto';
  /** Whether the panel is open. */
  open = false;
  /** No chime for messages that arrive while the panel is closed or the tab is hidden. */
  muted = false;
  /** The integrator's signature, or a function returning a fresh one (property only). */
  authorization: Authorization | undefined;
  /** Overrides fetch (tests, custom transports). */
  fetchImpl: typeof globalThis.fetch | undefined;
  /** Replaces parts of the clock (`now`, `setTimeout`, `clearTimeout`): tests run countdowns in ms. */
  clock: Partial<Clock> | undefined;

  protected unread = 0;
  /** The panel's code arrives on intent, on first open, or when idle if a chat is going. */
  protected panel: ChatPanel | null = null;
  private loading: Promise<void> | null = null;
  /** The panel's code could not load: the early frame says so and offers to try again. */
  protected failed = false;
  /** Sent while the panel's code could not load: sent once it has. */
  private unsent: string[] = [];
  private focusInput = false;

  private get localeTag(): string {
    return this.locale || document.documentElement.lang || navigator.language;
  }

  get t(): Translation {
    return translationFor(this.localeTag);
  }

  /** The current session state (read-only), or null before the first open. */
  get sessionState(): SessionState | null {
    return this.panel?.session ?? null;
  }

  /**
   * Every timer of the element, on its clock (see `clock`; the system's by default): `fn` after
   * `ms` (default 0) milliseconds, in a task of its own.
   */
  private timer(fn: () => void, ms = 0): void {
    (this.clock?.setTimeout ?? setTimeout)(fn, ms);
  }

  /** The script tag's early launcher is still shown, with its own styles (see createRenderRoot). */
  private earlyLauncher = false;

  /**
   * Takes over the shadow root of the script tag's early launcher, if there is one: the early
   * button stays, with its own styles, until the first render replaces it (see update), so the
   * launcher never blinks out while the element upgrades.
   */
  protected override createRenderRoot(): HTMLElement | DocumentFragment {
    if (!this.shadowRoot?.firstChild) return super.createRenderRoot();
    this.earlyLauncher = true;
    return this.shadowRoot;
  }

  /**
   * Behind the script tag's early launcher, the first render waits for a task of its own:
   * evaluating the widget's module, the element's upgrade and its first render never add up to
   * one long task (issue 18: none at load at 4x CPU). Elsewhere the first render is as Lit's.
   */
  protected override async scheduleUpdate(): Promise<unknown> {
    if (this.earlyLauncher && !this.hasUpdated) {
      const task = () => new Promise<void>((r) => this.timer(r));
      await task();
      // The styles are parsed in a task of their own (Lit keeps the sheet); the render's own code
      // runs in the next (its first run compiles it and reads the language), the templates are
      // prepared in the two after (drawn once into a fragment that is dropped), then the first
      // render: at 4x CPU these were one task of up to 100 ms.
      for (const s of (this.constructor as typeof LitElement).elementStyles) (s as CSSResult).styleSheet;
      await task();
      const result = this.render();
      await task();
      // Lit's first template (its own code's first run, small parsing), then the launcher's.
      render(chatIcon, document.createDocumentFragment());
      await task();
      render(result, document.createDocumentFragment());
      await task();
    }
    return super.scheduleUpdate();
  }

  protected override update(changed: PropertyValues): void {
    if (this.earlyLauncher) {
      this.earlyLauncher = false;
      const root = this.shadowRoot!;
      root.replaceChildren();
      adoptStyles(root, (this.constructor as typeof LitElement).elementStyles);
    }
    super.update(changed);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // Put back on the page open (moved while its panel's code loaded): the panel comes now.
    if (this.open && !this.panel) void this.loadPanel();
    // A chat this browser has going (its record, or a panel this tab had open before a reload):
    // the panel's controller resumes it, counts its unread messages and reopens the panel, so its
    // code comes when the browser is idle. Otherwise it comes on intent (see intent) or on open.
    // Storage is first read then too, each storage in an idle callback of its own: the first
    // read of each is slow (about 10 ms at 4x CPU).
    const idle = (globalThis as { requestIdleCallback?: (fn: () => void, o?: { timeout: number }) => void }).requestIdleCallback;
    const later = (fn: () => void) => (idle ? idle(fn, { timeout: 4000 }) : this.timer(fn, 2000));
    const resume = (anyTab: boolean) => () => {
      if (!this.isConnected || this.loading) return;
      if (chatKept(this.channelId, anyTab)) void this.loadPanel();
      else if (!anyTab) later(resume(true));
    };
    later(resume(false));
  }

  /**
   * The launcher's click: the panel's first frame is drawn and its box focused before the click
   * returns (an update now, not in a microtask after the host page's other listeners), as a
   * hand-written panel does (issue 18: click → box usable).
   */
  private onLauncherClick = (): void => {
    this.toggle();
    if (this.open) {
      this.early = 'click';
      this.performUpdate();
    }
  };

  /**
   * The pointer or the keyboard reached the launcher: a click is likely. The panel's code is
   * fetched now, and its first frame is drawn once out of sight (see warm).
   */
  private intent = (): void => {
    void this.loadPanel();
    this.warm(true);
  };

  /** The early frame was drawn once (see warm). */
  private warmed = false;

  /**
   * Draws the panel's first frame (renderDialog) once, laid out and dropped in the same task, so
   * never painted nor seen by assistive technology: the browser's first text box, the frame's
   * styles and fonts, its template and its code are ready before the click, which then costs
   * what a hand-written panel's does (issue 18; in Chromium at 4x CPU a first frame drawn cold
   * takes about 25 ms of style and layout, a warm one under 1 ms). On intent (`now`) all at
   * once; after the first render in three tasks: the template, then the styles, then the layout
   * (the frame is put in and taken out in each, so it is never there between tasks).
   */
  private warm(now: boolean): void {
    if (this.warmed || this.open || !this.isConnected) return;
    this.warmed = true;
    const frame = document.createElement('div');
    frame.className = 'root';
    frame.setAttribute('aria-hidden', 'true');
    frame.inert = true;
    frame.style.visibility = 'hidden';
    frame.style.pointerEvents = 'none';
    const pending = translationPending(this.localeTag);
    frame.dir = pending ? directionOf(this.localeTag) : this.t.$dir;
    render(this.renderDialog(this.t, pending, true), frame);
    const box = frame.querySelector('textarea')!;
    const step = (layout?: boolean) => {
      if (this.open || !this.isConnected) return;
      this.renderRoot.append(frame);
      if (layout) box.getBoundingClientRect();
      else getComputedStyle(box).color;
      frame.remove();
    };
    if (now) return step(true);
    this.timer(() => {
      step();
      this.timer(() => step(true));
    });
  }

  /**
   * No pointer or keyboard may come before the panel opens (a programmatic open, a touch, a
   * screen reader's activation): the early frame is warmed after the first render anyway, in
   * tasks of its own (see warm), none of them long. No code is fetched for it.
   */
  protected override firstUpdated(): void {
    this.timer(() => this.warm(false));
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    // The element left the page (navigation, a framework unmount): stop working, but keep what
    // is stored, so a reload or a remount resumes the chat.
    this.stop();
  }

  /** Ends the session's background work in this page (polling, timers, tab leadership). */
  private stop(): void {
    this.panel?.destroy();
    this.panel = null;
    this.loading = null;
  }

  /**
   * Removes the widget's traces (issue 13, "nothing left behind after destroy()"): ends the
   * session's background work in this page and deletes everything the widget stored in this
   * browser, as logout() does. Resolves once storage is clean. To stop the widget but let a
   * reload resume the chat, remove the element from the page instead.
   */
  async destroy(): Promise<void> {
    await this.logout();
  }

  /**
   * Logs the customer out (`CecChat('logout')`): closes the panel, ends the session's work in
   * this page and removes everything the widget stored in this browser (anonymous id,
   * unsent messages, resume keys, drafts, panel state). The next open starts a new chat as a
   * new visitor. Resolves once storage is clean.
   */
  async logout(): Promise<void> {
    this.open = false;
    this.unread = 0;
    const panel = this.panel;
    this.panel = null;
    this.loading = null;
    if (panel) panel.logout();
    else (await import('./panel.js')).forgetStoredState();
  }

  /**
   * Opens the panel (`CecChat('open')`, `CecChat('init', {open: true})`). Opened so by the page
   * (no click waits for its box), the session's start-up requests go out in this very update,
   * not after the early frame is painted: a frame and a task sooner on the way to the
   * transcript (issue 18: a long transcript shows within 200 ms of opening). The panel's
   * render still waits for that frame (see updated and `early`).
   */
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
    void this.loadPanel().then(() => (this.panel ? this.panel.send(text) : this.unsent.push(text)));
  }

  /** How many messages the customer has not seen (set by the session's controller; shown on the launcher). */
  setUnread(n: number): void {
    this.unread = n;
  }

  /** The panel's code and the customer's language, together: the panel never shows in another language. */
  private loadPanel(): Promise<void> {
    if (this.loading) return this.loading;
    this.failed = false;
    this.loading = Promise.all([import('./panel.js'), loadTranslation(this.localeTag)]).then(
      ([m]) => {
        // Removed from the page while the code loaded: no session starts, nothing is stored.
        if (!this.isConnected) return void (this.loading = null);
        this.panel ??= new m.ChatPanel(this);
        for (const text of this.unsent.splice(0)) this.panel.send(text);
        this.requestUpdate();
      },
      (e: unknown) => {
        // Offline, or a new release replaced the files: the next attempt fetches it again.
        console.error('CecChat: the chat panel could not load.', e);
        this.loading = null;
        this.failed = true;
      },
    );
    return this.loading;
  }

  /** "Try again" after the panel's code could not load. */
  private retryLoad = (): void => {
    void this.loadPanel();
    this.renderRoot.querySelector<HTMLElement>('.early textarea')?.focus();
  };

  /** Focus was inside the widget before this render (see updated()). */
  private focusWasInside = false;
  /**
   * The first frame after opening is the early one (renderDialog) even when the panel's code is
   * here; the panel takes over in a task after that frame (see updated). Set to the open's cause
   * until then: after the customer's `click` on the launcher the session's start waits for that
   * task too (the click only draws and focuses the box, so the box is usable as fast as a
   * hand-written one); opened by the `page` (show(), the `open` property or attribute, send(),
   * a panel reopened after a reload) the session starts in the opening update (see willUpdate).
   */
  private early: false | 'click' | 'page' = false;
  /** The early box's caret and focus, carried into the panel's box when it replaces it (see willUpdate). */
  private carry: { start: number; end: number; focused: boolean } | null = null;

  protected override willUpdate(changed: PropertyValues): void {
    this.focusWasInside = !!(this.renderRoot as ShadowRoot).activeElement;
    // Another customer, channel or server than the running session's (a page that calls
    // CecChat('init', {userId}) after a reload reopened the panel as an anonymous visitor): that
    // session stops here (what it stored stays its own) and one starts for the new identity, so
    // nobody writes into, or reads, another customer's chat.
    if (this.panel && IDENTITY.some((k) => changed.has(k) && changed.get(k) !== undefined)) {
      this.stop();
      if (this.open) void this.loadPanel();
    }
    // The panel takes over the early frame (see renderDialog): what was typed there, its caret and
    // its focus go over to the panel's box.
    const early = this.renderRoot.querySelector<HTMLTextAreaElement>('.early textarea');
    if (early && this.panel && !this.early && !translationPending(this.localeTag)) {
      if (early.value) this.panel.adoptDraft(early.value);
      this.carry = { start: early.selectionStart, end: early.selectionEnd, focused: (this.renderRoot as ShadowRoot).activeElement === early };
    }
    if (changed.has('locale') && translationPending(this.localeTag)) void loadTranslation(this.localeTag).then(() => this.requestUpdate());
    if (changed.has('open') && this.open) {
      this.unread = 0;
      this.focusInput = true;
      this.early ||= 'page';
      if (!this.panel) void this.loadPanel();
    }
    // The session starts in the customer's language (the bot greets in it), never before it loaded;
    // after a click once its early frame is painted, when opened by the page at once (see early).
    if (this.open && this.panel && this.early !== 'click' && !translationPending(this.localeTag)) this.panel.start();
  }

  protected override updated(changed: PropertyValues): void {
    // The box is focused first, before anything else of this update (the host page's listeners
    // of cec-open included): the customer can type as soon as it is there.
    // A control that had focus went away (e.g. "Talk to an agent" once queued): keep the user
    // in the chat instead of dropping focus to the page.
    if (this.open && this.focusWasInside && !(this.renderRoot as ShadowRoot).activeElement) this.focusInput = true;
    const input = this.renderRoot.querySelector<HTMLTextAreaElement>('textarea[name="message"]');
    if (this.open && this.focusInput && input) {
      input.focus();
      this.focusInput = false;
    }
    if (changed.has('open') && changed.get('open') !== undefined) {
      const name: HostEventName = this.open ? 'cec-open' : 'cec-close';
      this.dispatchEvent(new CustomEvent(name, { bubbles: true, composed: true }));
      if (!this.open) this.renderRoot.querySelector<HTMLElement>('button.launcher')?.focus();
    }
    if (this.carry && input && !input.closest('.early')) {
      if (this.carry.focused) input.focus();
      input.setSelectionRange(this.carry.start, this.carry.end);
      this.carry = null;
    }
    this.panel?.updated();
    if (this.early && changed.has('open')) {
      // After the early frame is painted (a frame, then a task), or soon in a tab that paints none.
      let done = false;
      const next = () => {
        if (done) return;
        done = true;
        this.early = false;
        this.requestUpdate();
      };
      requestAnimationFrame(() => this.timer(next));
      this.timer(next, 100);
    }
  }

  /**
   * Enter in the early box sends (Shift+Enter is a new line); the text is sent once the session
   * is ready. Escape closes, as in the panel (not the one that cancels a composition: dismisses).
   */
  private onEarlyKeydown = (e: KeyboardEvent): void => {
    const box = e.target as HTMLTextAreaElement;
    if (dismisses(e)) this.hide();
    if (e.key !== 'Enter' || e.shiftKey || e.isComposing || box.localName !== 'textarea') return;
    e.preventDefault();
    if (box.value.trim()) this.send(box.value);
    box.value = '';
  };

  /**
   * The panel's dialog. Its first frame (`early`) is drawn on the click that opens it, before its
   * code, the customer's language or the session arrive (issue 18: the box is usable at once,
   * whatever the network): a labelled dialog with its title, a close button and the message box.
   * The panel then fills the same dialog element (see ChatPanel.render), keeping the typed text,
   * the caret and the focus, so a screen reader announces the dialog once; a message sent from
   * the early box waits for the session. In a language still loading, its words come from the
   * bundled labels (i18n/shell.ts), else English names it for screen readers and nothing is
   * written on it.
   */
  private renderDialog(t: Translation, pending: boolean, early: boolean) {
    const words = pending ? shellLabels(this.localeTag) : [t.messageLabel, t.title];
    const [message, title] = words ?? [t.messageLabel, t.title];
    const close = pending ? (launcherLabels(this.localeTag)?.[1] ?? t.minimise) : t.minimise;
    return html`<section class="panel ${early ? 'early' : ''}" part="panel" role="dialog" aria-label=${title} @keydown=${early ? this.onEarlyKeydown : this.panel!.onDialogKeydown}>${
      early
        ? html`<div class="header" part="header">
        <h1>${words ? title : ''}</h1>
        <button class="icon" @click=${() => this.hide()} aria-label=${close} title=${close}>–</button>
      </div>
      <div class="transcript" part="transcript" role="log" aria-label=${title} aria-busy=${this.failed ? 'false' : 'true'}>${this.failed ? this.renderFailed() : nothing}</div>
      <form class="composer" part="composer" @submit=${(e: Event) => e.preventDefault()}>
        <div class="row"><textarea name="message" rows="1" aria-label=${message}></textarea></div>
      </form>`
        : this.panel!.render(t)
    }</section>`;
  }

  /** The panel's code could not load: a sentence in the customer's language and a way to try again. */
  private renderFailed() {
    const [sentence, again] = loadFailedWords(translationPending(this.localeTag) ? this.localeTag : this.t.$code);
    return html`<p class="failed" role="alert">${sentence}</p><button class="retry" @click=${this.retryLoad}>${again}</button>`;
  }

  protected override render() {
    const t = this.t;
    // Until the customer's language has loaded: its direction and language tag already, no words.
    const pending = translationPending(this.localeTag);
    return html`<div class="root" dir=${pending ? directionOf(this.localeTag) : t.$dir} lang=${pending ? this.localeTag : t.$code}>
      ${this.open ? this.renderDialog(t, pending, !this.panel || pending || !!this.early) : nothing}
      <button class="launcher" part="launcher" aria-expanded=${this.open ? 'true' : 'false'}
        aria-label=${
          pending
            ? (launcherLabels(this.localeTag)?.[this.open ? 1 : 0] ?? (this.open ? t.closeChat : t.openChat))
            : this.open
              ? t.closeChat
              : this.unread
                ? `${t.openChat} (${t.unread(this.unread)})`
                : t.openChat
        }
        @click=${this.onLauncherClick} @pointerenter=${this.intent} @pointerdown=${this.intent} @focus=${this.intent}>
        <svg viewBox="0 0 24 24" aria-hidden="true" width="28" height="28">
          ${this.open ? closeIcon : chatIcon}
        </svg>
        ${this.unread && !this.open ? html`<span class="badge" part="badge" aria-hidden="true">${this.unread > 99 ? '99+' : this.unread}</span>` : nothing}
      </button>
    </div>`;
  }
}
