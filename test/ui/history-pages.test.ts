/**
 * A long chat reopened after a reload, in Chromium (issue 18): the widget holds the newest page
 * of the history only; "Show earlier" asks for the previous page when the rows in memory run
 * out, puts it above without moving the row the reader was looking at, keeps the keyboard focus
 * on the button, does not read the page out, and
 * says so in a sentence with "Try again" when the page cannot be had.
 */
import { expect, fixture, html } from '@open-wc/testing';
import { startBrowserMock } from '../../mock-server/browser.js';
import { Clock } from '../../mock-server/runtime/clock.js';
import type { CecChatElement } from '../../widget/ui/chat/cec-chat.component.js';
import { $, shadow, transcriptText, type, until } from './helpers.js';

const clock = new Clock('manual', Date.parse('2026-11-25T10:00:00Z'));
const { cc, worker } = await startBrowserMock({ clock });
after(() => worker.stop());

// A panel of a known height, so the newest page overflows the log and it scrolls: sized by the
// host page through the element's documented `panel` part, as an integrator would.
const PANEL_HEIGHT = 480;
const sizing = document.createElement('style');
sizing.textContent = `cec-chat::part(panel) { block-size: ${PANEL_HEIGHT}px; }`;
document.head.append(sizing);
after(() => sizing.remove());

const LINES = 400;
const rows = (el: CecChatElement) => [...shadow(el).querySelectorAll('[role=listitem]')];
const earlierButton = (el: CecChatElement) => $<HTMLButtonElement>(el, '.transcript button.earlier');
const lineNumbers = (el: CecChatElement) =>
  rows(el)
    .flatMap((li) => /Line (\d+)/.exec(li.textContent ?? '')?.[1] ?? [])
    .map(Number);

/** A chat with alice of LINES lines of hers, reopened by a new element (a reload). */
async function reopenedLongChat(): Promise<CecChatElement> {
  const userId = `pages-${Date.now()}`;
  sessionStorage.clear();
  const mount = () => fixture<CecChatElement>(html`<cec-chat channel-id="demo" user-id=${userId} user-name="Wang Fang" locale="en"></cec-chat>`);
  cc.desk.signIn('alice');
  cc.desk.setReady('alice', true);
  const first = await mount();
  $<HTMLButtonElement>(first, 'button.launcher')!.click();
  await until(() => transcriptText(first).includes("Hi, I'm Ava"), 'greeting');
  await type(first, 'agent');
  await until(() => cc.desk.snapshot('alice').waiting.length > 0, 'queued');
  cc.desk.accept('alice', cc.desk.snapshot('alice').waiting.at(-1)!.sessionId);
  await until(() => first.sessionState?.phase === 'agent', 'agent');
  first.remove();
  for (let i = 0; i < LINES; i++) cc.desk.send('alice', `Line ${i}`);
  const second = await mount();
  await until(() => second.open && transcriptText(second).includes(`Line ${LINES - 1}`), 'reopened with its newest page');
  expect($(second, '.panel')!.offsetHeight).to.equal(PANEL_HEIGHT);
  const log = $(second, '.transcript')!;
  expect(log.scrollHeight, 'the log scrolls').to.be.above(log.clientHeight * 2);
  return second;
}

/** The row at the top of the log and its distance from the log's top edge. */
function topRow(el: CecChatElement): { text: string; offset: number } {
  const log = $(el, '.transcript')!;
  const top = log.getBoundingClientRect().top;
  const row = rows(el).find((li) => li.getBoundingClientRect().bottom > top)!;
  return { text: row.textContent!.replace(/\s+/g, ' ').trim(), offset: row.getBoundingClientRect().top - top };
}

function rowAt(el: CecChatElement, text: string): number {
  const log = $(el, '.transcript')!;
  const row = rows(el).find((li) => li.textContent!.replace(/\s+/g, ' ').trim() === text)!;
  return row.getBoundingClientRect().top - log.getBoundingClientRect().top;
}

afterEach(() => {
  cc.faults.reset();
  if (cc.desk.snapshot('alice').session) cc.desk.end('alice');
  clock.advance(10_000);
});

