/**
 * What customers hit (issue 12, the widget's cases), each as the customer meets it, in Chromium
 * against the mock in MSW's worker. Time that matters is a clock the test moves: the mock's for
 * the contact center, a manual one injected into the widget for its own countdowns and timers.
 */
import { expect } from '@open-wc/testing';
import { sendKeys, setViewport } from '@web/test-runner-commands';
import { startBrowserMock } from '../../mock-server/browser.js';
import { Clock } from '../../mock-server/runtime/clock.js';
import type { CecChatElement } from '../../widget/ui/chat/cec-chat.component.js';
import { registerTranslation } from '../../widget/ui/i18n/index.js';
import { $, accessible, click, fill, openWidget, shadow, textOf, transcriptText, type, until } from './helpers.js';
import { manualClock, openWithClock } from './manual-clock.js';

const clock = new Clock('manual', Date.parse('2026-11-25T10:00:00Z'));
const { cc, worker } = await startBrowserMock({ clock });
after(() => worker.stop());
afterEach(async () => {
  for (const s of cc.allSessions()) cc.end(s, 'customer');
  cc.store.reset();
  clock.advance(60_000);
  await setViewport({ width: 800, height: 600 });
});

async function toAgent(el: CecChatElement, account = 'alice'): Promise<void> {
  cc.desk.signIn(account);
  cc.desk.setReady(account, true);
  await type(el, 'agent please');
  await until(() => cc.desk.snapshot(account).waiting.length > 0, 'queued');
  cc.desk.accept(account, cc.desk.snapshot(account).waiting.at(-1)!.sessionId);
  await until(() => transcriptText(el).includes('joined the chat'), 'agent joined');
}

const customerMessages = (el: CecChatElement) => shadow(el).querySelectorAll('.msg.mine').length;

/** Whether a control can be seen and reached: inside the panel, not clipped by a scroller, on top. */
function inSight(el: CecChatElement, control: Element): boolean {
  const r = control.getBoundingClientRect();
  if (r.width === 0 || r.height === 0) return false;
  for (let p = control.parentElement; p; p = p.parentElement) {
    const style = getComputedStyle(p);
    if (/(auto|scroll|hidden)/.test(style.overflowY) || p.classList.contains('panel')) {
      const box = p.getBoundingClientRect();
      if (r.top < box.top - 1 || r.bottom > box.bottom + 1) return false;
    }
  }
  const hit = shadow(el).elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
  return !!hit && (hit === control || control.contains(hit));
}

const button = (el: CecChatElement, name: string) => [...shadow(el).querySelectorAll('button')].find((b) => b.textContent?.trim() === name);
const occurrences = (text: string, part: string) => text.split(part).length - 1;
/** The panel's text a sighted customer sees (not what is there for screen readers only). */
const seenText = (el: CecChatElement) => {
  const parts: string[] = [];
  const walk = document.createTreeWalker($(el, '.panel')!, NodeFilter.SHOW_TEXT);
  for (let n = walk.nextNode(); n; n = walk.nextNode()) if (!n.parentElement!.closest('.sr')) parts.push(n.textContent!);
  return parts.join(' ');
};
/** The panel's text a screen reader reads (not what is hidden from it). */
const readText = (el: CecChatElement) => {
  const parts: string[] = [];
  const walk = document.createTreeWalker($(el, '.panel')!, NodeFilter.SHOW_TEXT);
  for (let n = walk.nextNode(); n; n = walk.nextNode()) if (!n.parentElement!.closest('[aria-hidden="true"]')) parts.push(n.textContent!);
  return parts.join(' ');
};

