/**
 * <cec-chat> in Chromium against the mock contact center running in MSW's service worker,
 * asserting what a customer sees and can do.
 */
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import type { CecChatElement } from '../../widget/ui/chat/cec-chat.component.js';
import { startBrowserMock } from '../../mock-server/browser.js';
import { Clock } from '../../mock-server/runtime/clock.js';
import { $, accessible, chatWithAgent, click, openWidget, shadow, transcriptText, type } from './helpers.js';

const clock = new Clock('manual', Date.parse('2026-11-25T10:00:00Z'));
const { cc, worker } = await startBrowserMock({ clock });
after(() => worker.stop());

describe('<cec-chat>', () => {
  it('opens from the launcher, greets with the chatbot and answers a keyword', async () => {
    const el = await openWidget();
    expect($(el, 'button.launcher')!.getAttribute('aria-expanded')).to.equal('true');
    expect($(el, 'h1')!.textContent).to.contain('Ava');
    await type(el, 'what are your opening hours?');
    await waitUntil(() => transcriptText(el).includes('Monday to Friday'), 'keyword answer');
    expect($<HTMLTextAreaElement>(el, 'textarea[name="message"]')!.value).to.equal('');
  });

  it('transfers on a keyword, queues, and chats with the agent who accepts', async () => {
    cc.desk.signIn('alice');
    cc.desk.setReady('alice', true);
    const el = await openWidget();
    await type(el, 'I need an Agent');
    await waitUntil(() => $(el, '[part="queue"]') !== null, 'the queue card');
    expect($(el, '[part="queue"]')!.textContent).to.contain('next in line');

    cc.desk.accept('alice');
    await waitUntil(() => transcriptText(el).includes('Alice (employee ID 10021) joined the chat.'), 'agent joined');
    expect($(el, 'h1')!.textContent).to.contain('Alice');

    cc.desk.send('alice', 'Hello, how can I help?');
    await waitUntil(() => transcriptText(el).includes('Hello, how can I help?'), 'agent message');
    await type(el, 'Where is my parcel?');
    await waitUntil(() => cc.desk.snapshot('alice').session?.messages.some((m) => m.content === 'Where is my parcel?') ?? false, 'the agent receives it');

    cc.desk.end('alice');
    await waitUntil(() => $(el, '[part="ended"]') !== null, 'ended card');
    expect($(el, '[part="ended"]')!.textContent).to.contain('The agent ended the chat.');
    expect($(el, '[part="evaluation"]')).to.not.equal(null);
    clock.advance(10_000);
  });

  it('renders remote HTML as inert text and only http(s) links', async () => {
    cc.desk.signIn('alice');
    cc.desk.setReady('alice', true);
    const el = await openWidget();
    await type(el, 'agent');
    await waitUntil(() => cc.desk.snapshot('alice').waiting.length > 0, 'queued');
    cc.desk.accept('alice');
    await waitUntil(() => transcriptText(el).includes('joined the chat'), 'agent joined');
    cc.desk.send('alice', '<img src=x onerror="window.pwned=1"> javascript:alert(1) see https://example.com/help.');
    await waitUntil(() => transcriptText(el).includes('<img src=x'), 'the raw text is shown');
    expect(shadow(el).querySelector('.transcript img')).to.equal(null);
    const links = [...shadow(el).querySelectorAll<HTMLAnchorElement>('.transcript a')].map((a) => [a.href, a.rel]);
    expect(links).to.deep.equal([['https://example.com/help', 'noopener noreferrer nofollow']]);
    expect((window as unknown as { pwned?: number }).pwned).to.equal(undefined);
    cc.desk.end('alice');
    clock.advance(10_000);
  });

  it('keeps very long words and control characters inside the bubble, as plain text', async () => {
    const el = await chatWithAgent(cc, 'alice');
    const word = 'x'.repeat(3000);
    cc.desk.send('alice', `start\u0000\u0007\u202Eevil ${word} end`);
    await waitUntil(() => transcriptText(el).includes(' end'), 'arrived');
    const bubble = [...shadow(el).querySelectorAll<HTMLElement>('.msg.agent .bubble')].at(-1)!;
    expect(bubble.textContent).to.contain('startevil ');
    expect(bubble.textContent).to.not.match(/[\u0000\u0007\u202E]/);
    const panel = $(el, '.panel')!.getBoundingClientRect();
    expect(bubble.getBoundingClientRect().right).to.be.at.most(panel.right);
    cc.desk.end('alice');
    clock.advance(10_000);
  });

  it('tells the host page what happens, with typed events', async () => {
    const seen: string[] = [];
    const el = await openWidget();
    el.addEventListener('cec-queue-position', (e) => seen.push(`queue ${e.detail.position}`));
    el.addEventListener('cec-state-change', (e) => seen.push(`${e.detail.previous}→${e.detail.phase}`));
    el.addEventListener('cec-session-end', (e) => seen.push(`end ${e.detail.reason}`));
    cc.desk.signIn('alice');
    await type(el, 'agent');
    await waitUntil(() => seen.includes('bot→queue'), 'queued');
    await click(el, 'End chat');
    await waitUntil(() => seen.includes('end customer'), 'ended');
    expect(seen).to.include.members(['queue 1', 'bot→queue', 'queue→ended', 'end customer']);
    cc.desk.signOut('alice');
  });

  it('a long transcript renders the latest messages and earlier ones on demand, keeping the place', async () => {
    cc.desk.signIn('alice');
    cc.desk.setReady('alice', true);
    const el = await openWidget();
    await type(el, 'agent');
    await waitUntil(() => cc.desk.snapshot('alice').waiting.length > 0, 'queued');
    cc.desk.accept('alice', cc.desk.snapshot('alice').waiting.at(-1)!.sessionId);
    for (let i = 0; i < 400; i++) cc.desk.send('alice', `Line ${i}`);
    await waitUntil(() => transcriptText(el).includes('Line 399'), 'latest');
    const total = el.sessionState!.transcript.length;
    // The latest 150 and the rest of their first block of 25 (the window starts at a block).
    const from = (shown: number) => Math.floor((total - shown) / 25) * 25;
    expect(shadow(el).querySelectorAll('[role=listitem]').length).to.equal(total - from(150));
    const earlier = [...shadow(el).querySelectorAll('button')].find((b) => b.textContent?.startsWith('Show earlier messages'))!;
    expect(earlier.textContent).to.equal(`Show earlier messages (${from(150)})`);
    earlier.click();
    await el.updateComplete;
    expect(shadow(el).querySelectorAll('[role=listitem]').length).to.equal(total - from(300));
    cc.desk.end('alice');
    clock.advance(10_000);
  });

  it('closes with Escape and gives focus back to the launcher', async () => {
    const el = await openWidget();
    $<HTMLTextAreaElement>(el, 'textarea[name="message"]')!.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, composed: true }));
    await el.updateComplete;
    expect(el.open).to.equal(false);
    expect(shadow(el).activeElement).to.equal($(el, 'button.launcher'));
  });

  it('is accessible (axe) while chatting with the bot', async () => {
    const el = await openWidget();
    await accessible(el);
  });

  it('writes nothing to storage before the visitor opens it', async () => {
    localStorage.clear();
    sessionStorage.clear();
    const el = await fixture<CecChatElement>(html`<cec-chat channel-id="demo" locale="en"></cec-chat>`);
    await el.updateComplete;
    expect(Object.keys(localStorage).filter((k) => k.startsWith('cec-chat'))).to.deep.equal([]);
    $<HTMLButtonElement>(el, 'button.launcher')!.click();
    await waitUntil(() => transcriptText(el).includes("Hi, I'm Ava"), 'greeting');
    expect(Object.keys(localStorage).some((k) => k.startsWith('cec-chat'))).to.equal(true);
  });

  it('after a reload the chat reopens with its transcript', async () => {
    const userId = `reload-${Date.now()}`;
    sessionStorage.clear();
    const mount = () => fixture<CecChatElement>(html`<cec-chat channel-id="demo" user-id=${userId} locale="en"></cec-chat>`);
    const first = await mount();
    $<HTMLButtonElement>(first, 'button.launcher')!.click();
    await waitUntil(() => transcriptText(first).includes("Hi, I'm Ava"), 'greeting');
    await type(first, 'refund');
    await waitUntil(() => transcriptText(first).includes('Refunds are paid'), 'answer');
    first.remove(); // the page goes away: work stops, what is stored stays for the next page
    const second = await mount();
    await waitUntil(() => second.open && transcriptText(second).includes('Refunds are paid'), 'reopened with the transcript');
    expect(transcriptText(second).split('Refunds are paid').length).to.equal(2);
  });

  it('counts unread messages on the launcher while closed, and clears them on open', async () => {
    const el = await chatWithAgent(cc, 'bob');
    el.hide();
    await el.updateComplete;
    cc.desk.send('bob', 'First answer');
    cc.desk.send('bob', 'Second answer');
    await waitUntil(() => $(el, '[part="badge"]')?.textContent === '2', 'badge shows 2');
    expect($(el, 'button.launcher')!.getAttribute('aria-label')).to.equal('Open chat (2 unread messages)');
    el.show();
    await el.updateComplete;
    expect($(el, '[part="badge"]')).to.equal(null);
    cc.desk.end('bob');
    clock.advance(10_000);
    cc.desk.signOut('bob');
  });

  it('theme is a reflected property; cec-* listeners receive typed details', async () => {
    const el = await fixture<CecChatElement>(html`<cec-chat channel-id="demo" locale="en"></cec-chat>`);
    expect(el.getAttribute('theme')).to.equal('auto');
    el.theme = 'dark';
    await el.updateComplete;
    expect(el.getAttribute('theme')).to.equal('dark');
    const seen: string[] = [];
    el.addEventListener('cec-state-change', (e) => seen.push(`${e.detail.previous}→${e.detail.phase}`));
    el.show();
    await waitUntil(() => seen.includes('closed→starting'), 'typed state change');
  });
});
