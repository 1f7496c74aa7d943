/**
 * Click-to-dial from the widget (Chromium with a fake microphone) against the mock: a call to
 * the agent rings, connects with a running duration and is hung up; with nobody to take it the
 * customer is told so and keeps chatting.
 */
import { expect } from '@open-wc/testing';
import { startBrowserMock } from '../../mock-server/browser.js';
import { Clock } from '../../mock-server/runtime/clock.js';
import { $, chatWithAgent, click, liveTextsAround, textOf, transcriptText, type, until } from './helpers.js';
import { manualClock, openWithClock } from './manual-clock.js';

const clock = new Clock('manual', Date.parse('2026-11-25T10:00:00Z'));
const { cc, worker } = await startBrowserMock({ clock });
after(() => worker.stop());
afterEach(() => {
  for (const s of cc.allSessions()) cc.end(s, 'customer');
  for (const a of ['alice', 'bob']) cc.desk.signOut(a);
  clock.advance(60_000);
});

const chatWith = (account: string) => chatWithAgent(cc, account);

describe('click-to-dial', () => {
  it('calls the agent: permission, ringing, connected with a duration, hung up — the chat keeps working', async () => {
    const el = await chatWith('bob');
    await click(el, 'Voice call');
    await until(() => textOf(el, '[part="call"]').includes('Ringing'), 'ringing');
    expect(cc.calls.agentCall('bob')?.status === 'ringing').to.equal(true);
    cc.calls.answer('bob');
    await until(() => /Connected · 00:0\d/.test(textOf(el, '[part="call"]')), 'connected with a duration');
    expect(textOf(el, '[part="call"]')).to.contain('Bob');
    await type(el, 'can you hear me?');
    await until(() => cc.desk.snapshot('bob').session?.messages.some((m) => m.content === 'can you hear me?') ?? false, 'chat during the call');
    await click(el, 'Hang up');
    await until(() => textOf(el, '[part="call"]').includes('Call ended.'), 'ended');
    await until(() => transcriptText(el).includes('Voice call connected.'), 'the transcript tells the story');
    // (Compare booleans: chai would spend minutes printing the mock's object graph on a failure.)
    await until(() => cc.calls.agentCall('bob') === null, 'the agent side has the call ended too');
    await click(el, 'Close');
    expect($(el, '[part="call"]')).to.equal(null);
  });

  it('falls back to text when no agent can take the call', async () => {
    const el = await chatWith('alice'); // alice does not serve the click-to-dial queue; nobody does
    await click(el, 'Voice call');
    await until(() => textOf(el, '[part="call"]').includes('No agent can take a call right now'), 'unavailable');
    expect($(el, 'textarea[name="message"]')).to.not.equal(null);
  });

  it('the running duration is not read out every second: the call’s status region speaks when the status changes', async () => {
    const time = manualClock(clock.now());
    const el = await openWithClock(time);
    cc.desk.signIn('bob');
    cc.desk.setReady('bob', true);
    await type(el, 'agent please');
    await until(() => cc.desk.snapshot('bob').waiting.length > 0, 'queued');
    cc.desk.accept('bob', cc.desk.snapshot('bob').waiting.at(-1)!.sessionId);
    await until(() => transcriptText(el).includes('joined the chat'), 'agent joined');
    await click(el, 'Voice call');
    await until(() => textOf(el, '[part="call"]').includes('Ringing'), 'ringing');
    cc.calls.answer('bob');
    await until(() => textOf(el, '[part="call"]').includes('Connected · 00:00'), 'connected');
    const card = $(el, '[part="call"]')!;
    const before = liveTextsAround(el, card);
    time.advance(1000);
    await el.updateComplete;
    expect(textOf(el, '[part="call"]'), 'the duration still runs on screen').to.contain('Connected · 00:01');
    expect(liveTextsAround(el, card)).to.deep.equal(before);
    await click(el, 'Hang up');
    await until(() => textOf(el, '[part="call"]').includes('Call ended.'), 'ended');
    expect(liveTextsAround(el, card).join(' '), 'the end is news').to.contain('Call ended.');
  });
});