describe('7. input methods (IME)', () => {
  it("Safari's order — compositionstart, compositionend, then Enter with isComposing false and keyCode 229 — does not send", async () => {
    const el = await openWidget();
    const box = $<HTMLTextAreaElement>(el, 'textarea[name="message"]')!;
    await fill(el, 'textarea[name="message"]', 'nihao');
    const enter = (init: KeyboardEventInit) => box.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, composed: true, cancelable: true, ...init }));
    box.dispatchEvent(new CompositionEvent('compositionstart', { bubbles: true, composed: true }));
    enter({ isComposing: false, keyCode: 13 }); // a browser that marks nothing while composing
    box.dispatchEvent(new CompositionEvent('compositionend', { data: '你好', bubbles: true, composed: true }));
    enter({ isComposing: false, keyCode: 229 }); // Safari: after compositionend, keyCode 229
    enter({ isComposing: true, keyCode: 229 }); // Chrome and Firefox
    await el.updateComplete;
    expect(box.value).to.equal('nihao');
    expect(customerMessages(el)).to.equal(0);
    enter({ keyCode: 13 }); // the customer's own Enter, after composing
    await until(() => customerMessages(el) === 1, 'sent by a real Enter');
  });

  const pressEscape = (box: HTMLElement, init: KeyboardEventInit) => box.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, composed: true, cancelable: true, ...init }));
  /** The Escape that cancels an input method's candidates, as Chrome and Firefox send it, then as Safari does. */
  const escapeComposition = (box: HTMLElement) => {
    pressEscape(box, { isComposing: true, keyCode: 229 });
    pressEscape(box, { isComposing: false, keyCode: 229 });
  };

  it('the Escape that cancels a composition closes the candidate list, not the chat; the next Escape closes it', async () => {
    const el = await openWidget();
    const box = $<HTMLTextAreaElement>(el, 'textarea[name="message"]')!;
    await fill(el, 'textarea[name="message"]', 'zhong');
    box.dispatchEvent(new CompositionEvent('compositionstart', { bubbles: true, composed: true }));
    escapeComposition(box);
    box.dispatchEvent(new CompositionEvent('compositionend', { data: '', bubbles: true, composed: true }));
    await el.updateComplete;
    expect(el.open, 'still open after the composition was cancelled').to.equal(true);
    pressEscape(box, { keyCode: 27 });
    await until(() => !el.open, 'closed by the Escape after it');
  });

  it("the same in the panel's first frame (its language still loading): the composition's Escape keeps it open, the next closes it", async () => {
    registerTranslation('x-held', () => new Promise(() => {})); // never arrives: the first frame stays
    const el = document.createElement('cec-chat') as CecChatElement;
    el.setAttribute('channel-id', 'demo');
    el.setAttribute('user-id', `early-escape-${Date.now()}`);
    el.setAttribute('locale', 'x-held');
    document.body.append(el);
    try {
      await el.updateComplete;
      $<HTMLButtonElement>(el, 'button.launcher')!.click();
      await until(() => $(el, '.early textarea') !== null, 'the first frame');
      const box = $<HTMLTextAreaElement>(el, '.early textarea')!;
      escapeComposition(box);
      await el.updateComplete;
      expect(el.open, 'still open after the composition was cancelled').to.equal(true);
      pressEscape(box, { keyCode: 27 });
      await until(() => !el.open, 'closed by the Escape after it');
    } finally {
      el.remove();
    }
  });
});

