/**
 * The chat panel: everything behind the launcher, loaded on first open or when the browser is
 * idle, so the script tag stays small. It renders the session held by its SessionController
 * (the only seam to the client) and the panel's own view state, into the `<cec-chat>` host's
 * shadow root; what the customer does goes to the controller as intents.
 */
import { html, nothing, svg } from 'lit';
import { TEXT_MAX_BYTES } from '../../core/protocol.js';
import { callActive } from '../../core/call.js';
import { CHAT_PHASES, type SessionState } from '../../core/session.js';
import { lastIndexWhere } from '../../core/transcript.js';
import type { Translation } from '../i18n/index.js';
import { dismisses } from './keys.js';
import { FULL_SCREEN, lockPageScroll } from './page-scroll.js';
import { panelStyles } from './panel.styles.js';
import { SessionController, type SessionHost, type ViewIntent } from './session-controller.js';
import {
  callCard,
  endedActions,
  endedCard,
  evaluationForm,
  forDisplay,
  formatTime,
  header,
  newMessagesPill,
  idleBanner,
  leaveMessageForm,
  queueCard,
  sendsOnEnter,
  transcriptBlocks,
  windowStart,
  BLOCK,
  type Actions,
} from './views.js';

export { forgetStoredState } from './session-controller.js';

/** What the panel needs from `<cec-chat>`. */
export interface PanelHost extends SessionHost {
  readonly updateComplete: Promise<boolean>;
  readonly t: Translation;
  readonly renderRoot: HTMLElement | DocumentFragment;
}

interface View {
  rating: { score: number; comment: string };
  /** The rating form is open during an agent chat (it is always shown after one). */
  rateOpen: boolean;
  leaveForm: { content: string; contact: string };
}

const initialView = (): View => ({ rating: { score: 0, comment: '' }, rateOpen: false, leaveForm: { content: '', contact: '' } });

export class ChatPanel {
  readonly controller: SessionController;
  /** What the customer is choosing; re-rendered through the host. */
  private view: View = initialView();

  constructor(private readonly host: PanelHost) {
    const root = host.renderRoot as ShadowRoot;
    if (panelStyles.styleSheet && !root.adoptedStyleSheets.includes(panelStyles.styleSheet)) {
      root.adoptedStyleSheets = [...root.adoptedStyleSheets, panelStyles.styleSheet];
    }
    this.controller = new SessionController(host);
    this.fullScreen.addEventListener('change', this.onMedia);
  }

  /** Whether the open panel fills the screen (a phone): then the page behind it stays still. */
  private readonly fullScreen = matchMedia(FULL_SCREEN);
  private readonly onMedia = () => this.host.requestUpdate();

  get session(): SessionState | null {
    return this.controller.state;
  }

  private emit(intent: ViewIntent): void {
    this.controller.handle(intent);
  }

  private set(patch: Partial<View>): void {
    this.view = { ...this.view, ...patch };
    this.host.requestUpdate();
  }

  /** The time formatter's warm-up is under way (see start). */
  private timeWarm = false;

  /** Starts (or resumes) the session on first open (the element calls it in every update while open). */
  start(): void {
    this.controller.start();
    if (this.timeWarm || !this.session) return;
    this.timeWarm = true;
    // The first time formatter of a page costs more than a screen of rows (20–47 ms: the browser
    // loads its locale data): made while the history is on its way, after its request went out,
    // so it delays neither that request nor the first rows (each shows its time).
    const locale = this.host.t.$code;
    this.controller.afterStartRequests(() => formatTime(0, locale));
  }

  /** Takes over what the customer typed in the element's early box, as the draft of the panel's. */
  adoptDraft(text: string): void {
    this.emit({ type: 'draft', text });
  }

  /** Sends as the customer, as soon as the session can take it. */
  send(text: string): void {
    this.controller.send(text);
  }

  destroy(): void {
    cancelAnimationFrame(this.unquiet);
    this.fullScreen.removeEventListener('change', this.onMedia);
    lockPageScroll(false);
    this.resizes?.disconnect();
    this.controller.destroy();
  }

  /** Ends the session's work and removes everything the widget stored. */
  logout(): void {
    this.controller.logout();
  }

  /** The reader is at the end of the transcript (they did not scroll up), so it follows new messages. */
  private following = true;

