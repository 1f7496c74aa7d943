/**
 * Several tabs of one site share one session: one polls, the others mirror it; when the leader
 * goes away another takes over. Two widgets for the same customer in one page stand in for two
 * tabs (Web Locks and BroadcastChannel work the same between them).
 */
import { expect, fixture, html } from '@open-wc/testing';
import { startBrowserMock } from '../../mock-server/browser.js';
import { Clock } from '../../mock-server/runtime/clock.js';
import type { CecChatElement } from '../../widget/ui/chat/cec-chat.component.js';
import { transcriptText, type, until } from './helpers.js';

const clock = new Clock('manual', Date.parse('2026-11-25T10:00:00Z'));
const { cc, worker } = await startBrowserMock({ clock });
after(() => worker.stop());

function countingFetch(counts: { poll: number }): typeof fetch {
  return (input, init) => {
    if (String(input instanceof Request ? input.url : input).includes('/poll')) counts.poll++;
    return fetch(input, init);
  };
}

async function tab(userId: string, counts: { poll: number }): Promise<CecChatElement> {
  const el = await fixture<CecChatElement>(html`<cec-chat channel-id="demo" user-id=${userId} locale="en" .fetchImpl=${countingFetch(counts)}></cec-chat>`);
  el.show();
  await until(() => transcriptText(el).includes("Hi, I'm Ava"), 'greeting');
  return el;
}

describe('several tabs', () => {
  it('one tab polls, both show every message once, and the other takes over when the leader closes', async () => {
    const userId = `tabs-${Date.now()}`;
    const a = { poll: 0 };
    const b = { poll: 0 };
    const first = await tab(userId, a);
    const second = await tab(userId, b);
    const before = b.poll;

    await type(second, 'refund');
    await until(() => transcriptText(first).includes('Refunds are paid') && transcriptText(second).includes('Refunds are paid'), 'answer in both tabs');
    for (const el of [first, second]) {
      expect(transcriptText(el).split('refund').length - 1, 'customer message once').to.equal(1);
      expect(transcriptText(el).split('Refunds are paid').length - 1, 'bot answer once').to.equal(1);
    }
    expect(a.poll).to.be.greaterThan(0);
    expect(b.poll - before, 'the second tab does not poll while the first leads').to.equal(0);

    first.remove(); // the page goes away: work stops, what is stored stays for the next page
    await type(second, 'opening hours?');
    await until(() => transcriptText(second).includes('Monday to Friday'), 'the second tab now polls by itself');
    expect(b.poll).to.be.greaterThan(before);
    void cc;
  });
});
