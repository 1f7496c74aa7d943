/**
 * The widget module behind the script tag (`cec-chat.esm.js`, imported by `cec-chat.js`):
 * registers `<cec-chat>` and exposes `window.CecChat`.
 *
 *   <script src="cec-chat.js" data-channel-id="demo" async></script>
 *
 * mounts the widget with no other code. Calls made before the script loads are queued by the
 * stub snippet below and replayed in order:
 *
 *   <script>window.CecChat=window.CecChat||function(){(CecChat.q=CecChat.q||[]).push(arguments)}</script>
 *   <script>CecChat('init', {channelId: 'demo'}); CecChat('on', 'cec-agent-joined', console.log)</script>
 */
import type { Authorization } from './core/protocol.js';
import type { CecChatElement } from './ui/chat/cec-chat.component.js';
import { defineCecChat, TAG, VERSION } from './ui/define.js';

export interface InitOptions {
  channelId: string;
  baseUrl?: string;
  userId?: string;
  userName?: string;
  locale?: string;
  position?: 'right' | 'left';
  authorization?: Authorization;
  /** Open the panel at once. */
  open?: boolean;
}

type Listener = (detail: unknown, event: Event) => void;

interface CecChatApi {
  (method: string, ...args: unknown[]): unknown;
  q?: ArrayLike<unknown>[];
  /** The script tag's data-* options, handed over by the loader. */
  d?: Record<string, string | undefined>;
  version: string;
  init(options: InitOptions): CecChatElement;
  open(): void;
  close(): void;
  toggle(): void;
  send(text: string): void;
  /** Switches to another customer: logs the previous one out (their stored chat is removed), then a new session starts. */
  setUser(user: { userId: string; userName?: string; authorization?: Authorization }): Promise<void>;
  setLocale(locale: string): void;
  on(event: string, fn: Listener): () => void;
  /** Removes everything the widget stored in this browser and ends the session here; the widget stays mounted. */
  logout(): Promise<void>;
  /** Logs out (as logout()) and removes the widget from the page. */
  destroy(): Promise<void>;
}

declare global {
  interface Window {
    CecChat?: CecChatApi | ((...args: unknown[]) => void);
  }
}

function install(): void {
  const previous = window.CecChat as CecChatApi | undefined;
  if (previous && typeof previous.init === 'function') return; // the script is on the page twice
  // `<cec-chat>` is defined (and the early launcher upgraded) in a task after this module's
  // evaluation, so the two never make one long task at load (issue 18). Until then the API
  // works as it does after: calls that need the element wait for it, in order.
  let defined = false;
  const ready = new Promise<void>((resolve) =>
    setTimeout(() => {
      defineCecChat();
      defined = true;
      resolve();
    }),
  );
  const upgraded = (fn: () => void): void => (defined ? fn() : void ready.then(fn));
  let el: CecChatElement | null = null;
  const listeners = new Map<Listener, { name: string; wrapped: EventListener }>();

  const required = (): CecChatElement => {
    if (!el) throw new Error('CecChat: call CecChat.init({channelId}) first (or set data-channel-id on the script tag).');
    return el;
  };

  /** Calls `fn` with the mounted element once it is defined (throws at once when none is mounted). */
  const withElement = (fn: (e: CecChatElement) => void): void => {
    const e = required();
    upgraded(() => fn(e));
  };

  const api = ((method: string, ...args: unknown[]) => {
    const fn = (api as unknown as Record<string, unknown>)[method];
    if (typeof fn !== 'function') throw new Error(`CecChat: unknown method "${method}".`);
    return (fn as (...a: unknown[]) => unknown)(...args);
  }) as CecChatApi;

  Object.assign(api, {
    version: VERSION,
    init(options: InitOptions) {
      if (!options?.channelId) throw new Error('CecChat.init: channelId is required.');
      el ??= document.querySelector(TAG) ?? document.createElement(TAG);
      el.channelId = options.channelId;
      if (options.baseUrl) el.baseUrl = options.baseUrl;
      if (options.userId) el.userId = options.userId;
      if (options.userName) el.userName = options.userName;
      if (options.locale) el.locale = options.locale;
      if (options.position) el.position = options.position;
      if (options.authorization) el.authorization = options.authorization;
      for (const { name, wrapped } of listeners.values()) el.addEventListener(name, wrapped);
      if (!el.isConnected) document.body.append(el);
      const e = el;
      if (options.open) upgraded(() => e.show());
      return el;
    },
    open: () => withElement((e) => e.show()),
    close: () => withElement((e) => e.hide()),
    toggle: () => withElement((e) => e.toggle()),
    send: (text: string) => withElement((e) => e.send(text)),
    async setUser(user: { userId: string; userName?: string; authorization?: Authorization }) {
      // Another person now uses this page: what the widget stored for the previous one goes.
      const e = required();
      await ready;
      const wasOpen = e.open;
      await e.logout();
      e.userId = user.userId;
      e.userName = user.userName ?? '';
      e.authorization = user.authorization;
      if (wasOpen) e.show();
    },
    setLocale: (locale: string) => (required().locale = locale),
    on(name: string, fn: Listener) {
      const wrapped: EventListener = (ev) => fn((ev as CustomEvent).detail, ev);
      listeners.set(fn, { name, wrapped });
      el?.addEventListener(name, wrapped);
      return () => {
        listeners.delete(fn);
        el?.removeEventListener(name, wrapped);
      };
    },
    async logout() {
      await ready;
      // Without a mounted widget, a detached element still knows how to clean up.
      return (el ?? (document.createElement(TAG) as CecChatElement)).logout();
    },
    async destroy() {
      const gone = el ?? (document.createElement(TAG) as CecChatElement);
      el?.remove();
      el = null;
      await ready;
      return gone.logout();
    },
  });

  window.CecChat = api;
  const data = previous?.d;
  if (data?.channelId) {
    const mount = () =>
      api.init({
        channelId: data.channelId!,
        baseUrl: data.baseUrl,
        userId: data.userId,
        userName: data.userName,
        locale: data.locale,
        position: data.position === 'left' ? 'left' : undefined,
      });
    if (document.body) mount();
    else document.addEventListener('DOMContentLoaded', mount, { once: true });
  }
  for (const call of Array.from(previous?.q ?? [])) {
    const [method, ...args] = Array.from(call as ArrayLike<unknown>);
    try {
      api(method as string, ...args);
    } catch (e) {
      console.error(e);
    }
  }
}

install();
