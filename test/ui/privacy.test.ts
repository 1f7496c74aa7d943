/**
 * Issue 13 case 1 in the browser: on a shared computer the next visitor sees nothing of an
 * ended chat, and logout (the element's method, `CecChat('logout')`, `CecChat('destroy')`)
 * removes everything the widget stored.
 */
import { expect, fixture, html } from '@open-wc/testing';
import { startBrowserMock } from '../../mock-server/browser.js';
import { Clock } from '../../mock-server/runtime/clock.js';
import type { CecChatElement } from '../../widget/ui/chat/cec-chat.component.js';
import { $, click, transcriptText, type, until } from './helpers.js';

const clock = new Clock('manual', Date.parse('2026-11-25T12:00:00Z'));
const { worker } = await startBrowserMock({ clock });
after(() => worker.stop());

const stored = () => [...Object.keys(localStorage), ...Object.keys(sessionStorage)].filter((k) => k.startsWith('cec-chat:'));

/** An anonymous visitor (no user id) opens the widget and writes. */
async function visit(): Promise<CecChatElement> {
  const el = await fixture<CecChatElement>(html`<cec-chat channel-id="demo" locale="en"></cec-chat>`);
  el.show();
  await until(() => transcriptText(el).includes("Hi, I'm Ava"), 'greeting');
  return el;
}

describe('privacy on a shared computer', () => {
  beforeEach(() => {
    localStorage.clear();
    sessionStorage.clear();
  });

  it('an ended chat is never shown to the next visitor: a new chat starts', async () => {
    const first = await visit();
    await type(first, 'my order number is 123');
    await until(() => transcriptText(first).includes('my order number is 123'), 'sent');
    await click(first, 'End chat');
    await until(() => !!$(first, '[part="ended"]'), 'ended');
    first.remove(); // the page is reloaded by the next visitor
    const next = await fixture<CecChatElement>(html`<cec-chat channel-id="demo" locale="en"></cec-chat>`);
    // The ended chat does not reopen the panel by itself (that would start a chat nobody asked for).
    await next.updateComplete;
    expect(next.open).to.equal(false);
    next.show();
    await until(() => next.open && transcriptText(next).includes("Hi, I'm Ava"), 'a new chat');
    expect(transcriptText(next)).not.to.contain('my order number is 123');
    next.remove();
  });

  it('an ended chat does not reopen the panel after a reload even once the customer closed and opened it again; a new chat does', async () => {
    const openFlag = () => sessionStorage.getItem('cec-chat:demo:open');
    const first = await visit();
    await click(first, 'End chat');
    await until(() => !!$(first, '[part="ended"]'), 'ended');
    await until(() => openFlag() === '0', 'the open flag cleared when the chat ended');
    // The customer closes the panel and opens it again: the ended chat is shown, nothing is stored as open.
    first.hide();
    await first.updateComplete;
    first.show();
    await until(() => !!$(first, '[part="ended"]'), 'the ended chat shown again');
    expect(openFlag()).to.equal('0');
    first.remove(); // reload
    const second = await fixture<CecChatElement>(html`<cec-chat channel-id="demo" locale="en"></cec-chat>`);
    await second.updateComplete;
    expect(second.open).to.equal(false);
    // A new chat started in the page reopens after a reload again.
    second.show();
    await until(() => !!$(second, '[part="ended"]') || transcriptText(second).includes("Hi, I'm Ava"), 'shown');
    if ($(second, '[part="ended"]')) await click(second, 'Start a new chat');
    await until(() => openFlag() === '1', 'the new chat is stored as open');
    second.remove();
    const third = await fixture<CecChatElement>(html`<cec-chat channel-id="demo" locale="en"></cec-chat>`);
    await until(() => third.open, 'the new chat reopened');
    third.remove();
  });

  it('a panel open a day ago does not reopen by itself: what was kept expired 24 hours after the last activity', async () => {
    const first = await visit();
    await type(first, 'yesterday');
    await until(() => transcriptText(first).includes('yesterday'), 'sent');
    first.remove();
    expect(sessionStorage.getItem('cec-chat:demo:open')).to.equal('1');
    localStorage.setItem('cec-chat:demo:activity', String(Date.now() - 25 * 3600_000));
    const next = await fixture<CecChatElement>(html`<cec-chat channel-id="demo" locale="en"></cec-chat>`);
    await next.updateComplete;
    expect(next.open).to.equal(false);
    next.remove();
  });

  it('the element method logout() removes everything the widget stored and closes the panel', async () => {
    const el = await visit();
    await type(el, 'hello');
    await until(() => stored().length >= 3, 'stored: anonymous id, session, open panel');
    await el.logout();
    expect(stored()).to.deep.equal([]);
    expect(el.open).to.equal(false);
    el.remove();
  });

  it('the element method destroy() leaves nothing behind either; removing the element keeps the chat for the next page', async () => {
    const el = await visit();
    await type(el, 'hello');
    await until(() => stored().length >= 3, 'stored: anonymous id, session, open panel');
    el.remove(); // a navigation or a framework unmount: the next page resumes
    expect(stored().length).to.be.at.least(3);
    await el.destroy();
    expect(stored()).to.deep.equal([]);
  });

  it("CecChat('logout') and CecChat('destroy') remove everything, whether or not the widget is mounted", async () => {
    await import('../../widget/script-tag.js');
    const api = window.CecChat as (method: string, ...args: unknown[]) => unknown;
    const el = api('init', { channelId: 'demo', locale: 'en', open: true }) as CecChatElement;
    await until(() => transcriptText(el).includes("Hi, I'm Ava"), 'greeting');
    await until(() => stored().length > 0, 'stored');
    await api('logout');
    expect(stored()).to.deep.equal([]);
    el.show();
    await until(() => stored().length > 0, 'a new visitor stores again');
    await api('destroy');
    expect(stored()).to.deep.equal([]);
    expect(document.querySelector('cec-chat')).to.equal(null);
  });
});
