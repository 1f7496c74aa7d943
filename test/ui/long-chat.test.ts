/**
 * A long chat in Chromium, as a screen-reader user meets it: the transcript is a polite live log,
 * yet opening a reloaded chat must not read out its latest 150 rows, nor may the earlier rows the
 * reader asks for; what arrives after the transcript is shown is announced.
 */
import { expect, fixture, html } from '@open-wc/testing';
import { startBrowserMock } from '../../mock-server/browser.js';
import { Clock } from '../../mock-server/runtime/clock.js';
import type { CecChatElement } from '../../widget/ui/chat/cec-chat.component.js';
import { $, shadow, transcriptText, type, until } from './helpers.js';

const clock = new Clock('manual', Date.parse('2026-11-25T10:00:00Z'));
const { cc, worker } = await startBrowserMock({ clock });
after(() => worker.stop());

/** Each batch of rows added to the transcript, with the log's aria-live when they were added. */
function watchRows(el: CecChatElement) {
  const batches: Array<{ rows: string[]; live: string | null }> = [];
  const observer = new MutationObserver((records) => {
    const rows = records
      .flatMap((r) => [...r.addedNodes])
      // A row comes alone, or in a new block of rows.
      .flatMap((n) => (n instanceof Element && n.getAttribute('role') === 'listitem' ? [n] : n instanceof Element ? [...n.querySelectorAll('[role=listitem]')] : []))
      .map((li) => li.textContent!.replace(/\s+/g, ' ').trim());
    if (rows.length) batches.push({ rows, live: $(el, '.transcript')?.getAttribute('aria-live') ?? null });
  });
  observer.observe(shadow(el), { childList: true, subtree: true });
  return { batches, stop: () => observer.disconnect() };
}

const rowsWith = (batches: Array<{ rows: string[]; live: string | null }>, text: RegExp) => batches.filter((b) => b.rows.some((r) => text.test(r)));

describe('a long chat and its live region', () => {
  it('a reloaded chat shows its history without announcing it; earlier rows neither; new messages are announced', async () => {
    const userId = `long-${Date.now()}`;
    sessionStorage.clear();
    const mount = () => fixture<CecChatElement>(html`<cec-chat channel-id="demo" user-id=${userId} user-name="Wang Fang" locale="en"></cec-chat>`);
    cc.desk.signIn('alice');
    cc.desk.setReady('alice', true);

    const first = await mount();
    const before = watchRows(first);
    $<HTMLButtonElement>(first, 'button.launcher')!.click();
    await until(() => transcriptText(first).includes("Hi, I'm Ava"), 'greeting');
    // A new chat's first message is news.
    expect(rowsWith(before.batches, /Hi, I'm Ava/).map((b) => b.live)).to.deep.equal(['polite']);
    await type(first, 'agent');
    await until(() => cc.desk.snapshot('alice').waiting.length > 0, 'queued');
    cc.desk.accept('alice', cc.desk.snapshot('alice').waiting.at(-1)!.sessionId);
    for (let i = 0; i < 300; i++) cc.desk.send('alice', `Line ${i}`);
    await until(() => transcriptText(first).includes('Line 299'), 'latest');
    before.stop();
    first.remove(); // a reload: the next page resumes the chat from its history

    const second = await mount();
    const after = watchRows(second);
    await until(() => second.open && transcriptText(second).includes('Line 299'), 'reopened with its history');
    const history = rowsWith(after.batches, /Line \d+/);
    expect(history.flatMap((b) => b.rows).length).to.be.at.least(150);
    expect(
      history.every((b) => b.live === 'off'),
      JSON.stringify(history.map((b) => b.live)),
    ).to.equal(true);
    // The log speaks again once the history is in place, and a new message is announced.
    await until(() => $(second, '.transcript')!.getAttribute('aria-live') === 'polite', 'live again');
    cc.desk.send('alice', 'Something new');
    await until(() => transcriptText(second).includes('Something new'), 'new message');
    expect(rowsWith(after.batches, /Something new/).map((b) => b.live)).to.deep.equal(['polite']);

    // Earlier rows the reader asks for are not news either.
    const shown = after.batches.length;
    // (the rows in memory first, then the previous page of the history from the server)
    const count = () => shadow(second).querySelectorAll('[role=listitem]').length;
    for (let i = 0; i < 3 && count() < 250; i++) {
      const before = count();
      [...shadow(second).querySelectorAll('button')].find((b) => b.textContent?.startsWith('Show earlier messages'))!.click();
      await until(() => count() > before, 'earlier rows');
    }
    const earlier = after.batches.slice(shown);
    expect(earlier.flatMap((b) => b.rows).length).to.be.at.least(100);
    expect(earlier.every((b) => b.live === 'off')).to.equal(true);
    await until(() => $(second, '.transcript')!.getAttribute('aria-live') === 'polite', 'live again after the earlier rows');
    after.stop();
    cc.desk.end('alice');
    clock.advance(10_000);
  });
});