  /** Whether the reader follows the end; the session controller reports READ only then. */
  private follow(atEnd: boolean): void {
    this.following = atEnd;
    this.controller.setAtEnd(atEnd);
  }
  /** Where the panel last scrolled the transcript to: a scroll above it is the reader's. */
  private autoTop = 0;

  /**
   * Takes in where the transcript is now (`log`: the scrolling `.transcript`), before the panel
   * moves it and on each scroll event: a scroll above where the panel last put it, or to the end,
   * is the reader's (the browser's own moves keep the end, or go down as rows grow above). A
   * scroll the reader made since the last frame has not sent its event yet: a render or a resize
   * in between must not take it for "following" and pull the reader back to the end. Any move the
   * panel did not make also lets go of the place it was holding (`held`). Sets `following` only:
   * the callers outside a render tell the controller, and after a render the scroll's own event
   * does. Returns whether it is at the end.
   */
  private noticeReader(log: Element): boolean {
    const top = log.scrollTop;
    const atEnd = nearEnd(log);
    if (Math.abs(top - this.autoTop) > 1) this.held = null;
    if (atEnd || top < this.autoTop - 1) {
      this.following = atEnd;
      this.autoTop = top;
    }
    return atEnd;
  }

  /**
   * The place kept after earlier rows came above (see showEarlier): the block that was first on
   * screen and its offset from the log's top edge (px). It is held after the update that put the
   * rows in, and re-applied on every resize until the reader scrolls: blocks above it that are laid
   * out for real a frame later (`content-visibility: auto` guesses their height until then) would
   * otherwise move what the reader is looking at.
   */
  private held: { block: Element; top: number } | null = null;

  /** Puts the held block back at its offset; what the panel scrolled to is its own (autoTop). */
  private keepPlace(log: Element): void {
    const a = this.held;
    if (a?.block.isConnected) {
      log.scrollTop += a.block.getBoundingClientRect().top - log.getBoundingClientRect().top - a.top;
      this.autoTop = log.scrollTop;
    }
  }
  /** Messages that arrived while the reader was scrolled up (the "new messages" pill). */
  private unseen = 0;
  private seenLength = 0;
  private resizes: ResizeObserver | null = null;
  /** The panel's transcript as of the last update (the resize observer watches it; a render reads the reader's scroll from it). */
  private observed: Element | null = null;

  /** The panel's scrolling transcript (not the element's early frame, drawn before the panel takes over). */
  private log(): Element | null {
    return this.host.renderRoot.querySelector('.panel:not(.early) .transcript');
  }

  private toEnd(log: Element): void {
    this.held = null;
    log.scrollTop = log.scrollHeight;
    this.autoTop = log.scrollTop;
  }

  /**
   * The transcript's live region is silent (aria-live off) for a render that fills it with what is
   * not news: the history of a reloaded chat (up to `historySeq`) and earlier rows the reader asked
   * for. Otherwise a long chat opening would read out its 150 latest rows. It speaks again two
   * frames later, once the browser has taken those rows into its accessibility tree, so what
   * arrives after that is announced as before.
   */
  private quiet = false;
  private unquiet = 0;
  /** The newest row and the window size of the last render (what a render adds is judged against them). */
  private renderedLast: string | undefined;
  private renderedWindow = PAGE;

  private silentFill(s: SessionState | null): boolean {
    const last = s?.transcript.at(-1);
    const history = !!last && last.id !== this.renderedLast && last.seq !== null && last.seq <= s!.historySeq;
    const earlier = (this.grew = this.shown > this.renderedWindow);
    this.renderedLast = last?.id;
    this.renderedWindow = this.shown;
    return history || earlier;
  }

  /** Focus was inside the widget when the last render began (see updated). */
  private hadFocus = false;