describe('9. bidi and invisible controls in everything shown', () => {
  it('names, titles, file names, queue names, reminders and level names are shown without them', async () => {
    const RLO = '\u202E';
    cc.store.update('channels', 'demo', {
      chatbot: { ...cc.store.get('channels', 'demo').chatbot!, name: `Av${RLO}a\u200B` },
      queueReminder: { intervalSeconds: 10, content: `Please ${RLO}wait\u2066 a moment` },
      satisfactionLevels: ['Very bad', `Bad${RLO}`, 'OK', 'Good', `Gre\u200Fat`],
    });
    cc.store.update('agents', 'alice', { name: `Ali${RLO}ce\u2067` });
    const el = await openWidget({ ready: (e) => transcriptText(e).includes("Hi, I'm Ava") });
    expect(textOf(el, 'h1')).to.equal('Ava · virtual assistant');
    cc.desk.signIn('alice');
    cc.desk.setReady('alice', true);
    await type(el, 'agent');
    await until(() => cc.desk.snapshot('alice').waiting.length > 0, 'queued');
    clock.advance(10_000);
    await until(() => transcriptText(el).includes('Please wait a moment'), 'the reminder, cleaned');
    cc.desk.accept('alice', cc.desk.snapshot('alice').waiting.at(-1)!.sessionId);
    await until(() => textOf(el, 'h1') === 'Alice · agent', 'the agent, cleaned');
    cc.desk.send('alice', `See my${RLO}fdp.exe`);
    const input = $<HTMLInputElement>(el, 'input[type="file"]')!;
    const dt = new DataTransfer();
    dt.items.add(new File(['just text'], `photo${RLO}gnp.exe.txt`, { type: 'text/plain' }));
    input.files = dt.files;
    input.dispatchEvent(new Event('change'));
    await until(() => shadow(el).querySelector('.mine a[download]')?.getAttribute('download') === 'photognp.exe.txt', 'the file link');
    expect([...shadow(el).querySelectorAll('.mine .bubble')].at(-1)!.textContent).to.contain('photognp.exe.txt');
    cc.desk.typing('alice', true);
    await until(() => textOf(el, '.typing') === 'Alice is typing…', 'typing, cleaned');
    cc.desk.end('alice');
    await until(() => $(el, '[part="evaluation"]') !== null, 'rating form');

    const HIDDEN = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200b\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/;
    const found: string[] = [];
    const walk = document.createTreeWalker(shadow(el), NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT);
    for (let n = walk.nextNode(); n; n = walk.nextNode()) {
      if (n instanceof Text && HIDDEN.test(n.data)) found.push(`text ${JSON.stringify(n.data)}`);
      if (n instanceof Element) for (const a of n.attributes) if (HIDDEN.test(a.value)) found.push(`${n.localName}[${a.name}] ${JSON.stringify(a.value)}`);
    }
    expect(found).to.deep.equal([]);
    expect(transcriptText(el)).to.contain('See myfdp.exe');
    expect(textOf(el, '[part="evaluation"] .stars')).to.contain('Bad').and.contain('Great');
  });
});

describe('11. a bad upload says why', () => {
  it('a text file named .png is refused at once with a sentence, and nothing is sent', async () => {
    const el = await openWidget();
    const input = $<HTMLInputElement>(el, 'input[type="file"]')!;
    const dt = new DataTransfer();
    dt.items.add(new File(['this is not an image'], 'holiday.png', { type: 'image/png' }));
    input.files = dt.files;
    input.dispatchEvent(new Event('change'));
    await until(() => textOf(el, '.composer [role="alert"]') !== '', 'a reason');
    expect(textOf(el, '.composer [role="alert"]')).to.equal('This file cannot be sent: its content does not match its type (for example, a text file named .png).');
    expect(customerMessages(el)).to.equal(0);
    expect(shadow(el).querySelector('img.preview')).to.equal(null);
  });
});

