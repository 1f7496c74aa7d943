/**
 * `cec-chat.js`, the file web developers put in a script tag. About 1 KB: it sets up the
 * queueing `CecChat` stub, remembers the tag's data-* options, shows the launcher at once (a
 * plain button in `<cec-chat>`'s shadow root, which the real element takes over when its module
 * arrives), and imports the widget module next to it. A click before then is not lost: it
 * opens the chat as soon as the widget is ready.
 */
interface Stub {
  (...args: unknown[]): void;
  q?: unknown[];
  /** The script tag's data-* options. */
  d?: Record<string, string | undefined>;
  /** Set once loading started: a second copy of this script does nothing. */
  l?: boolean;
}

const LABELS: Record<string, string> = { zh: '打开在线客服', ar: 'فتح المحادثة' };
const LAUNCHER_CSS = `:host{all:initial;display:block}
button{position:fixed;inset-block-end:var(--cec-offset-y,20px);inset-inline-end:var(--cec-offset-x,20px);z-index:var(--cec-z-index,2147483000);inline-size:56px;block-size:56px;border-radius:50%;border:none;background:var(--cec-accent,#0b57d0);color:var(--cec-accent-text,#fff);box-shadow:0 4px 14px rgb(0 0 0/.25);display:grid;place-items:center;cursor:pointer}
:host([position=left]) button{inset-inline-end:auto;inset-inline-start:var(--cec-offset-x,20px)}`;

/** The launcher before the widget's code has arrived. */
function placeholder(data: Record<string, string | undefined>): void {
  if (document.querySelector('cec-chat') || !data.channelId) return;
  const el = document.createElement('cec-chat');
  for (const [key, value] of Object.entries(data)) {
    if (value) el.setAttribute(key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`), value);
  }
  const root = el.attachShadow({ mode: 'open' });
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(LAUNCHER_CSS);
  root.adoptedStyleSheets = [sheet];
  const button = document.createElement('button');
  button.className = 'launcher';
  button.setAttribute('part', 'launcher');
  button.setAttribute('aria-expanded', 'false');
  button.setAttribute('aria-label', LABELS[(data.locale ?? document.documentElement.lang ?? '').slice(0, 2).toLowerCase()] ?? 'Open chat');
  const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('width', '28');
  svg.setAttribute('height', '28');
  svg.setAttribute('aria-hidden', 'true');
  const path = document.createElementNS('http://www.w3.org/2000/svg', 'path');
  path.setAttribute('fill', 'currentColor');
  path.setAttribute('d', 'M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H8l-4 4V6a2 2 0 0 1 2-2z');
  svg.append(path);
  button.append(svg);
  // Opening before the widget is ready: the element opens when it upgrades.
  button.addEventListener('click', () => el.setAttribute('open', ''));
  root.append(button);
  document.body.append(el);
}

((w: Window & { CecChat?: Stub }) => {
  const script = document.currentScript as HTMLScriptElement | null;
  const stub: Stub =
    w.CecChat ||
    function (...args: unknown[]) {
      (stub.q = stub.q || []).push(args);
    };
  w.CecChat = stub;
  if (stub.l) return;
  stub.l = true;
  stub.d = { ...script?.dataset };
  const src = script?.src || new URL('cec-chat.js', location.href).href;
  import(/* @vite-ignore */ new URL('cec-chat.esm.js', src).href).catch((e) => console.error('CecChat: the widget could not load.', e));
  if (document.body) placeholder(stub.d);
  else document.addEventListener('DOMContentLoaded', () => placeholder(stub.d!), { once: true });
})(window as unknown as Window & { CecChat?: Stub });
export {};