  /** After the host rendered: follow new messages unless the reader scrolled up; then count them. */
  updated(): void {
    if (this.quiet && !this.unquiet) {
      this.unquiet = requestAnimationFrame(() => {
        this.unquiet = requestAnimationFrame(() => {
          this.unquiet = 0;
          this.quiet = false;
          this.host.requestUpdate();
        });
      });
    }
    lockPageScroll(this.host.open && this.fullScreen.matches);
    const log = this.log();
    const length = this.session?.transcript.length ?? 0;
    // Earlier rows are not new messages.
    const fresh = Math.max(0, length - this.seenLength - this.prepended);
    this.seenLength = length;
    this.prepended = 0;
    if (!log) return;
    const root = this.host.renderRoot as ShadowRoot;
    const a = this.anchor;
    if (this.grew && a) {
      // Rows were put above: the block the reader was looking at goes back to where it was, and
      // is held there while the rows above settle (see held).
      this.anchor = null;
      this.held = a;
      this.keepPlace(log);
      this.follow(nearEnd(log));
      // The button was pressed and is gone (nothing earlier is left): the focus stays in the log.
      if (!log.querySelector('.earlier') && !root.activeElement) (log as HTMLElement).focus({ preventScroll: true });
    }
    // Any other control that had focus went away and no message box took it (the element gives
    // focus to the box when there is one): the chat ended under the customer's typing. "Start a
    // new chat" takes it (the ending is heard from the log), not the page.
    if (this.hadFocus && !root.activeElement) root.querySelector<HTMLElement>('.actions button')?.focus();
    if (this.observed !== log) {
      // A panel closed and opened again has a new log.
      this.observed = log;
      this.resizes?.disconnect();
      if (typeof ResizeObserver === 'function') {
        // Cards coming and going, images loading: the end stays in view while following, and a
        // held place stays put while rows above it settle.
        this.resizes = new ResizeObserver(() => {
          this.noticeReader(log);
          if (this.following) this.toEnd(log);
          else this.keepPlace(log);
          this.controller.setAtEnd(this.following);
        });
        this.resizes.observe(log);
        this.resizes.observe(log.querySelector('.items')!);
      }
    }
    if (this.following || (fresh && this.session?.transcript.at(-1)?.author === 'customer')) {
      this.follow(true);
      this.unseen = 0;
      this.toEnd(log);
    } else if (fresh) {
      this.unseen += fresh;
      this.host.requestUpdate();
    }
  }

  /** The pill: back to the newest message. */
  private jumpToEnd = (): void => {
    const log = this.log();
    this.follow(true);
    this.unseen = 0;
    if (log) this.toEnd(log);
    this.host.requestUpdate();
  };

  private actions: Actions = {
    retry: (id) => this.emit({ type: 'retry', id }),
    fileUrl: (key) => this.controller.fileUrl(key),
    transfer: () => this.emit({ type: 'transfer' }),
    stillHere: () => this.emit({ type: 'stillHere' }),
    newChat: () => {
      this.set(initialView());
      this.emit({ type: 'newChat' });
    },
    rate: (score, comment) => this.emit({ type: 'rate', score, comment }),
    leaveMessage: (content, contact) => this.emit({ type: 'leaveMessage', content, contact }),
  };

  /** Between compositionstart and compositionend (an input method is composing). */
  private composing = false;
  private onComposition = (e: CompositionEvent): void => {
    this.composing = e.type === 'compositionstart';
  };