describe('12. the transcript follows new messages', () => {
  it('in the queue the newest reminder stays in view as reminders arrive', async () => {
    await setViewport({ width: 375, height: 667 });
    cc.desk.signIn('bob');
    const el = await openWidget();
    await type(el, 'agent');
    await until(() => $(el, '[part="queue"]') !== null, 'queued');
    for (let i = 0; i < 6; i++) clock.advance(10_000); // +1 min: six reminders
    await until(() => occurrences(transcriptText(el), 'Thanks for waiting') === 6, 'six reminders');
    await el.updateComplete;
    const last = [...shadow(el).querySelectorAll('[role=listitem]')].at(-1)!;
    await until(() => inSight(el, last), 'the newest reminder is in view');
    cc.desk.signOut('bob');
  });

  it('unless the reader scrolled up: then a "new messages" pill, in a status region, that takes them to the end by keyboard', async () => {
    cc.desk.signIn('alice');
    cc.desk.setReady('alice', true);
    const el = await openWidget();
    await toAgent(el);
    for (let i = 0; i < 30; i++) cc.desk.send('alice', `Line ${i}`);
    await until(() => transcriptText(el).includes('Line 29'), 'arrived');
    const log = $(el, '.transcript')!;
    await until(() => log.scrollHeight - log.scrollTop - log.clientHeight < 2, 'followed to the end');
    log.scrollTop = 0;
    await new Promise((r) => log.addEventListener('scroll', r, { once: true }));
    cc.desk.send('alice', 'One more');
    cc.desk.send('alice', 'And another');
    await until(() => transcriptText(el).includes('And another'), 'arrived while scrolled up');
    await until(() => textOf(el, '.pill') === '2 new messages ↓', 'the pill counts them');
    expect(log.scrollTop).to.equal(0);
    expect($(el, '.pill')!.parentElement!.getAttribute('role')).to.equal('status');
    await accessible(el);
    $<HTMLButtonElement>(el, '.pill')!.focus();
    await sendKeys({ press: 'Enter' });
    await until(() => log.scrollHeight - log.scrollTop - log.clientHeight < 2, 'at the end');
    await until(() => $(el, '.pill') === null, 'pill gone');
    cc.desk.send('alice', 'Following again');
    await until(() => transcriptText(el).includes('Following again'), 'arrived');
    await until(() => log.scrollHeight - log.scrollTop - log.clientHeight < 2, 'follows again');
  });
});

describe('14. the customer typing indicator', () => {
  it('stops a few seconds after the last keystroke, with the draft left in the box', async () => {
    const time = manualClock(Date.now());
    const el = await openWithClock(time);
    await toAgent(el);
    await fill(el, 'textarea[name="message"]', 'I am writing a long');
    await until(() => cc.desk.snapshot('alice').session?.customerTyping === true, 'typing shown to the agent');
    time.advance(3000);
    await fill(el, 'textarea[name="message"]', 'I am writing a long question');
    time.advance(4000); // 4 s after the last keystroke: still typing
    expect(cc.desk.snapshot('alice').session?.customerTyping).to.equal(true);
    time.advance(1000);
    await until(() => cc.desk.snapshot('alice').session?.customerTyping === false, 'stopped 5 s after the last keystroke');
    expect($<HTMLTextAreaElement>(el, 'textarea[name="message"]')!.value).to.equal('I am writing a long question');
    await fill(el, 'textarea[name="message"]', 'I am writing a long question.');
    await until(() => cc.desk.snapshot('alice').session?.customerTyping === true, 'typing again');
  });
});

describe('15. the header after the chat ends', () => {
  it('no longer names the agent or says Online', async () => {
    cc.desk.signIn('alice');
    cc.desk.setReady('alice', true);
    const el = await openWidget();
    await toAgent(el);
    expect(textOf(el, '.header')).to.contain('Alice · agent').and.contain('Online');
    cc.desk.end('alice');
    await until(() => $(el, '[part="ended"]') !== null, 'ended');
    expect(textOf(el, 'h1')).to.equal('Customer service');
    expect(textOf(el, '.conn')).to.equal('Chat ended');
  });
});

