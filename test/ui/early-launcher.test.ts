/**
 * The script tag shows a plain launcher before the widget's code arrives; the element takes
 * over that shadow root when it upgrades, and a click made in between opens the chat.
 */
import { expect, waitUntil } from '@open-wc/testing';
import { startBrowserMock } from '../../mock-server/browser.js';
import { Clock } from '../../mock-server/runtime/clock.js';
import type { CecChatElement } from '../../widget/ui/chat/cec-chat.component.js';
import { defineCecChat } from '../../widget/ui/define.js';

const { worker } = await startBrowserMock({ clock: new Clock('manual', Date.parse('2026-11-25T10:00:00Z')) });
after(() => worker.stop());

it('takes over the early launcher and honours a click made before it was ready', async () => {
  sessionStorage.clear();
  const el = document.createElement('cec-chat-late') as CecChatElement;
  el.setAttribute('channel-id', 'demo');
  el.setAttribute('user-id', `early-${Date.now()}`);
  const root = el.attachShadow({ mode: 'open' });
  const sheets = [new CSSStyleSheet()];
  root.adoptedStyleSheets = sheets;
  const early = Object.assign(document.createElement('button'), { className: 'launcher' });
  early.addEventListener('click', () => el.setAttribute('open', ''));
  root.append(early);
  document.body.append(el);
  early.click(); // the visitor clicks before the widget's module has arrived
  defineCecChat('cec-chat-late');
  // Upgraded, not yet rendered (its first render takes a task of its own, issue 18): the early
  // launcher is still there, styled, so the launcher never blinks out.
  expect(el.hasUpdated).to.equal(false);
  expect(el.shadowRoot!.contains(early), 'the early launcher stays until the first render').to.equal(true);
  expect(el.shadowRoot!.adoptedStyleSheets).to.deep.equal(sheets);
  await waitUntil(() => el.shadowRoot?.querySelector('.transcript')?.textContent?.includes("Hi, I'm Ava") ?? false, 'open with the greeting', { timeout: 5000 });
  expect(el.shadowRoot!.querySelectorAll('button.launcher')).to.have.length(1);
  expect(el.shadowRoot!.contains(early)).to.equal(false);
  el.remove();
});