  private onKeydown = (e: KeyboardEvent): void => {
    if (sendsOnEnter(e, this.composing)) {
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

  /** Rendering made the window larger (rows put above it): see `updated()`. */
  private grew = false;
  /** The first block and its offset from the log's top edge (px) when the reader asked for earlier rows (their place, kept when rows come above). */
  private anchor: { block: Element; top: number } | null = null;
  /** Rows put before the transcript since the last `updated()` (an earlier history page): not news. */
  private prepended = 0;
  /** The blocks start `pad` items before a multiple of BLOCK (see windowStart), so an earlier page moves none of them. */
  private pad = 0;
  /** The transcript's first item at the last render: when older ones come before it, the window grows to show them. */
  private firstId: string | undefined;

  /**
   * "Show earlier": first the rows already in memory, then (paged history) the previous page from
   * the server, put in when it comes (see `trackFront`). Either way the rows the reader was
   * looking at stay where they were on screen.
   */
  private showEarlier = (): void => {
    const s = this.session;
    const log = this.log();
    if (!s || !log) return;
    const inMemory = windowStart(s.transcript.length, this.shown, this.pad) > 0;
    if (!inMemory && (!s.earlier.hasMore || s.earlier.status === 'loading')) return;
    const block = log.querySelector('.block');
    this.anchor = block && { block, top: block.getBoundingClientRect().top - log.getBoundingClientRect().top };
    if (inMemory) {
      this.shown += PAGE;
      this.host.requestUpdate();
    } else this.controller.loadEarlier();
  };

  /** Notices an earlier page put before the transcript: the window grows by its rows, and the blocks keep their rows. */
  private trackFront(s: SessionState | null): void {
    const first = s?.transcript[0]?.id;
    if (s && this.firstId !== undefined && first !== this.firstId) {
      const at = s.transcript.findIndex((m) => m.id === this.firstId);
      if (at > 0) {
        this.shown += at;
        this.prepended += at;
        this.pad = (((this.pad - at) % BLOCK) + BLOCK) % BLOCK;
      } else this.pad = 0;
    }
    this.firstId = first;
  }

  private onScroll = (e: Event): void => {
    const log = e.target as HTMLElement;
    const atEnd = this.noticeReader(log);
    this.controller.setAtEnd(this.following);
    if (atEnd && this.unseen) this.jumpToEnd();
    const s = this.session;
    // At the top: more rows, from memory or (not after a failure: that waits for the button) the server.
    if (log.scrollTop < 40 && s && (windowStart(s.transcript.length, this.shown, this.pad) > 0 || (s.earlier.hasMore && s.earlier.status === 'idle'))) this.showEarlier();
  };

  private onInput = (e: Event): void => {
    this.emit({ type: 'draft', text: (e.target as HTMLTextAreaElement).value });
  };

  private onSend = (e?: Event): void => {
    e?.preventDefault();
    const text = this.controller.draft;
    if (!text.trim() || tooLong(text)) return;
    this.emit({ type: 'draft', text: '' });
    // Before the session can take it, the controller keeps it and sends it once ready.
    const p = this.session?.phase;
    if (p && CHAT_PHASES.includes(p)) this.emit({ type: 'submit', text });
    else this.controller.send(text);
  };

  private attach(files: File[]): void {
    this.emit({ type: 'attach', files });
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

  /**
   * Keys in the panel's dialog (the element's `section[role=dialog]`, see render): Escape closes
   * it, except the Escape that cancels an input method's composition (see dismisses).
   */
  readonly onDialogKeydown = (e: KeyboardEvent): void => {
    if (dismisses(e)) {
      e.stopPropagation();
      this.host.open = false;
    }
  };

  /**
   * What the panel shows inside the element's dialog (`<cec-chat>` draws the labelled
   * `section[role=dialog]` itself, from its first frame on, and keeps it when the panel takes
   * over: one dialog for screen readers; its keys go to onDialogKeydown).
   */
  render(t: Translation) {
    this.hadFocus = !!(this.host.renderRoot as ShadowRoot).activeElement;
    // A scroll the reader just made counts before this render's rows move anything (noticeReader).
    if (this.observed?.isConnected) this.noticeReader(this.observed);
    this.trackFront(this.session);
    if (this.silentFill(this.session)) this.quiet = true;
    // Only the rendered window is prepared for display (see forDisplay); it starts at a block.
    const length = this.session?.transcript.length ?? 0;
    const earlier = windowStart(length, this.shown, this.pad);
    const s = this.session && forDisplay(this.session, length - earlier);
    const h = this.host;
    const { title, status } = header(s, t);
    const canWrite = !!s && CHAT_PHASES.includes(s.phase) && s.phase !== 'offHours';
    // The box is there from the first frame: what is typed while the session starts is queued.
    const starting = !s || s.phase === 'closed' || s.phase === 'starting';
    return html`<div class="header" part="header">
        ${avatar((s?.phase !== 'ended' ? s?.agent?.name : undefined) ?? (s?.phase === 'bot' ? s.config?.chatbot?.name : undefined) ?? t.title, s?.phase === 'bot' ? s.config?.chatbot?.avatar : undefined)}
        <div class="who">
          <h1 title=${title}>${title}</h1>
          <p class="conn ${s?.connection ?? ''}" role="status">${status}</p>
        </div>
        ${s?.phase === 'agent' && !callActive(s.call) ? this.renderCallButtons(s, t) : nothing}
        ${canWrite ? html`<button class="text" @click=${() => this.emit({ type: 'end' })}>${t.endChat}</button>` : nothing}
        <button class="icon" @click=${() => (h.open = false)} aria-label=${t.minimise} title=${t.minimise}>–</button>
      </div>
      ${
        !this.controller.configured
          ? html`<p class="error" role="alert">${t.errors.start}</p>`
          : s?.phase === 'failed'
            ? html`<div class="error" role="alert"><p>${s.error?.startsWith('auth.') ? t.errors.auth : t.errors.start}</p>
              <button class="primary" @click=${() => this.emit({ type: 'start' })}>${t.tryAgain}</button></div>`
            : nothing
      }
      <div class="transcript" part="transcript" role="log" aria-label=${t.transcriptLabel} aria-live=${this.quiet ? 'off' : 'polite'} tabindex="0" @scroll=${this.onScroll}>
        ${s ? this.renderEarlier(s, t, earlier) : nothing}
        <div class="items" role="list">
          ${s ? transcriptBlocks(s.transcript, s, t, this.actions, t.$code, earlier ? BLOCK : BLOCK - this.pad) : nothing}
        </div>
      </div>
      <div class="pill-at" role="status">${newMessagesPill(this.unseen, t, this.jumpToEnd)}</div>
      <div class="cards">${s ? this.renderCards(s, t) : nothing}</div>
      ${s?.agentTyping && s.agent ? html`<p class="typing" aria-live="off">${t.typing(s.agent.name)}</p>` : nothing}
      ${canWrite || starting ? this.renderComposer(s, t) : endedActions(s!, t, this.actions)}`;
  }

  /**
   * "Show earlier": how many rows are above the window (`hidden` in memory, plus on the server
   * when it said), "loading" while a page is on its way, and after a failure a sentence and "Try
   * again". One button throughout, so a keyboard user's focus stays on it.
   */
  private renderEarlier(s: SessionState, t: Translation, hidden: number) {
    const e = s.earlier;
    if (!hidden && !e.hasMore) return nothing;
    const failed = !hidden && e.status === 'failed';
    const label = !hidden && e.status === 'loading' ? t.earlierLoading : failed ? t.tryAgain : e.hasMore && e.count === null ? t.earlierMore : t.earlier(hidden + (e.hasMore ? e.count! : 0));
    return html`${failed ? html`<p class="earlier" role="alert">${t.earlierFailed}</p>` : nothing}
      <button class="link earlier" aria-disabled=${!hidden && e.status === 'loading' ? 'true' : 'false'} @click=${this.showEarlier}>${label}</button>`;
  }

  private renderCallButtons(s: SessionState, t: Translation) {
    const media = s.config?.clickToDial?.media ?? [];
    const icon = (m: 'voice' | 'video') =>
      m === 'voice'
        ? svg`<path fill="currentColor" d="M6.6 10.8a15.1 15.1 0 0 0 6.6 6.6l2.2-2.2a1 1 0 0 1 1-.25 11.4 11.4 0 0 0 3.6.57 1 1 0 0 1 1 1V20a1 1 0 0 1-1 1A17 17 0 0 1 3 4a1 1 0 0 1 1-1h3.5a1 1 0 0 1 1 1c0 1.25.2 2.45.57 3.57a1 1 0 0 1-.25 1z"/>`
        : svg`<path fill="currentColor" d="M17 10.5V7a1 1 0 0 0-1-1H4a1 1 0 0 0-1 1v10a1 1 0 0 0 1 1h12a1 1 0 0 0 1-1v-3.5l4 4v-11z"/>`;
    return media.map(
      (m) => html`<button class="icon" aria-label=${m === 'voice' ? t.callVoice : t.callVideo} title=${m === 'voice' ? t.callVoice : t.callVideo}
        @click=${() => this.emit({ type: 'call', media: m })}><svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true">${icon(m)}</svg></button>`,
    );
  }

  private renderCards(s: SessionState, t: Translation) {
    const call = {
      hangUp: () => this.emit({ type: 'hangUp' }),
      dismiss: () => this.emit({ type: 'dismissCall' }),
      toggle: (what: 'mic' | 'camera') => this.emit({ type: 'callToggle', what }),
      streams: this.controller.callStreams,
    };
    return html`${callCard(s, t, call, this.controller.now())}
    ${this.renderOffHours(s, t)} ${queueCard(s, t, this.controller.now())} ${idleBanner(s, t, this.actions, this.controller.now())}
    ${endedCard(s, t, this.renderLeaveMessage(t))}
    ${s.phase === 'ended' || this.view.rateOpen ? evaluationForm(s, t, this.actions, this.view.rating, (rating) => this.set({ rating })) : nothing}`;
  }

  private renderComposer(s: SessionState | null, t: Translation) {
    return html`<form class="composer" part="composer" @submit=${this.onSend}>
      ${
        s?.phase === 'bot'
          ? // aria-disabled, not disabled: a disabled button would drop the keyboard user's focus.
            html`<button type="button" class="chip" aria-disabled=${s.transferring ? 'true' : 'false'} @click=${() => s.transferring || this.actions.transfer()}>${t.transfer}</button>`
          : nothing
      }
      ${
        s?.phase === 'agent'
          ? html`<button type="button" class="chip" aria-expanded=${this.view.rateOpen ? 'true' : 'false'} @click=${() => this.set({ rateOpen: !this.view.rateOpen })}>${t.rateTitle}</button>`
          : nothing
      }
      <div class="row">
        <textarea name="message" rows="1" aria-label=${t.messageLabel} placeholder=${t.messagePlaceholder}
          .value=${this.controller.draft} @input=${this.onInput} @keydown=${this.onKeydown} @paste=${this.onPaste}
          @compositionstart=${this.onComposition} @compositionend=${this.onComposition}></textarea>
        <label class="icon attach" title=${t.attach}>
          <input type="file" class="sr" aria-label=${t.attach} accept=${(s?.config?.upload.types ?? []).join(',')} @change=${this.onPick} />
          <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true"><path fill="currentColor" d="M16.5 6.5v10a4.5 4.5 0 0 1-9 0V5a3 3 0 0 1 6 0v10.5a1.5 1.5 0 0 1-3 0V6.5H9v9a3 3 0 0 0 6 0V5a4.5 4.5 0 0 0-9 0v11.5a6 6 0 0 0 12 0v-10z"/></svg>
        </label>
        <button class="send" type="submit" aria-label=${t.send} ?disabled=${!this.controller.draft.trim() || tooLong(this.controller.draft)}>
          <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true"><path fill="currentColor" d="M3.4 20.4 21 12 3.4 3.6 3.4 10l12.6 2-12.6 2z"/></svg>
        </button>
      </div>
      ${tooLong(this.controller.draft) ? html`<p class="hint over" role="alert">${t.tooLong(TEXT_MAX_BYTES)}</p>` : nothing}
      ${
        this.controller.fileError
          ? html`<p class="hint over" role="alert">${{ type: t.fileType, content: t.fileContent, size: t.fileTooLarge(Math.round((s?.config?.upload.maxBytes ?? 0) / 1048576)) }[this.controller.fileError]}</p>`
          : nothing
      }
    </form>`;
  }

  private renderOffHours(s: SessionState, t: Translation) {
    if (s.phase !== 'offHours') return nothing;
    const notice = s.transcript[lastIndexWhere(s.transcript, (m) => m.event === 'offhours.notice')];
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
    const status = this.session?.leaveMessage;
    const draft = { ...this.view.leaveForm, sent: status === 'sent', failed: status === 'failed' };
    return leaveMessageForm(t, draft, ({ content, contact }) => this.set({ leaveForm: { content, contact } }), this.actions.leaveMessage);
  }
}

/** The bot's configured picture (http(s) or an inline image only), else the name's initials. */
function avatar(name: string, picture?: string) {
  const safe = picture && /^(https?:|data:image\/(png|jpeg|gif|webp);)/i.test(picture) ? picture : undefined;
  const initials = name
    .trim()
    .split(/\s+/)
    .slice(0, 2)
    .map((w) => [...w][0]?.toUpperCase() ?? '')
    .join('');
  return html`<span class="avatar" part="avatar" aria-hidden="true">${safe ? html`<img src=${safe} alt="" />` : initials}</span>`;
}

/** Whether the transcript `log` is scrolled to within 40 px of its end (the reader sees the newest message). */
const nearEnd = (log: Element) => log.scrollHeight - log.scrollTop - log.clientHeight < 40;

/** Messages rendered at first, and added each time the reader reaches the top. */
const PAGE = 150;

const encoder = new TextEncoder();
/** The channel takes at most 1 KB of text per message (a Chinese character is 3 bytes). */
const tooLong = (text: string) => text.length > TEXT_MAX_BYTES / 3 && encoder.encode(text).length > TEXT_MAX_BYTES;
