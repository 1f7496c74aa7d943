/**
 * Issue 18 in the browser: the message box is usable before the session is (what is typed then
 * is sent once, when it is ready), the panel's code is not fetched without intent, and the
 * transcript's rows keep their DOM nodes when the 150-message window slides.
 */
import { expect, fixture, html } from '@open-wc/testing';
import { startBrowserMock } from '../../mock-server/browser.js';
import { Clock } from '../../mock-server/runtime/clock.js';
import type { CecChatElement } from '../../widget/ui/chat/cec-chat.component.js';
import { sendKeys } from '@web/test-runner-commands';
import { de } from '../../widget/ui/i18n/de.js';
import { fr } from '../../widget/ui/i18n/fr.js';
import { registerTranslation } from '../../widget/ui/i18n/index.js';
import { $, shadow, transcriptText, type, until } from './helpers.js';
import { manualClock } from './manual-clock.js';

const clock = new Clock('manual', Date.parse('2026-11-25T11:00:00Z'));
const { cc, worker } = await startBrowserMock({ clock });
after(() => worker.stop());

/** Registers a language whose strings arrive only on `release()`: the panel waits for them, the early box does not. */
function heldLanguage(code: string, table: typeof de) {
  let release!: () => void;
  const held = new Promise<void>((r) => (release = r));
  registerTranslation(code, () => held.then(() => table));
  return release;
}

/** A fetch that holds every request to the contact center until `release()`. */
function heldFetch() {
  let open!: () => void;
  const gate = new Promise<void>((r) => (open = r));
  const state = { held: 0, sends: [] as string[] };
  const fn: typeof fetch = async (input, init) => {
    const url = String(input instanceof Request ? input.url : input);
    if (url.includes('/send')) state.sends.push(String(init?.body ?? ''));
    state.held++;
    await gate;
    return fetch(input, init);
  };
  return { fn, state, release: () => open() };
}

