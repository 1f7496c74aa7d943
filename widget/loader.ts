/**
 * `cec-chat.js`, the file web developers put in a script tag. About 1 KB: it sets up the
 * queueing `CecChat` stub, remembers the tag's data-* options, shows the launcher at once (a
 * plain button in `<cec-chat>`'s shadow root, which the real element takes over when its module
 * arrives), and imports the widget module next to it. A click before then is not lost: it
 * opens the chat as soon as the widget is ready.
 *
 * When the module cannot load (most often: the files are on a CDN on another origin that does
 * not send `Access-Control-Allow-Origin`, which module scripts need), the launcher says the chat
 * is unavailable and the console names the URL and the cause.
 */
import { directionOf } from './ui/i18n/direction.js';
import { launcherLabels } from './ui/i18n/launcher.js';

interface Stub {
  (...args: unknown[]): void;
  q?: unknown[];
  /** The script tag's data-* options. */
  d?: Record<string, string | undefined>;
  /** Set once loading started: a second copy of this script does nothing. */
  l?: boolean;
}

const UNAVAILABLE: Record<string, string> = {
  en: 'The chat is unavailable right now. Please try again later.',
  zh: '在线客服暂时无法使用，请稍后再试。',
  ar: 'المحادثة غير متاحة حاليًا. يرجى المحاولة لاحقًا.',
};
const LAUNCHER_CSS = `:host{all:initial;display:block}
button{position:fixed;inset-block-end:var(--cec-offset-y,20px);inset-inline-end:var(--cec-offset-x,20px);z-index:var(--cec-z-index,2147483000);inline-size:56px;block-size:56px;border-radius:50%;border:none;background:var(--cec-accent,#0b57d0);color:var(--cec-accent-text,#fff);box-shadow:0 4px 14px rgb(0 0 0/.25);display:grid;place-items:center;cursor:pointer}
:host([position=left]) button{inset-inline-end:auto;inset-inline-start:var(--cec-offset-x,20px)}
button.off{background:#5f6368}
p{position:fixed;inset-block-end:calc(var(--cec-offset-y,20px) + 66px);inset-inline-end:var(--cec-offset-x,20px);z-index:var(--cec-z-index,2147483000);max-inline-size:260px;margin:0;padding:10px 14px;border-radius:12px;background:#fff;color:#1f1f1f;font:15px/1.4 system-ui,sans-serif;box-shadow:0 4px 14px rgb(0 0 0/.25)}
p[hidden]{display:none}`;

const lang = (data: Record<string, string | undefined>) => (data.locale ?? document.documentElement.lang ?? '').slice(0, 2).toLowerCase();

/** The launcher before the widget's code has arrived. */
function placeholder(data: Record<string, string | undefined>): void {
  if (document.querySelector('cec-chat') || !data.channelId) return;
  const el = document.createElement('cec-chat');
  for (const [key, value] of Object.entries(data)) {
    if (value)
      el.setAttribute(
        key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`),
        value,
      );
  }
  const root = el.attachShadow({ mode: 'open' });
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(LAUNCHER_CSS);
  root.adoptedStyleSheets = [sheet];
  const button = document.createElement('button');
  button.className = 'launcher';
  button.setAttribute('part', 'launcher');
  button.setAttribute('aria-expanded', 'false');
  button.setAttribute('aria-label', launcherLabels(lang(data))?.[0] ?? 'Open chat');
  // Right-to-left languages start in the left corner, as the widget will put it.
  button.dir = directionOf(data.locale ?? document.documentElement.lang);
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

/**
 * Why a module URL could not be imported, found by fetching it again: not reachable, no CORS
 * headers (readable without CORS but not with it), an HTTP error, or a wrong content type.
 */
async function cause(url: string): Promise<string> {
  try {
    // biome-ignore lint/style/noRestrictedGlobals: the loader asks why its own module failed to load (no session data).
    const res = await fetch(url, { mode: 'cors', cache: 'no-store' });
    if (!res.ok) return `the server answered HTTP ${res.status}`;
    const type = res.headers.get('content-type') ?? '';
    return /javascript|ecmascript/i.test(type) ? 'the module failed to run' : `it is served as "${type}", not JavaScript`;
  } catch {
    try {
      // biome-ignore lint/style/noRestrictedGlobals: as above, a second probe without CORS.
      await fetch(url, { mode: 'no-cors', cache: 'no-store' });
      return 'its server sends no CORS header (Access-Control-Allow-Origin) for this page, which a module on another origin needs';
    } catch {
      return 'it could not be reached (network, DNS or a blocked request)';
    }
  }
}

/** The widget's module did not load: the launcher says so, and the console says why. */
async function unavailable(url: string, error: unknown, stub: Stub): Promise<void> {
  console.error(`CecChat: the widget could not load ${url}: ${await cause(url)}. Host all of dist/ together; a CDN on another origin must send Access-Control-Allow-Origin.`, error);
  // A page that mounts the widget with CecChat('init', {...}) instead of data-* gets the launcher now.
  const init = (stub.q as ArrayLike<unknown>[] | undefined)?.find((call) => call[0] === 'init')?.[1] as Record<string, unknown> | undefined;
  const data: Record<string, string | undefined> = { ...stub.d };
  for (const key of ['channelId', 'locale', 'position']) if (!data[key] && typeof init?.[key] === 'string') data[key] = init[key] as string;
  placeholder(data);
  const el = document.querySelector('cec-chat');
  const root = el?.shadowRoot;
  const button = root?.querySelector('button');
  if (!el || !root || !button || customElements.get('cec-chat')) return;
  const text = UNAVAILABLE[lang(data)] ?? UNAVAILABLE.en!;
  button.setAttribute('aria-label', text);
  button.classList.add('off');
  button.title = text;
  const note = document.createElement('p');
  note.setAttribute('role', 'status');
  note.dir = button.dir;
  note.textContent = text;
  // Shown at once if the visitor already asked for the chat, else on their click.
  note.hidden = !el.hasAttribute('open');
  button.addEventListener('click', () => (note.hidden = !note.hidden));
  root.append(note);
}

((w: Window & { CecChat?: Stub }) => {
  const script = document.currentScript as HTMLScriptElement | null;
  const stub: Stub =
    w.CecChat ||
    ((...args: unknown[]) => {
      (stub.q = stub.q || []).push(args);
    });
  w.CecChat = stub;
  if (stub.l) return;
  stub.l = true;
  stub.d = { ...script?.dataset };
  const src = script?.src || new URL('cec-chat.js', location.href).href;
  const url = new URL('cec-chat.esm.js', src).href;
  const shown = new Promise<void>((done) => {
    const show = () => (placeholder(stub.d!), done());
    if (document.body) show();
    else document.addEventListener('DOMContentLoaded', show, { once: true });
  });
  // The module is requested in a task after the early launcher's: the two never add up to one long task at load.
  setTimeout(() => import(/* @vite-ignore */ url).catch((e) => shown.then(() => unavailable(url, e, stub))));
})(window as unknown as Window & { CecChat?: Stub });
