/**
 * Registers `<cec-chat>` once. A page may include the script twice, or another copy of the
 * widget: the first definition wins and a version clash is reported, never thrown.
 */
import type { CecChatEventMap } from '../core/host-events.js';
import { CecChatElement } from './chat/cec-chat.component.js';

export type { CecChatEventMap } from '../core/host-events.js';

/** Replaced by the build with package.json's version; tests and dev servers see `0.0.0-dev`. */
declare const __CEC_VERSION__: string | undefined;
/** The widget's version (package.json's, injected at build). */
export const VERSION: string = typeof __CEC_VERSION__ === 'string' ? __CEC_VERSION__ : '0.0.0-dev';
/** The element's tag name, `cec-chat`. */
export const TAG = 'cec-chat';

/**
 * Registers the element as `tag` (default `cec-chat`) and returns the class registered under it.
 * Safe to call any number of times: when the tag is already taken (this copy or another copy of
 * the widget on the page) nothing is defined again and the class already there is returned; a
 * different version there is reported with a console warning, never thrown.
 */
export function defineCecChat(tag = TAG): typeof CecChatElement {
  const existing = customElements.get(tag) as (typeof CecChatElement & { version?: string }) | undefined;
  if (existing) {
    if (existing.version && existing.version !== VERSION) {
      console.warn(`<${tag}> ${existing.version} is already registered; this copy (${VERSION}) is not used.`);
    }
    return existing;
  }
  customElements.define(
    tag,
    class extends CecChatElement {
      static version = VERSION;
    },
  );
  return customElements.get(tag) as typeof CecChatElement;
}

declare global {
  interface HTMLElementTagNameMap {
    'cec-chat': CecChatElement;
  }
  // Typed listeners: el.addEventListener('cec-agent-joined', (e) => e.detail.agentName)
  interface HTMLElementEventMap extends CecChatEventMap {}
}
