/**
 * Issue 12 in the browser: offline noticed at once (case 5), a reload keeps the open panel and
 * the draft (case 6), and a message read in one tab is read in all (case 17). Two widgets of
 * one customer in one page stand in for two tabs (BroadcastChannel and Web Locks work the same).
 */
import { expect, fixture, html } from '@open-wc/testing';
import { startBrowserMock } from '../../mock-server/browser.js';
import { Clock } from '../../mock-server/runtime/clock.js';
import type { CecChatElement } from '../../widget/ui/chat/cec-chat.component.js';
import { $, fill, textOf, transcriptText, type, until } from './helpers.js';

const clock = new Clock('manual', Date.parse('2026-11-25T11:00:00Z'));
const { cc, worker } = await startBrowserMock({ clock });
after(() => worker.stop());

const mount = (userId: string) => fixture<CecChatElement>(html`<cec-chat channel-id="demo" user-id=${userId} locale="en"></cec-chat>`);

/** A fetch whose next /poll hangs (a half-open connection after the laptop slept) until aborted. */
function sleepyFetch() {
  const state = { hangNextPoll: false, hung: 0 };
  const fn: typeof fetch = (input, init) => {
    if (state.hangNextPoll && String(input instanceof Request ? input.url : input).includes('/poll')) {
      state.hangNextPoll = false;
      state.hung++;
      return new Promise((_, reject) => init?.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError'))));
    }
    return fetch(input, init);
  };
  return { fn, state };
}

describe('issue 12 in the browser', () => {
  it('case 1: after sleep, the online event aborts the dead poll and the agent’s message shows', async () => {
    sessionStorage.clear();
    cc.desk.signIn('alice');
    cc.desk.setReady('alice', true);
    const net = sleepyFetch();
    const el = await fixture<CecChatElement>(html`<cec-chat channel-id="demo" user-id=${`sleepy-${Date.now()}`} locale="en" .fetchImpl=${net.fn}></cec-chat>`);
    el.show();
    await until(() => transcriptText(el).includes("Hi, I'm Ava"), 'greeting');
    await type(el, 'agent please');
    await until(() => cc.desk.snapshot('alice').waiting.length > 0, 'queued');
    cc.desk.accept('alice', cc.desk.snapshot('alice').waiting.at(-1)!.sessionId);
    await until(() => transcriptText(el).includes('joined the chat'), 'agent joined');
    net.state.hangNextPoll = true;
    cc.desk.send('alice', 'Before you slept');
    await until(() => net.state.hung === 1, 'the poll hangs');
    cc.desk.send('alice', 'While you slept');
    dispatchEvent(new Event('online'));
    await until(() => transcriptText(el).includes('While you slept'), 'the message shows after the wake-up');
    cc.desk.end('alice');
    clock.advance(10_000);
    cc.desk.signOut('alice');
    el.remove();
  });

  it('case 5: the offline event shows the connection as lost at once', async () => {
    sessionStorage.clear();
    const el = await mount(`offline-${Date.now()}`);
    el.show();
    await until(() => transcriptText(el).includes("Hi, I'm Ava"), 'greeting');
    expect(textOf(el, '.conn')).to.equal('Online');
    dispatchEvent(new Event('offline'));
    await el.updateComplete;
    expect(textOf(el, '.conn')).to.equal('Connection lost. Reconnecting…');
  });

  it('case 6: a reload keeps the open panel and the unsent draft', async () => {
    sessionStorage.clear();
    const userId = `draft-${Date.now()}`;
    const first = await mount(userId);
    first.show();
    await until(() => transcriptText(first).includes("Hi, I'm Ava"), 'greeting');
    await fill(first, 'textarea[name="message"]', 'half a thought');
    first.remove(); // the page goes away
    const second = await mount(userId);
    await until(() => second.open && !!$(second, 'textarea[name="message"]'), 'reopened');
    expect($<HTMLTextAreaElement>(second, 'textarea[name="message"]')!.value).to.equal('half a thought');
    await type(second, 'refund');
    await until(() => transcriptText(second).includes('Refunds are paid'), 'sent');
    expect(sessionStorage.getItem('cec-chat:demo:draft')).to.equal(null);
    second.remove();
  });

  it('case 17: a message read in one tab is read in all (no badge in the other tab)', async () => {
    sessionStorage.clear();
    const userId = `seen-${Date.now()}`;
    cc.desk.signIn('alice');
    cc.desk.setReady('alice', true);
    const a = await mount(userId);
    a.show();
    await until(() => transcriptText(a).includes("Hi, I'm Ava"), 'greeting in A');
    const b = await mount(userId);
    b.show();
    await until(() => transcriptText(b).includes("Hi, I'm Ava"), 'greeting in B');
    b.hide(); // B minimised: its panel is closed
    await type(a, 'agent please');
    await until(() => cc.desk.snapshot('alice').waiting.length > 0, 'queued');
    cc.desk.accept('alice', cc.desk.snapshot('alice').waiting.at(-1)!.sessionId);
    await until(() => transcriptText(a).includes('joined the chat'), 'agent joined');
    cc.desk.send('alice', 'First reply');
    cc.desk.send('alice', 'Second reply');
    await until(() => transcriptText(a).includes('Second reply'), 'A shows both replies');
    await until(() => b.sessionState?.transcript.some((m) => m.text === 'Second reply') ?? false, 'B has them too');
    await until(() => $(b, '[part="badge"]') === null, 'B shows no unread badge');
    expect($(b, 'button.launcher')!.getAttribute('aria-label')).to.equal('Open chat');
    cc.desk.end('alice');
    clock.advance(10_000);
    cc.desk.signOut('alice');
    a.remove();
    b.remove();
  });
});
