/**
 * Issue 12, case 13: the estimated wait counts down as the customer waits — in the widget's
 * queue card (its own clock, moved by the test) and in the contact center's estimate (the mock's
 * clock). A file of its own: the mock's estimate depends on the chats it handled before.
 */
import { expect } from '@open-wc/testing';
import { startBrowserMock } from '../../mock-server/browser.js';
import { Clock } from '../../mock-server/runtime/clock.js';
import { en } from '../../widget/ui/i18n/en.js';
import { $, textOf, transcriptText, type, until } from './helpers.js';
import { manualClock, openWithClock } from './manual-clock.js';

const clock = new Clock('manual', Date.parse('2026-11-25T10:00:00Z'));
const { cc, worker } = await startBrowserMock({ clock });
after(() => worker.stop());
const occurrences = (text: string, part: string) => text.split(part).length - 1;

describe('13. the estimated wait', () => {
  it('counts down as time passes, in the card and in what the server says', async () => {
    const time = manualClock(Date.now());
    cc.desk.signIn('bob'); // signed in, not ready: the customer waits
    const el = await openWithClock(time);
    await type(el, 'agent');
    await until(() => $(el, '[part="queue"]') !== null, 'queued');
    const estimate = el.sessionState!.queue!.estimateWaitSeconds;
    expect(estimate).to.equal(120); // one person ahead of none, the default handling time, one agent
    const wait = (left: number) => en.queueWait(Math.round(Math.max(0, left) / 60));
    expect(textOf(el, '[part="queue"]')).to.contain(wait(estimate));
    time.advance(60_000);
    await until(() => textOf(el, '[part="queue"]').includes(wait(estimate - 60)), 'a minute later');
    time.advance(estimate * 1000);
    await until(() => textOf(el, '[part="queue"]').includes('Estimated wait: less than a minute.'), 'once the estimate has passed');
    // The contact center's own estimate also counts the time waited.
    for (let i = 0; i < 6; i++) clock.advance(10_000);
    await until(() => occurrences(transcriptText(el), 'Thanks for waiting') === 6, 'reminders');
    expect(cc.allSessions().at(-1)!.stream.messages.at(-1)!.data?.estimateWaitSeconds).to.equal(Math.max(0, estimate - 60));
    cc.desk.signOut('bob');
  });
});
