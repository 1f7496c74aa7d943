/**
 * `cec-chat.js`, the file web developers put in a script tag. A few hundred bytes: it sets up the
 * queueing `CecChat` stub, remembers the tag's data-* options, and imports the widget module
 * next to it (which loads the chat panel itself on first open or when the browser is idle).
 */
interface Stub {
  (...args: unknown[]): void;
  q?: unknown[];
  /** The script tag's data-* options. */
  d?: Record<string, string | undefined>;
  /** Set once loading started: a second copy of this script does nothing. */
  l?: boolean;
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
})(window as unknown as Window & { CecChat?: Stub });
