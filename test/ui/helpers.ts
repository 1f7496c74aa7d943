/** Shared steps of the browser tests: mount the widget, type like a person, read what is shown. */
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import type { ContactCenter } from '../../mock-server/runtime/contact-center.js';
import type { CecChatElement } from '../../widget/ui/chat/cec-chat.component.js';
import { defineCecChat } from '../../widget/ui/define.js';

defineCecChat();
let users = 0;

export const shadow = (el: CecChatElement) => el.shadowRoot!;
export const $ = <T extends Element = HTMLElement>(el: CecChatElement, sel: string) => shadow(el).querySelector<T>(sel);
export const textOf = (el: CecChatElement, sel: string) => $(el, sel)?.textContent?.replace(/\s+/g, ' ').trim() ?? '';
export const transcriptText = (el: CecChatElement) => textOf(el, '.transcript');

/** Mounts a widget for a new customer and opens it; waits until `ready` (default: the bot's greeting). */
export async function openWidget(opts: { locale?: string; ready?: (el: CecChatElement) => boolean } = {}): Promise<CecChatElement> {
  sessionStorage.clear(); // a fresh tab: no panel left open by an earlier test
  const el = await fixture<CecChatElement>(html`<cec-chat channel-id="demo" user-id=${`ui-${++users}-${Date.now()}`} user-name="Wang Fang" locale=${opts.locale ?? 'en'}></cec-chat>`);
  $<HTMLButtonElement>(el, 'button.launcher')!.click();
  const ready = opts.ready ?? ((e: CecChatElement) => transcriptText(e).includes("Hi, I'm Ava"));
  await waitUntil(() => ready(el), 'the widget is ready', { timeout: 5000 });
  return el;
}

/** Types into a field and fires the events a person's typing would. */
export async function fill(el: CecChatElement, selector: string, text: string): Promise<void> {
  const input = $<HTMLTextAreaElement | HTMLInputElement>(el, selector)!;
  input.value = text;
  input.dispatchEvent(new Event('input'));
  await el.updateComplete;
}

/** Types a message and presses Enter. */
export async function type(el: CecChatElement, text: string): Promise<void> {
  await fill(el, 'textarea[name="message"]', text);
  $(el, 'textarea[name="message"]')!.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, composed: true }));
  await el.updateComplete;
}

/** Clicks the button whose visible text (or aria-label) is `name`. */
export async function click(el: CecChatElement, name: string): Promise<void> {
  const buttons = [...shadow(el).querySelectorAll<HTMLButtonElement>('button')];
  const b = buttons.find((x) => x.textContent?.trim() === name || x.getAttribute('aria-label') === name);
  if (!b) throw new Error(`no button "${name}" among: ${buttons.map((x) => x.textContent?.trim() || x.getAttribute('aria-label')).join(' | ')}`);
  b.click();
  await el.updateComplete;
}

export const until = (pred: () => boolean, what: string) => waitUntil(pred, what, { timeout: 5000 });

/** A new customer who asks for an agent and is accepted by `account`. */
export async function chatWithAgent(cc: ContactCenter, account: string): Promise<CecChatElement> {
  cc.desk.signIn(account);
  cc.desk.setReady(account, true);
  const el = await openWidget();
  await type(el, 'agent please');
  await until(() => cc.desk.snapshot(account).waiting.length > 0, 'queued');
  cc.desk.accept(account, cc.desk.snapshot(account).waiting.at(-1)!.sessionId);
  await until(() => transcriptText(el).includes('joined the chat'), 'agent joined');
  return el;
}

/** axe once the panel's entrance animation is over (mid-fade colours are not what people see). */
export async function accessible(el: CecChatElement): Promise<void> {
  await el.updateComplete;
  await Promise.all(
    shadow(el)
      .getAnimations()
      .map((a) => a.finished),
  );
  await expect(el).to.be.accessible();
}

/**
 * What screen readers are told of `target` as it changes: the text of every live region (role
 * alert, status, log, or aria-live polite / assertive) that holds it or that it holds.
 */
export function liveTextsAround(el: CecChatElement, target: Element): string[] {
  const live = '[role="alert"], [role="status"], [role="log"], [aria-live="polite"], [aria-live="assertive"]';
  return [...shadow(el).querySelectorAll(live)]
    .filter((r) => (r.contains(target) && r.getAttribute('aria-live') !== 'off') || target.contains(r))
    .map((r) => `${r.getAttribute('role') ?? r.getAttribute('aria-live')}: ${r.textContent?.replace(/\s+/g, ' ').trim()}`);
}
