/**
 * A page that names its customer after the widget has started (a reload reopens the panel as an
 * anonymous visitor, then the page calls `CecChat('init', {userId})`, or sets `user-id`): the
 * running session stops and one starts for the named customer. Nobody writes into, or reads,
 * another customer's chat.
 */
import { expect, fixture, html } from '@open-wc/testing';
import { startBrowserMock } from '../../mock-server/browser.js';
import { Clock } from '../../mock-server/runtime/clock.js';
import type { CecChatElement } from '../../widget/ui/chat/cec-chat.component.js';
import { transcriptText, type, until } from './helpers.js';

const clock = new Clock('manual', Date.parse('2026-11-25T03:00:00Z'));
const { cc, worker } = await startBrowserMock({ clock });
after(() => worker.stop());

const customerTexts = (userId: string) =>
  cc
    .findStream('demo', userId)
    ?.messages.filter((m) => m.sourceType === 'CUSTOMER' && m.controlType === 'CHAT')
    .map((m) => m.content) ?? [];

describe('the customer named after the widget started', () => {
  beforeEach(() => {
    localStorage.clear();
    sessionStorage.clear();
  });

  it('a user id set on a running anonymous session starts the named customer’s own chat', async () => {
    const el = await fixture<CecChatElement>(html`<cec-chat channel-id="demo" locale="en"></cec-chat>`);
    el.show();
    await until(() => transcriptText(el).includes("Hi, I'm Ava"), 'the anonymous greeting');
    await type(el, 'written before logging in');
    await until(() => transcriptText(el).includes('written before logging in'), 'sent as the visitor');

    const member = `member-${Date.now()}`;
    el.userId = member;
    await until(() => !!cc.findStream('demo', member), 'a session for the named customer');
    await until(() => transcriptText(el).includes("Hi, I'm Ava") && !transcriptText(el).includes('written before logging in'), 'the named customer’s own chat');
    await type(el, 'written as the member');
    await until(() => customerTexts(member).includes('written as the member'), 'sent as the member');
    expect(customerTexts(member)).to.deep.equal(['written as the member']);
    expect(el.open).to.equal(true);
  });

  it('a panel reopened after a reload belongs to the customer the page names, not to an anonymous visitor', async () => {
    sessionStorage.setItem('cec-chat:demo:open', '1'); // this tab had the panel open before the reload
    localStorage.setItem('cec-chat:demo:activity', String(Date.now())); // and chatted a moment ago
    const el = await fixture<CecChatElement>(html`<cec-chat channel-id="demo" locale="en"></cec-chat>`);
    // The widget resumes on its own (the panel was open); the page names its customer a moment later.
    await until(() => el.open && transcriptText(el).includes("Hi, I'm Ava"), 'reopened');
    const member = `member-r-${Date.now()}`;
    el.userId = member;
    await until(() => !!cc.findStream('demo', member), 'a session for the named customer');
    await type(el, 'hello from the member');
    await until(() => customerTexts(member).includes('hello from the member'), 'sent as the member');
  });
});