describe('18. leave-a-message', () => {
  beforeEach(() => {
    cc.store.update('channels', 'demo', {
      workTime: { timeZone: 'UTC', workdays: [1], workday: [{ start: '00:00', end: '00:01' }], nonWorkday: [], nonWorkingNotice: 'Closed.' },
    });
  });

  it('checks the contact as the customer types: an email or a phone number', async () => {
    const el = await openWidget({ ready: (e) => $(e, '[part="offhours"]') !== null });
    await fill(el, 'textarea[name="leave"]', 'Please call me.');
    const contact = $<HTMLInputElement>(el, 'input[name="contact"]')!;
    const submit = () => button(el, 'Leave a message')!;
    for (const bad of ['not an email!!', 'wang@', 'wang@example', '12', '+86 abc 1234']) {
      await fill(el, 'input[name="contact"]', bad);
      expect(contact.getAttribute('aria-invalid'), bad).to.equal('true');
      expect(textOf(el, '#contact-error'), bad).to.equal('Enter an email address (name@example.com) or a phone number, or leave it empty.');
      expect(submit().disabled, bad).to.equal(true);
    }
    for (const good of ['wang@example.com', '+86 138-0013-8000', '(020) 1234 5678', '']) {
      await fill(el, 'input[name="contact"]', good);
      expect(contact.getAttribute('aria-invalid'), good).to.equal('false');
      expect(textOf(el, '#contact-error'), good).to.equal('');
      expect(submit().disabled, good).to.equal(false);
    }
    await fill(el, 'input[name="contact"]', 'not an email!!');
    await accessible(el);
    expect(contact.getAttribute('aria-describedby')).to.equal('contact-error');
  });

  it('counts characters and never cuts a long message: it waits until it fits', async () => {
    const el = await openWidget({ ready: (e) => $(e, '[part="offhours"]') !== null });
    const long = 'x'.repeat(3000);
    await fill(el, 'textarea[name="leave"]', long);
    expect($<HTMLTextAreaElement>(el, 'textarea[name="leave"]')!.value).to.have.length(3000);
    expect($<HTMLTextAreaElement>(el, 'textarea[name="leave"]')!.hasAttribute('maxlength')).to.equal(false);
    expect(textOf(el, '#leave-count')).to.equal('1000 characters too many');
    expect(button(el, 'Leave a message')!.disabled).to.equal(true);
    await fill(el, 'textarea[name="leave"]', long.slice(0, 2000));
    expect(textOf(el, '#leave-count')).to.equal('0 characters left');
    await fill(el, 'input[name="contact"]', 'wang@example.com');
    const before = cc.leftMessages.length;
    await click(el, 'Leave a message');
    await until(() => cc.leftMessages.length === before + 1, 'left');
    expect(cc.leftMessages.at(-1)!.content).to.have.length(2000);
  });

  it('the rating comment is counted the same way, not cut', async () => {
    cc.store.reset();
    cc.desk.signIn('alice');
    cc.desk.setReady('alice', true);
    const el = await openWidget();
    await toAgent(el);
    cc.desk.end('alice');
    await until(() => $(el, '[part="evaluation"]') !== null, 'rating form');
    await fill(el, '[part="evaluation"] textarea', 'y'.repeat(600));
    expect($<HTMLTextAreaElement>(el, '[part="evaluation"] textarea')!.value).to.have.length(600);
    expect(textOf(el, '#comment-count')).to.equal('89 characters too many');
  });
});

