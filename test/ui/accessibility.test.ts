/**
 * Accessibility and isolation, as a keyboard or screen-reader user and a host page would meet
 * them: axe in every state, keyboard-only use with real key presses, focus that stays put,
 * right-to-left layout, and hostile page CSS that neither breaks the widget nor is broken by it.
 */
import { expect, fixture, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { startBrowserMock } from '../../mock-server/browser.js';
import { Clock } from '../../mock-server/runtime/clock.js';
import type { CecChatElement } from '../../widget/ui/chat/cec-chat.component.js';
import { $, accessible, chatWithAgent, liveTextsAround, openWidget, shadow, textOf, transcriptText, type, until } from './helpers.js';
import { manualClock, openWithClock } from './manual-clock.js';

const clock = new Clock('manual', Date.parse('2026-11-25T10:00:00Z'));
const { cc, worker } = await startBrowserMock({ clock });
after(() => worker.stop());
afterEach(() => {
  for (const s of cc.allSessions()) cc.end(s, 'customer');
  cc.store.reset();
  clock.advance(60_000);
});

const deepActive = (el: CecChatElement) => shadow(el).activeElement as HTMLElement | null;

describe('accessibility: axe finds no violations', () => {
  it('in every state of a chat: bot, queue, agent (typing), idle warning, ended with rating', async () => {
    cc.desk.signIn('alice');
    cc.desk.setReady('alice', true);
    const el = await openWidget();
    await accessible(el);
    await type(el, 'agent');
    await until(() => $(el, '[part="queue"]') !== null, 'queue');
    await accessible(el);
    cc.desk.accept('alice');
    cc.desk.typing('alice', true);
    await until(() => textOf(el, '.typing').includes('Alice is typing'), 'typing indicator');
    await accessible(el);
    clock.advance(18 * 60_000);
    await until(() => $(el, '[part="idle-warning"]') !== null, 'idle warning');
    await accessible(el);
    cc.desk.end('alice');
    await until(() => $(el, '[part="evaluation"]') !== null, 'rating form');
    await accessible(el);
  });

  it('outside work time, and when the chat cannot start', async () => {
    cc.store.update('channels', 'demo', {
      workTime: { timeZone: 'UTC', workdays: [1], workday: [{ start: '00:00', end: '00:01' }], nonWorkday: [], nonWorkingNotice: 'Closed today.' },
    });
    const off = await openWidget({ ready: (e) => $(e, '[part="offhours"]') !== null });
    await accessible(off);
    const broken = await fixture<CecChatElement>(html`<cec-chat channel-id="no-such-channel" user-id="x" locale="en" open></cec-chat>`);
    await until(() => $(broken, '.error') !== null, 'error shown');
    expect(textOf(broken, '.error')).to.contain('The chat could not start. Please try again in a moment.');
    await accessible(broken);
  });
});

describe('live regions: a countdown ticking is not news', () => {
  it('the idle warning counts down on screen without reading the countdown out every second', async () => {
    const time = manualClock(clock.now());
    const el = await openWithClock(time);
    clock.advance(18 * 60_000); // the mock's idle rule warns 2 minutes before its 20
    await until(() => $(el, '[part="idle-warning"]') !== null, 'idle warning');
    time.advance(65_000); // under a minute left: the countdown shows seconds
    await el.updateComplete;
    const banner = $(el, '[part="idle-warning"]')!;
    expect(textOf(el, '[part="idle-warning"]')).to.match(/close in 55 s/);
    const before = liveTextsAround(el, banner);
    time.advance(1000);
    await el.updateComplete;
    expect(textOf(el, '[part="idle-warning"]'), 'the countdown still moves on screen').to.match(/close in 54 s/);
    expect(liveTextsAround(el, banner)).to.deep.equal(before);
  });
});

describe('keyboard only', () => {
  it('open, chat, transfer, close with Escape: focus goes where the user expects', async () => {
    cc.desk.signIn('alice');
    sessionStorage.clear();
    const el = await fixture<CecChatElement>(html`<cec-chat channel-id="demo" user-id=${`kbd-${Date.now()}`} locale="en"></cec-chat>`);
    $<HTMLButtonElement>(el, 'button.launcher')!.focus();
    await sendKeys({ press: 'Enter' });
    await until(() => transcriptText(el).includes("Hi, I'm Ava"), 'greeting');
    await until(() => deepActive(el)?.getAttribute('name') === 'message', 'focus in the message box');

    await sendKeys({ type: 'refund please' });
    await sendKeys({ press: 'Enter' });
    await until(() => transcriptText(el).includes('Refunds are paid'), 'answer');
    expect(deepActive(el)?.getAttribute('name'), 'focus stays in the message box after sending').to.equal('message');

    await sendKeys({ type: 'line one' });
    await sendKeys({ down: 'Shift' });
    await sendKeys({ press: 'Enter' });
    await sendKeys({ up: 'Shift' });
    await sendKeys({ type: 'line two' });
    expect($<HTMLTextAreaElement>(el, 'textarea[name="message"]')!.value).to.equal('line one\nline two');

    await sendKeys({ down: 'Shift' });
    await sendKeys({ press: 'Tab' });
    await sendKeys({ up: 'Shift' });
    expect(deepActive(el)?.textContent?.trim()).to.equal('Talk to an agent');
    await sendKeys({ press: 'Enter' });
    await until(() => $(el, '[part="queue"]') !== null, 'queued by keyboard');
    expect(deepActive(el)?.getAttribute('name'), 'focus moved to the message box when the button went away').to.equal('message');

    await sendKeys({ press: 'Escape' });
    await until(() => !el.open, 'closed');
    expect(deepActive(el)).to.equal($(el, 'button.launcher'));
  });

  it('a message arriving never steals focus from where the user put it', async () => {
    const el = await chatWithAgent(cc, 'alice');
    await until(() => textOf(el, 'h1').includes('Alice'), 'agent');
    const transcript = $(el, '.transcript')!;
    transcript.focus();
    cc.desk.send('alice', 'A new message');
    await until(() => transcriptText(el).includes('A new message'), 'arrived');
    expect(deepActive(el)).to.equal(transcript);
    expect($(el, '.transcript')!.getAttribute('role')).to.equal('log');
    expect($(el, '.transcript')!.getAttribute('aria-live')).to.equal('polite');
  });
});

describe('focus when the chat ends under it', () => {
  it('the agent ends the chat while the customer types: focus stays in the chat, on "Start a new chat"', async () => {
    const el = await chatWithAgent(cc, 'alice');
    await until(() => textOf(el, 'h1').includes('Alice'), 'agent');
    $<HTMLTextAreaElement>(el, 'textarea[name="message"]')!.focus();
    await sendKeys({ type: 'one more que' });
    cc.desk.end('alice');
    await until(() => $(el, '[part="ended"]') !== null, 'ended');
    await el.updateComplete;
    expect(deepActive(el)?.textContent?.trim(), 'focus is not dropped to the page').to.equal('Start a new chat');
  });
});

describe('layout and isolation', () => {
  it('right-to-left: Arabic strings, rtl direction, launcher in the start corner', async () => {
    const el = await openWidget({ locale: 'ar', ready: (e) => transcriptText(e).includes("Hi, I'm Ava") });
    expect($(el, '.root')!.getAttribute('dir')).to.equal('rtl');
    expect(textOf(el, 'button.chip')).to.equal('التحدث إلى موظف');
    const launcher = $(el, 'button.launcher')!.getBoundingClientRect();
    expect(launcher.left).to.be.lessThan(innerWidth / 2);
  });

  it('hostile page CSS cannot break the widget, and the widget’s CSS does not leak out', async () => {
    const style = document.createElement('style');
    style.textContent = `* { font-size: 40px !important; color: red !important; line-height: 5 !important; }
      button { display: none !important; } .panel, .launcher { display: none !important; } ol, li { list-style: square !important; }`;
    document.head.append(style);
    const hostButton = document.createElement('button');
    hostButton.className = 'launcher';
    document.body.append(hostButton);
    try {
      const el = await openWidget();
      const launcher = $(el, 'button.launcher')!;
      expect(getComputedStyle(launcher).display).to.not.equal('none');
      expect(launcher.getBoundingClientRect().width).to.equal(56);
      expect(getComputedStyle($(el, '.panel')!).display).to.equal('flex');
      expect(getComputedStyle($(el, 'h1')!).fontSize).to.equal('16px');
      // The page's own elements keep the page's styles: nothing of ours leaked onto them.
      expect(getComputedStyle(hostButton).borderRadius).to.equal('0px');
      expect(getComputedStyle(hostButton).display).to.equal('none');
    } finally {
      style.remove();
      hostButton.remove();
    }
  });

  it('on a phone the panel fills the screen and inputs are 16px (no zoom on focus)', async () => {
    const { setViewport } = await import('@web/test-runner-commands');
    await setViewport({ width: 375, height: 667 });
    try {
      const el = await openWidget();
      const panel = $(el, '.panel')!.getBoundingClientRect();
      expect([panel.width, panel.height]).to.deep.equal([375, 667]);
      expect(getComputedStyle($(el, 'textarea[name="message"]')!).fontSize).to.equal('16px');
      expect(getComputedStyle(document.body).overflow).to.not.equal('hidden');
    } finally {
      await setViewport({ width: 800, height: 600 });
    }
  });
});