describe('paged history in the panel', () => {
  it('"Show earlier" loads the previous page: the place is kept, the focus stays, nothing is read out', async () => {
    const el = await reopenedLongChat();
    // Only the newest page came: the session is resumed with the agent from it.
    expect(el.sessionState!.transcript.length).to.equal(150);
    expect(el.sessionState!.phase).to.equal('agent');
    await until(() => $(el, '.transcript')!.getAttribute('aria-live') === 'polite', 'live after the history');
    const button = earlierButton(el)!;
    // The server said how many are left: the label counts them.
    expect(button.textContent).to.match(/Show earlier messages \(\d+\)/);

    const log = $(el, '.transcript')!;
    log.scrollTop = 200; // the reader is somewhere near the top, not on the button's row
    await new Promise((r) => requestAnimationFrame(r));
    const place = topRow(el);
    const lives: Array<string | null> = [];
    const watch = new MutationObserver(() => lives.push(log.getAttribute('aria-live')));
    watch.observe(shadow(el).querySelector('.items')!, { childList: true });
    button.focus({ preventScroll: true }); // (a keyboard user's Tab would bring it into view, and make that the place)
    button.click();
    await until(() => lineNumbers(el).length > 150, 'the earlier page');
    await el.updateComplete;
    await new Promise((r) => requestAnimationFrame(r));
    watch.disconnect();
    expect(Math.abs(rowAt(el, place.text) - place.offset), `moved from ${place.offset}`).to.be.below(2);
    expect(lives.length).to.be.greaterThan(0);
    expect(
      lives.every((l) => l === 'off'),
      JSON.stringify(lives),
    ).to.equal(true);
    expect(shadow(el).activeElement).to.equal(earlierButton(el));

    // The rows are there once each, in order, with the page before them.
    expect(lineNumbers(el)).to.deep.equal(Array.from({ length: 300 }, (_, i) => LINES - 300 + i));
  });

  it('in an ended chat, the last "Show earlier" leaves the focus in the log, not on "Start a new chat"', async () => {
    const el = await reopenedLongChat();
    cc.desk.end('alice');
    await until(() => $(el, '.actions button') !== null, 'the chat ended');
    for (let page = 2; earlierButton(el); page++) {
      const shown = rows(el).length;
      earlierButton(el)!.focus({ preventScroll: true });
      earlierButton(el)!.click();
      await until(() => rows(el).length > shown && el.sessionState!.earlier.status === 'idle', `page ${page}`);
      await el.updateComplete;
    }
    expect(lineNumbers(el).length).to.equal(LINES);
    const focused = shadow(el).activeElement;
    expect(focused?.className, focused?.textContent ?? 'nothing').to.equal('transcript');
  });

  it('reaching the top loads the second and third earlier pages, each once, until the start of the chat', async () => {
    const el = await reopenedLongChat();
    const log = $(el, '.transcript')!;
    const pages: number[] = [];
    const loads = new MutationObserver(() => {
      if (el.sessionState?.earlier.status === 'loading' && pages.at(-1) !== el.sessionState.earlier.beforeSeq) pages.push(el.sessionState.earlier.beforeSeq);
    });
    loads.observe(log, { subtree: true, childList: true, characterData: true });
    for (const want of [300, LINES]) {
      log.scrollTop = 0;
      log.dispatchEvent(new Event('scroll'));
      await until(() => lineNumbers(el).length >= want, `${want} lines`);
      await el.updateComplete;
      // The place is kept: the log is not left at its top, so it asks for nothing more by itself.
      expect(log.scrollTop).to.be.above(40);
    }
    loads.disconnect();
    expect(lineNumbers(el)).to.deep.equal(Array.from({ length: LINES }, (_, i) => i));
    expect(new Set(pages).size, JSON.stringify(pages)).to.equal(pages.length);
    // Nothing earlier is left: no button, and the top of the log asks for nothing.
    expect(el.sessionState!.earlier.hasMore).to.equal(false);
    expect(earlierButton(el)).to.equal(null);
    log.scrollTop = 0;
    log.dispatchEvent(new Event('scroll'));
    expect(el.sessionState!.earlier.status).to.equal('idle');
  });

  it('a page that cannot be had: a sentence and "Try again", which loads it', async () => {
    const el = await reopenedLongChat();
    cc.faults.set({ errorRate: 1 }, 'queryHistoryChatMessage');
    const button = earlierButton(el)!;
    button.focus();
    button.click();
    await until(() => !!$(el, 'p.earlier'), 'the failure told');
    expect($(el, 'p.earlier')!.getAttribute('role')).to.equal('alert');
    expect($(el, 'p.earlier')!.textContent).to.equal('Earlier messages could not be loaded.');
    expect(earlierButton(el)!.textContent).to.equal('Try again');
    expect(shadow(el).activeElement).to.equal(earlierButton(el));
    expect(lineNumbers(el).length).to.equal(150 - 0);
    cc.faults.reset();
    earlierButton(el)!.click();
    await until(() => lineNumbers(el).length > 150, 'the page after trying again');
    expect($(el, 'p.earlier')).to.equal(null);
  });
});