describe('19. the ended state on a small panel', () => {
  const sizes = [
    ['phone', 375, 667],
    ['desktop', 1280, 800],
    ['short desktop window', 1280, 560],
  ] as const;

  for (const [name, width, height] of sizes) {
    it(`${name} ${width}×${height}: with a rating form, "Start a new chat" and "Submit rating" are in sight; the ending is read once`, async () => {
      await setViewport({ width, height });
      cc.desk.signIn('alice');
      cc.desk.setReady('alice', true);
      const el = await openWidget();
      await toAgent(el);
      for (let i = 0; i < 12; i++) cc.desk.send('alice', `Answer ${i}`);
      await until(() => transcriptText(el).includes('Answer 11'), 'answers');
      cc.desk.end('alice');
      await until(() => $(el, '[part="evaluation"]') !== null, 'rating form');
      await el.updateComplete;
      expect(inSight(el, button(el, 'Start a new chat')!), 'Start a new chat').to.equal(true);
      expect(inSight(el, button(el, 'Submit rating')!), 'Submit rating').to.equal(true);
      expect(occurrences(seenText(el), 'The agent ended the chat.'), 'seen').to.equal(1);
      expect(occurrences(readText(el), 'The agent ended the chat.'), 'read').to.equal(1);
    });

    it(`${name} ${width}×${height}: with a leave-a-message form after a queue timeout, its buttons are in sight`, async () => {
      await setViewport({ width, height });
      cc.store.update('skillQueues', 'WebSupport', { maxWaitTime: 30 });
      cc.desk.signIn('bob');
      const el = await openWidget();
      await click(el, 'Talk to an agent');
      await until(() => $(el, '[part="queue"]') !== null, 'queued');
      expect(occurrences(seenText(el), 'You are next in line.')).to.equal(1);
      clock.advance(30_000);
      await until(() => $(el, '[part="ended"] textarea[name="leave"]') !== null, 'released with the form');
      await el.updateComplete;
      expect(inSight(el, button(el, 'Start a new chat')!), 'Start a new chat').to.equal(true);
      expect(inSight(el, button(el, 'Leave a message')!), 'Leave a message').to.equal(true);
      expect(occurrences(seenText(el), 'Sorry, no agent could take your chat in time.'), 'seen').to.equal(1);
      expect(occurrences(readText(el), 'Sorry, no agent could take your chat in time.'), 'read').to.equal(1);
      cc.desk.signOut('bob');
    });
  }

  it('a long header title wraps (and has a tooltip) instead of being cut', async () => {
    await setViewport({ width: 375, height: 667 });
    const el = await openWidget();
    const h1 = $(el, 'h1')!;
    expect(h1.textContent).to.equal('Ava · virtual assistant');
    expect(h1.scrollWidth).to.be.at.most(h1.clientWidth);
    expect(h1.scrollHeight).to.be.at.most(h1.clientHeight + 1);
    cc.store.update('agents', 'alice', { name: 'Alexandra Konstantinopoulou-Featherstonehaugh' });
    await toAgent(el);
    const title = 'Alexandra Konstantinopoulou-Featherstonehaugh · agent';
    await until(() => h1.textContent === title, 'the agent');
    expect(h1.getAttribute('title')).to.equal(title);
    expect(h1.scrollWidth).to.be.at.most(h1.clientWidth);
    expect(h1.scrollHeight).to.be.at.most(h1.clientHeight + 1);
  });

  it('on a phone the full-screen panel keeps the host page still and gives its scrolling back on close', async () => {
    const filler = Object.assign(document.createElement('div'), { style: 'height: 3000px' });
    document.body.append(filler);
    try {
      await setViewport({ width: 375, height: 667 });
      const el = await openWidget();
      expect(getComputedStyle(document.documentElement).overflow).to.equal('hidden');
      el.hide();
      await el.updateComplete;
      expect(getComputedStyle(document.documentElement).overflow).to.equal('visible');
      await setViewport({ width: 1280, height: 800 });
      el.show();
      await el.updateComplete;
      expect(getComputedStyle(document.documentElement).overflow, 'a desktop page is never locked').to.equal('visible');
    } finally {
      filler.remove();
    }
  });

  it('the send arrow points the way text runs', async () => {
    const en = await openWidget();
    expect(getComputedStyle($(en, '.send svg')!).transform).to.equal('none');
    const ar = await openWidget({ locale: 'ar' });
    expect(getComputedStyle($(ar, '.send svg')!).transform).to.equal('matrix(-1, 0, 0, 1, 0, 0)');
  });

  it('the rating level names are visible before a star is picked', async () => {
    cc.desk.signIn('alice');
    cc.desk.setReady('alice', true);
    const el = await openWidget();
    await toAgent(el);
    cc.desk.end('alice');
    await until(() => $(el, '[part="evaluation"]') !== null, 'rating form');
    const names = ['Very dissatisfied', 'Dissatisfied', 'Neutral', 'Satisfied', 'Very satisfied'];
    const shown = [...shadow(el).querySelectorAll<HTMLElement>('[part="evaluation"] .star')].map((star) =>
      [...star.querySelectorAll<HTMLElement>('span')]
        .filter((s) => s.getBoundingClientRect().height > 8 && s.checkVisibility())
        .map((s) => s.textContent!.trim())
        .join(' '),
    );
    expect(shown.map((s) => s.replace('★', '').trim())).to.deep.equal(names);
  });
});