describe('issue 18: first open and per-message cost', () => {
  it('a page view without intent never fetches the panel; pointer or focus on the launcher does', async () => {
    sessionStorage.clear();
    localStorage.clear();
    const panelLoaded = () => performance.getEntriesByType('resource').some((e) => /\/widget\/ui\/chat\/panel\.(ts|js)/.test(e.name));
    // Another test in this page may have imported it already: then only the element's own state tells.
    const el = await fixture<CecChatElement>(html`<cec-chat channel-id="demo" user-id=${`idle-${Date.now()}`} locale="en"></cec-chat>`);
    const hasPanel = () => (el as unknown as { panel: unknown }).panel !== null;
    const before = panelLoaded();
    // Longer than the old idle load (requestIdleCallback, timeout 4 s) would have waited here.
    await new Promise<void>((r) => (requestIdleCallback as (f: () => void, o: { timeout: number }) => void)(() => setTimeout(r, 300), { timeout: 4000 }));
    await new Promise((r) => setTimeout(r, 300));
    expect(hasPanel(), 'no panel without intent').to.equal(false);
    if (!before) expect(panelLoaded(), 'panel code not fetched').to.equal(false);
    $(el, 'button.launcher')!.dispatchEvent(new PointerEvent('pointerenter'));
    await until(hasPanel, 'pointer on the launcher loads the panel');
    expect(el.open).to.equal(false);
    expect(localStorage.length, 'intent alone stores nothing').to.equal(0);
    el.remove();

    const other = await fixture<CecChatElement>(html`<cec-chat channel-id="demo" user-id=${`focus-${Date.now()}`} locale="en"></cec-chat>`);
    expect((other as unknown as { panel: unknown }).panel).to.equal(null);
    $(other, 'button.launcher')!.focus();
    await until(() => (other as unknown as { panel: unknown }).panel !== null, 'focus on the launcher loads the panel');
    other.remove();
  });

  it('the box is focused before the session is ready; what is typed then is sent once, when it is', async () => {
    sessionStorage.clear();
    const net = heldFetch();
    const el = await fixture<CecChatElement>(html`<cec-chat channel-id="demo" user-id=${`early-${Date.now()}`} locale="en" .fetchImpl=${net.fn}></cec-chat>`);
    $<HTMLButtonElement>(el, 'button.launcher')!.click();
    await until(() => shadow(el).activeElement === $(el, 'textarea[name="message"]'), 'the box has focus');
    await until(() => net.state.held > 0, 'start-up requests are under way');
    expect(el.sessionState?.phase).to.be.oneOf(['closed', 'starting']);
    await type(el, 'hello before ready');
    expect($<HTMLTextAreaElement>(el, 'textarea[name="message"]')!.value).to.equal('');
    expect(net.state.sends.filter((b) => b.includes('hello before ready'))).to.have.length(0);
    net.release();
    await until(() => transcriptText(el).includes('hello before ready'), 'the queued message is shown');
    await until(() => el.sessionState!.transcript.some((m) => m.text === 'hello before ready' && m.status !== 'sending'), 'it is acknowledged');
    const stream = cc.findStream('demo', el.userId)!;
    expect(stream.messages.filter((m) => m.content === 'hello before ready')).to.have.length(1);
    expect(net.state.sends.filter((b) => b.includes('hello before ready'))).to.have.length(1);
    el.remove();
  });

  it('rows keep their DOM nodes when the window slides, for agent and customer messages', async () => {
    sessionStorage.clear();
    cc.desk.signIn('alice');
    cc.desk.setReady('alice', true);
    const el = await fixture<CecChatElement>(html`<cec-chat channel-id="demo" user-id=${`keyed-${Date.now()}`} locale="en"></cec-chat>`);
    el.show();
    await until(() => transcriptText(el).includes("Hi, I'm Ava"), 'greeting');
    await type(el, 'agent please');
    await until(() => cc.desk.snapshot('alice').waiting.length > 0, 'queued');
    cc.desk.accept('alice', cc.desk.snapshot('alice').waiting.at(-1)!.sessionId);
    for (let i = 0; i < 200; i++) cc.desk.send('alice', `Row ${i}`);
    await until(() => transcriptText(el).includes('Row 199'), 'the window is full');
    const rows = () => [...shadow(el).querySelectorAll<HTMLElement>('[role=listitem]')];
    const text = (li: HTMLElement) => li.textContent!.replace(/\s+/g, ' ').trim();
    const before = rows();
    expect(before.length).to.be.within(150, 174);
    const byText = new Map(before.map((li) => [text(li), li]));

    cc.desk.send('alice', 'Row 200');
    await until(() => transcriptText(el).includes('Row 200'), 'an agent message arrives');
    await type(el, 'and mine');
    await until(() => transcriptText(el).includes('and mine'), 'the customer message shows');
    await el.updateComplete;
    const after = rows();
    expect(after.length).to.be.within(150, 174);
    // Two rows came at the end; the window slides by whole blocks, if at all: every row still
    // shown is the node it was, in the same order.
    const kept = after.filter((li) => byText.has(text(li)));
    expect(after.length - kept.length, 'rows re-created').to.equal(2);
    expect(kept).to.deep.equal(before.slice(before.length - kept.length));
    cc.desk.end('alice');
    clock.advance(10_000);
    cc.desk.signOut('alice');
    el.remove();
  });

  it('the click draws a usable box at once; the panel takes it over keeping text, caret and focus (keyboard only)', async () => {
    sessionStorage.clear();
    const release = heldLanguage('de', de);
    const sends: string[] = [];
    const fetchImpl: typeof fetch = (input, init) => {
      if (String(input instanceof Request ? input.url : input).includes('/send')) sends.push(String(init?.body ?? ''));
      return fetch(input, init);
    };
    const el = await fixture<CecChatElement>(html`<cec-chat channel-id="demo" user-id=${`shell-${Date.now()}`} locale="de" .fetchImpl=${fetchImpl}></cec-chat>`);
    $<HTMLButtonElement>(el, 'button.launcher')!.focus();
    await sendKeys({ press: 'Enter' });
    await el.updateComplete;
    // The same task as the click: the early panel, named in German, its box focused.
    const early = $(el, 'section.early[role="dialog"]');
    expect(early, 'the early panel').to.not.equal(null);
    expect(early!.getAttribute('aria-label')).to.equal('Kundenservice');
    const box = $<HTMLTextAreaElement>(el, '.early textarea[name="message"]')!;
    expect(box.getAttribute('aria-label')).to.equal('Nachricht');
    expect(shadow(el).activeElement, 'the box has focus').to.equal(box);
    expect($(el, '.early .header button')!.getAttribute('aria-label')).to.equal('Chat schließen');
    await sendKeys({ type: 'Hallo Welt' });
    await sendKeys({ press: 'ArrowLeft' });
    await sendKeys({ press: 'ArrowLeft' });
    expect(box.value).to.equal('Hallo Welt');
    expect(box.selectionStart).to.equal(8);

    release();
    await until(() => $(el, 'section.panel:not(.early)') !== null, 'the panel took over');
    await el.updateComplete;
    const input = $<HTMLTextAreaElement>(el, 'textarea[name="message"]')!;
    expect(input).to.not.equal(box);
    expect(input.getAttribute('aria-label')).to.equal('Nachricht');
    expect(input.value, 'the typed text').to.equal('Hallo Welt');
    expect(shadow(el).activeElement, 'focus kept').to.equal(input);
    expect([input.selectionStart, input.selectionEnd], 'caret kept').to.deep.equal([8, 8]);
    // Typing goes on where it was, and nothing was sent that the customer did not send.
    await sendKeys({ type: '!' });
    expect(input.value).to.equal('Hallo We!lt');
    expect(
      sends.filter((b) => b.includes('Hallo')),
      'a draft is not sent',
    ).to.have.length(0);
    await sendKeys({ press: 'Escape' });
    await until(() => !el.open, 'Escape closes');
    el.remove();
  });

  it('the click focuses the box before it returns; intent leaves nothing behind but warmed code', async () => {
    sessionStorage.clear();
    localStorage.clear();
    const el = await fixture<CecChatElement>(html`<cec-chat channel-id="demo" user-id=${`sync-${Date.now()}`} locale="en"></cec-chat>`);
    const before = shadow(el).innerHTML;
    const launcher = $<HTMLButtonElement>(el, 'button.launcher')!;
    launcher.dispatchEvent(new PointerEvent('pointerenter'));
    // The early frame drawn on intent is laid out and dropped in the same task: nothing shown, kept or stored.
    expect(shadow(el).innerHTML, 'no trace of the warm frame').to.equal(before);
    expect(shadow(el).querySelectorAll('textarea, section')).to.have.length(0);
    expect(el.open).to.equal(false);
    expect(localStorage.length, 'intent stores nothing').to.equal(0);
    const opened: boolean[] = [];
    el.addEventListener('cec-open', () => opened.push(shadow(el).activeElement?.getAttribute('name') === 'message'));
    launcher.click();
    // Synchronously after the click: the dialog is there and its box has focus.
    expect($(el, 'section.early[role="dialog"]'), 'the early panel').to.not.equal(null);
    expect(shadow(el).activeElement, 'the box has focus').to.equal($(el, 'textarea[name="message"]'));
    expect(opened, 'the box is focused before the page hears cec-open').to.deep.equal([true]);
    el.remove();
  });

  it('with no pointer first the early frame is warmed after the first render, out of sight and fetching nothing; an open then draws the focused box at once', async () => {
    sessionStorage.clear();
    localStorage.clear();
    const frames: { hidden: boolean; inert: boolean; box: boolean }[] = [];
    let removed = 0;
    const watch = new MutationObserver((records) => {
      for (const r of records) {
        for (const n of r.addedNodes)
          if (n instanceof HTMLElement && n.getAttribute('aria-hidden') === 'true')
            frames.push({ hidden: n.style.visibility === 'hidden', inert: n.inert, box: !!n.querySelector('textarea[name="message"]') });
        for (const n of r.removedNodes) if (n instanceof HTMLElement && n.getAttribute('aria-hidden') === 'true') removed++;
      }
    });
    const el = document.createElement('cec-chat') as CecChatElement;
    el.channelId = 'demo';
    el.userId = `warm-${Date.now()}`;
    el.locale = 'en';
    document.body.append(el);
    watch.observe(el.shadowRoot!, { childList: true });
    await el.updateComplete;
    const before = shadow(el).innerHTML;
    // No pointer, focus or open: the frame is drawn (styles, then layout), each time dropped in the same task.
    await until(() => frames.length >= 2 && removed >= 2, 'the early frame warmed without intent');
    watch.disconnect();
    expect(frames.every((f) => f.hidden && f.inert && f.box)).to.equal(true);
    expect(shadow(el).innerHTML, 'no trace of the warm frame').to.equal(before);
    expect((el as unknown as { panel: unknown }).panel, 'no panel code without intent').to.equal(null);
    expect([localStorage.length, sessionStorage.length], 'nothing stored').to.deep.equal([0, 0]);
    // A programmatic open (no pointer, no keyboard): the dialog with its focused box in the next update.
    el.show();
    await el.updateComplete;
    expect($(el, 'section.early[role="dialog"]'), 'the early panel').to.not.equal(null);
    expect(shadow(el).activeElement, 'the box has focus').to.equal($(el, 'textarea[name="message"]'));
    el.remove();
  });

  it('an element removed while its panel code loads starts no session and stores nothing', async () => {
    sessionStorage.clear();
    localStorage.clear();
    const el = await fixture<CecChatElement>(html`<cec-chat channel-id="demo" user-id=${`gone-${Date.now()}`} locale="en"></cec-chat>`);
    const loading = (el as unknown as { loadPanel(): Promise<void> }).loadPanel();
    el.show();
    await el.updateComplete;
    el.remove();
    await loading;
    // The early frame's hand-over to the panel (a frame and a task later, or 100 ms) has had its time.
    await new Promise<void>((r) => requestAnimationFrame(() => setTimeout(r, 150)));
    expect((el as unknown as { panel: unknown }).panel, 'no panel').to.equal(null);
    expect([...Object.keys(localStorage), ...Object.keys(sessionStorage)], 'nothing stored').to.deep.equal([]);
  });

  it('Enter in the early box sends once, when the session is ready', async () => {
    sessionStorage.clear();
    const release = heldLanguage('fr', fr);
    const el = await fixture<CecChatElement>(html`<cec-chat channel-id="demo" user-id=${`shell-send-${Date.now()}`} locale="fr"></cec-chat>`);
    $<HTMLButtonElement>(el, 'button.launcher')!.click();
    await el.updateComplete;
    const box = $<HTMLTextAreaElement>(el, '.early textarea[name="message"]')!;
    expect(shadow(el).activeElement).to.equal(box);
    await sendKeys({ type: 'bonjour tôt' });
    await sendKeys({ press: 'Enter' });
    expect(box.value, 'the box is cleared').to.equal('');
    expect(el.sessionState, 'no session before the French strings').to.equal(null);
    release();
    await until(() => transcriptText(el).includes('bonjour tôt'), 'the message is shown');
    await until(() => el.sessionState!.transcript.some((m) => m.text === 'bonjour tôt' && m.status !== 'sending'), 'it is acknowledged');
    expect(cc.findStream('demo', el.userId)!.messages.filter((m) => m.content === 'bonjour tôt')).to.have.length(1);
    el.remove();
  });

  it('opened by the page (show, init with open), the start-up requests go out in the opening update, before a frame; the panel still follows the early frame', async () => {
    sessionStorage.clear();
    const asked: string[] = [];
    const spy: typeof fetch = (input, init) => {
      asked.push(new URL(String(input instanceof Request ? input.url : input)).pathname.split('/').pop()!);
      return fetch(input, init);
    };
    const el = await fixture<CecChatElement>(html`<cec-chat channel-id="demo" user-id=${`page-open-${Date.now()}`} locale="en" .fetchImpl=${spy}></cec-chat>`);
    // The panel's code is here (as after the pointer's intent, or a chat this browser resumes).
    $(el, 'button.launcher')!.dispatchEvent(new PointerEvent('pointerenter'));
    await until(() => (el as unknown as { panel: unknown }).panel !== null, 'the panel code loaded');
    expect(asked, 'nothing asked before the open').to.deep.equal([]);
    let framed = false;
    requestAnimationFrame(() => (framed = true));
    el.show();
    await el.updateComplete;
    // Before: the session started only after the early frame was painted (a frame, then a task).
    expect(framed, 'still before the next frame').to.equal(false);
    expect(asked, 'token and channel configuration asked at once').to.include.members(['applyToken', 'queryChannelConfig']);
    expect($(el, '.early'), 'the early frame is what this update drew').to.not.equal(null);
    await until(() => $(el, '.panel:not(.early)') !== null, 'the panel replaces the early frame');
    await until(() => el.sessionState?.phase !== 'starting' && el.sessionState?.phase !== 'closed', 'the session is under way');
    expect(
      asked.filter((p) => p === 'applyToken'),
      'one token',
    ).to.have.length(1);
    el.remove();
  });

  it("the open's cause decides when the session starts: the launcher's click after the early frame, any other open at once", async () => {
    const asked: string[] = [];
    const spy: typeof fetch = (input, init) => {
      asked.push(new URL(String(input instanceof Request ? input.url : input)).pathname.split('/').pop()!);
      return fetch(input, init);
    };
    const opened = async (open: (el: CecChatElement) => void) => {
      sessionStorage.clear();
      asked.length = 0;
      // The element's clock holds the early frame's hand-over until the test moves it.
      const time = manualClock(Date.now());
      const el = await fixture<CecChatElement>(html`<cec-chat channel-id="demo" user-id=${`cause-${Date.now()}`} locale="en" .fetchImpl=${spy} .clock=${time.clock}></cec-chat>`);
      $(el, 'button.launcher')!.dispatchEvent(new PointerEvent('pointerenter'));
      await until(() => (el as unknown as { panel: unknown }).panel !== null, 'the panel code loaded');
      open(el);
      await el.updateComplete;
      await new Promise<void>((r) => requestAnimationFrame(() => setTimeout(r)));
      const before = [...asked];
      expect($(el, '.early'), 'the early frame is shown').to.not.equal(null);
      time.advance(100);
      await until(() => $(el, '.panel:not(.early)') !== null, 'the panel took over');
      await until(() => asked.includes('applyToken'), 'the session started');
      el.remove();
      return before;
    };
    expect(await opened((el) => $<HTMLButtonElement>(el, 'button.launcher')!.click()), "the click: nothing asked before the early frame's hand-over").to.deep.equal([]);
    for (const [how, open] of [
      ['the open property', (el: CecChatElement) => (el.open = true)],
      ['toggle()', (el: CecChatElement) => el.toggle()],
      ['send()', (el: CecChatElement) => el.send('hello')],
    ] as const) {
      expect(await opened(open), `${how}: the token asked at once`).to.include('applyToken');
    }
  });
});
