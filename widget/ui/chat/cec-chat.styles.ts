import { css } from 'lit';

/**
 * The launcher's styles and the theme tokens (the panel adds panel.styles.ts when it loads).
 * All styles live in the shadow root: the host page cannot break them and they cannot leak.
 * Theme through `--cec-*` custom properties and `::part`; dark mode follows the system.
 */
/** The dark palette: by the system's preference, or forced with theme="dark". */
const dark = css`
  --_bg: var(--cec-bg, #1f1f1f);
  --_fg: var(--cec-fg, #e8eaed);
  --_muted: var(--cec-muted, #bdc1c6);
  --_surface: var(--cec-surface, #303134);
  --_border: var(--cec-border, #5f6368);
  --_accent: var(--cec-accent, #a8c7fa);
  --_accent-text: var(--cec-accent-text, #062e6f);
  --_danger: var(--cec-danger, #f2b8b5);
`;

/**
 * The element's own styles, shipped with the script tag (its comments are here, not in the
 * stylesheet, so they cost no bytes): `all: initial` on the host, so nothing inherited from the
 * host page (fonts, colours, alignment) reaches the widget; `.panel`, `.header`, `h1`, `.icon`,
 * `.transcript` and the composer's box are the panel's frame, which the element draws on the
 * click that opens it, before the panel's own styles (panel.styles.ts) arrive; a long title (`h1`)
 * wraps instead of being cut (it is also the heading's tooltip); `.retry` is the early frame's
 * "Try again" when the panel's code could not load.
 */
export const styles = css`
  :host {
    all: initial;
    display: block;
    --_accent: var(--cec-accent, #0b57d0);
    --_accent-text: var(--cec-accent-text, #fff);
    --_bg: var(--cec-bg, #fff);
    --_fg: var(--cec-fg, #1f1f1f);
    --_muted: var(--cec-muted, #5f6368);
    --_surface: var(--cec-surface, #f1f3f4);
    --_border: var(--cec-border, #dadce0);
    --_danger: var(--cec-danger, #b3261e);
    --_radius: var(--cec-radius, 16px);
  }
  :host([hidden]) {
    display: none;
  }
  @media (prefers-color-scheme: dark) {
    :host(:not([theme='light'])) {
      ${dark}
    }
  }
  :host([theme='dark']) {
    ${dark}
  }
  * {
    box-sizing: border-box;
  }
  .root {
    position: fixed;
    inset-block-end: var(--cec-offset-y, 20px);
    inset-inline-end: var(--cec-offset-x, 20px);
    z-index: var(--cec-z-index, 2147483000);
    display: flex;
    flex-direction: column;
    align-items: flex-end;
    gap: 12px;
    font-family: var(--cec-font, system-ui, -apple-system, 'Segoe UI', Roboto, 'PingFang SC', 'Microsoft YaHei', sans-serif);
    font-size: 15px;
    line-height: 1.45;
    color: var(--_fg);
  }
  :host([position='left']) .root {
    inset-inline-end: auto;
    inset-inline-start: var(--cec-offset-x, 20px);
    align-items: flex-start;
  }
  button {
    font: inherit;
    cursor: pointer;
  }
  button:focus-visible,
  textarea:focus-visible,
  input:focus-visible,
  .transcript:focus-visible,
  a:focus-visible {
    outline: 3px solid var(--_accent);
    outline-offset: 2px;
  }
  .launcher {
    position: relative;
    inline-size: 56px;
    block-size: 56px;
    border-radius: 50%;
    border: none;
    background: var(--_accent);
    color: var(--_accent-text);
    box-shadow: 0 4px 14px rgb(0 0 0 / 0.25);
    display: grid;
    place-items: center;
  }
  .badge {
    position: absolute;
    inset-block-start: -4px;
    inset-inline-end: -4px;
    min-inline-size: 22px;
    block-size: 22px;
    padding: 0 6px;
    border-radius: 11px;
    background: #b3261e;
    color: #fff;
    font-size: 12px;
    font-weight: 600;
    display: grid;
    place-items: center;
  }
  .panel {
    inline-size: min(380px, calc(100vw - 24px));
    block-size: min(600px, calc(100dvh - 110px));
    background: var(--_bg);
    color: var(--_fg);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    box-shadow: 0 12px 40px rgb(0 0 0 / 0.25);
    display: flex;
    flex-direction: column;
    overflow: hidden;
  }
  @media (max-width: 480px) {
    .root:has(.panel) {
      inset: 0;
      gap: 0;
    }
    .panel {
      position: fixed;
      inset: 0;
      inline-size: 100vw;
      block-size: 100dvh;
      border-radius: 0;
      border: none;
    }
    .root:has(.panel) .launcher {
      display: none;
    }
  }
  .header {
    flex: none;
    display: flex;
    align-items: center;
    gap: 8px;
    padding: 12px 12px 12px 16px;
    background: var(--_accent);
    color: var(--_accent-text);
  }
  h1 {
    margin: 0;
    font-size: 16px;
    font-weight: 600;
    line-height: 1.25;
    overflow-wrap: anywhere;
  }
  .icon {
    flex: none;
    inline-size: 36px;
    block-size: 36px;
    border-radius: 50%;
    border: none;
    background: transparent;
    color: inherit;
    font-size: 18px;
  }
  .retry {
    border: 1px solid var(--_accent);
    border-radius: 18px;
    padding: 6px 14px;
    background: none;
    color: var(--_accent);
  }
  .transcript {
    flex: 1;
    padding: 12px 14px;
    overflow-y: auto;
    overscroll-behavior: contain;
  }
  textarea,
  input {
    font: inherit;
    font-size: 16px;
    color: var(--_fg);
    background: var(--_bg);
    border: 1px solid var(--_border);
    border-radius: 10px;
    padding: 8px 10px;
    resize: none;
  }
  .composer {
    border-block-start: 1px solid var(--_border);
    padding: 8px 10px calc(8px + env(safe-area-inset-bottom));
    display: flex;
    flex-direction: column;
    gap: 6px;
  }
  .row {
    display: flex;
    gap: 8px;
    align-items: flex-end;
  }
  .row textarea {
    flex: 1;
    max-block-size: 120px;
    field-sizing: content;
  }
`;
