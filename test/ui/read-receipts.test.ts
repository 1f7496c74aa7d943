/**
 * The customer's read receipt (requirements §6 "read state"), in Chromium against the mock in
 * MSW's worker: a READ goes out when the agent's message is on the customer's screen, and not
 * while the panel is closed, the tab is hidden or the reader is scrolled up.
 */
import { expect } from '@open-wc/testing';
import { startBrowserMock } from '../../mock-server/browser.js';
import { Clock } from '../../mock-server/runtime/clock.js';
import type { CecChatElement } from '../../widget/ui/chat/cec-chat.component.js';
import { $, chatWithAgent, transcriptText, until } from './helpers.js';

const clock = new Clock('manual', Date.parse('2026-11-25T02:00:00Z')); // Wednesday 10:00 in Shanghai
const { cc, worker } = await startBrowserMock({ clock });
after(() => worker.stop());
afterEach(() => {
  setVisibility('visible');
  if (cc.desk.status('alice') === 'busy') cc.desk.end('alice');
  cc.store.reset();
  clock.advance(60_000); // let the agent finish wrap-up
});

/** What the agent's workbench shows: the seq of the last agent message the customer has read. */
const seen = () => cc.desk.snapshot('alice').session?.customerReadSeq ?? -1;
/** The READs the mock recorded for the agent's current chat (one per step forward). */
const reads = () => {
  const id = cc.desk.snapshot('alice').session!.id;
  return cc.sessionById(id)!.stream.messages.filter((m) => m.sessionId === id && m.controlType === 'READ' && m.sourceType === 'CUSTOMER');
};
/** The agent writes `text`; resolves with its seq once the widget received it. */
async function agentSays(el: CecChatElement, text: string): Promise<number> {
  const seq = cc.desk
    .send('alice', text)
    .session!.messages.filter((m) => m.content === text)
    .at(-1)!.seq;
  await until(() => transcriptText(el).includes(text), `"${text}" arrived`);
  return seq;
}
/** Headless Chromium never hides its page: the test says it is hidden, as a tab switch would. */
function setVisibility(state: 'visible' | 'hidden'): void {
  Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => state });
  document.dispatchEvent(new Event('visibilitychange'));
}
/** Lets every pending request (a READ the widget should not send) reach the mock. */
const settle = async (el: CecChatElement) => {
  await el.updateComplete;
  await new Promise((r) => requestAnimationFrame(r));
  await cc.desk.snapshot('alice');
};

describe('read receipts: the agent sees "Seen"', () => {
  it('a message shown in the open panel is reported read once; a second message moves "Seen" forward', async () => {
    const el = await chatWithAgent(cc, 'alice');
    const first = await agentSays(el, 'Hello, how can I help?');
    await until(() => seen() === first, 'Seen under the first message');
    const second = await agentSays(el, 'Let me check that for you.');
    await until(() => seen() === second, 'Seen moved to the second message');
    // One READ per message read, never a storm of them (the panel re-renders many times).
    expect(reads().map((m) => m.data?.readSeq)).to.deep.equal([first, second]);
    el.remove();
  });

  it('not while the panel is closed: the READ goes out when the customer opens it', async () => {
    const el = await chatWithAgent(cc, 'alice');
    const first = await agentSays(el, 'Are you there?');
    await until(() => seen() === first, 'first read');
    el.open = false;
    await el.updateComplete;
    const seq = cc.desk.send('alice', 'I have an answer for you.').session!.messages.at(-1)!.seq;
    await until(() => $(el, '[part="badge"]')?.textContent?.trim() === '1', 'the badge counts the unread message');
    await settle(el);
    expect(seen()).to.equal(first);
    el.open = true;
    await until(() => seen() === seq, 'read once the panel is open');
    el.remove();
  });

  it('not while the tab is hidden: the READ goes out when it is visible again', async () => {
    const el = await chatWithAgent(cc, 'alice');
    const first = await agentSays(el, 'One moment please.');
    await until(() => seen() === first, 'first read');
    setVisibility('hidden');
    const seq = await agentSays(el, 'Done: your refund is on its way.');
    await settle(el);
    expect(seen()).to.equal(first);
    setVisibility('visible');
    await until(() => seen() === seq, 'read once the tab is visible');
    expect(reads()).to.have.length(2);
    el.remove();
  });

  it('not while the reader is scrolled up: the READ goes out when they reach the end', async () => {
    const el = await chatWithAgent(cc, 'alice');
    let last = 0;
    for (let i = 0; i < 12; i++) last = await agentSays(el, `Line ${i} of a long answer that fills the panel`);
    await until(() => seen() === last, 'all read at the end');
    const log = $(el, '.transcript')!;
    log.scrollTop = 0;
    log.dispatchEvent(new Event('scroll'));
    await el.updateComplete;
    const seq = await agentSays(el, 'And one more thing below.');
    await settle(el);
    expect(seen()).to.equal(last);
    log.scrollTop = log.scrollHeight;
    log.dispatchEvent(new Event('scroll'));
    await until(() => seen() === seq, 'read once scrolled to the end');
    el.remove();
  });
});
