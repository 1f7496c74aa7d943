/**
 * The customer journeys of part B, in Chromium against the mock in MSW's worker, with the mock
 * clock moved by the test: a 20-minute idle rule takes milliseconds.
 */
import { expect } from '@open-wc/testing';
import { startBrowserMock } from '../../mock-server/browser.js';
import { Clock } from '../../mock-server/runtime/clock.js';
import { customerSend } from '../../mock-server/runtime/customer-send.js';
import { $, click, fill, openWidget, shadow, textOf, transcriptText, type, until } from './helpers.js';

const clock = new Clock('manual', Date.parse('2026-11-25T10:00:00Z')); // Wednesday 18:00 in Shanghai
const { cc, worker } = await startBrowserMock({ clock });
after(() => worker.stop());
afterEach(() => {
  cc.store.reset();
  clock.advance(60_000); // let any agent finish wrap-up
});

describe('customer journeys', () => {
  it('bot → keyword → queue with two reminders → agent → idle warning → "I\'m still here" → agent ends → rated twice', async () => {
    cc.desk.signIn('alice');
    cc.desk.setReady('alice', true);
    const el = await openWidget();
    await type(el, 'Can I talk to an agent?');
    await until(() => $(el, '[part="queue"]') !== null, 'queue card');

    clock.advance(10_000);
    clock.advance(10_000);
    await until(() => transcriptText(el).split('Thanks for waiting').length === 3, 'two reminders in the transcript');
    // The reminder is read once, in the transcript; the card keeps the live position and wait.
    expect(textOf(el, '[part="queue"]')).to.match(/You are next in line\. Estimated wait: /);
    expect(textOf(el, '[part="queue"]')).to.not.contain('Thanks for waiting');

    cc.desk.accept('alice');
    await until(() => textOf(el, 'h1').includes('Alice'), 'agent header');

    clock.advance(18 * 60_000);
    await until(() => $(el, '[part="idle-warning"]') !== null, 'idle warning');
    expect(textOf(el, '[part="idle-warning"]')).to.match(/Are you still there\? This chat will close in 2 min/);
    await click(el, "I'm still here");
    await until(() => $(el, '[part="idle-warning"]') === null, 'warning gone');
    await until(() => cc.desk.snapshot('alice').session?.messages.some((m) => m.content === "I'm still here") ?? false, 'agent sees it');
    clock.advance(3 * 60_000); // past the old 20-minute limit: the reply reset it
    await el.updateComplete;
    expect($(el, '[part="ended"]')).to.equal(null);
    expect(cc.desk.status('alice')).to.equal('busy');

    cc.desk.end('alice');
    await until(() => $(el, '[part="ended"]') !== null, 'ended');
    expect(textOf(el, '[part="ended"]')).to.contain('The agent ended the chat.');

    const rate = async (score: number, comment: string) => {
      const stars = [...shadow(el).querySelectorAll<HTMLInputElement>('[part="evaluation"] input[name="score"]')];
      expect(stars).to.have.length(5);
      stars[score - 1]!.click();
      await el.updateComplete;
      await fill(el, '[part="evaluation"] textarea', comment);
      await click(el, 'Submit rating');
      await until(() => textOf(el, '[part="evaluation"]').includes('Thank you for your feedback!'), 'saved');
    };
    await rate(2, 'slow at first');
    expect(textOf(el, '[part="evaluation"]')).to.contain('Dissatisfied');
    await rate(5, 'sorted in the end');
    const session = cc.allSessions().find((s) => s.hadAgent && s.evaluations.length === 2)!;
    expect(session.evaluations.at(-1)).to.include({ evaluation: '5', comment: 'sorted in the end' });
  });

  it('outside work time: the notice with the next opening, and a message left', async () => {
    cc.store.update('channels', 'demo', {
      workTime: {
        timeZone: 'Asia/Shanghai',
        workdays: [1, 2, 3, 4, 5],
        workday: [{ start: '09:00', end: '17:00' }],
        nonWorkday: [],
        nonWorkingNotice: 'Our agents work 09:00–17:00 (Beijing time) on workdays.',
      },
    });
    const el = await openWidget({ ready: (e) => $(e, '[part="offhours"]') !== null });
    expect(textOf(el, '[part="offhours"]')).to.contain('We are closed right now');
    expect(textOf(el, '[part="offhours"]')).to.match(/We open again Thursday .*\(your time\)/);
    expect(transcriptText(el)).to.contain('Our agents work 09:00–17:00');
    expect($(el, 'textarea[name="message"]')).to.equal(null);
    await fill(el, 'textarea[name="leave"]', 'Please call me about my refund.');
    await fill(el, 'input[name="contact"]', 'wang@example.com');
    await click(el, 'Leave a message');
    await until(() => textOf(el, '[part="offhours"]').includes('your message was saved'), 'confirmation');
    expect(cc.leftMessages.at(-1)).to.include({ content: 'Please call me about my refund.', contact: 'wang@example.com' });
  });

  it('a queue timeout releases the customer with the reason and offers to leave a message', async () => {
    cc.store.update('skillQueues', 'WebSupport', { maxWaitTime: 30 });
    cc.desk.signIn('bob');
    const el = await openWidget();
    await click(el, 'Talk to an agent');
    await until(() => $(el, '[part="queue"]') !== null, 'queue card');
    clock.advance(30_000);
    await until(() => $(el, '[part="ended"]') !== null, 'released');
    expect(textOf(el, '[part="ended"]')).to.contain('Sorry, no agent could take your chat in time.');
    await fill(el, 'textarea[name="leave"]', 'Call me back please');
    await click(el, 'Leave a message');
    await until(() => textOf(el, '[part="ended"]').includes('your message was saved'), 'left');
    cc.desk.signOut('bob');
  });

  it('a queue timeout with a transfer policy: the customer waits on in the other queue, and is told no more than what happened', async () => {
    cc.store.update('skillQueues', 'WebSupport', { maxWaitTime: 30, onTimeout: { processMethod: 'transfer', deviceType: 'skillQueue', target: 'Billing' } });
    cc.desk.signIn('alice'); // serves both queues, not ready: everyone waits
    // Two customers already wait in Billing (the channel led to it while they came in).
    cc.store.update('channels', 'demo', { skillQueue: '123452' });
    for (const userId of ['billing-1', 'billing-2']) {
      const { token } = await cc.applyToken({ channelId: 'demo', userId, userName: userId }, null);
      cc.send(cc.authenticate(token), customerSend({ userId, controlType: 'TRANS2AGENT', timestamp: clock.now(), clientMessageId: `${userId}-1` }));
    }
    cc.store.update('channels', 'demo', { skillQueue: '123451' });
    const el = await openWidget();
    await click(el, 'Talk to an agent');
    await until(() => textOf(el, '[part="queue"]').includes('You are next in line.'), 'first in WebSupport');
    clock.advance(30_000);
    // The contact center puts a transferred customer at the end of the other queue's line.
    await until(() => textOf(el, '[part="queue"]').includes('You are number 3 in the queue.'), 'third in Billing');
    expect(transcriptText(el)).to.contain('You were moved to the Billing queue and are still waiting for an agent.');
    for (const s of [...cc.waiting('Billing')]) cc.end(s, 'customer');
    cc.desk.signOut('alice');
  });

  it('Simplified Chinese end to end: greeting, transfer button and queue wording', async () => {
    cc.desk.signIn('alice');
    // The seed's chatbot greets in the customer's language (the tenant's texts by language).
    const el = await openWidget({ locale: 'zh-CN', ready: (e) => transcriptText(e).includes('您好，我是虚拟助手 Ava') });
    expect(textOf(el, 'h1')).to.contain('智能助手');
    await click(el, '转人工');
    await until(() => $(el, '[part="queue"]') !== null, '排队');
    expect(textOf(el, '[part="queue"]')).to.contain('正在排队等待人工客服');
    await click(el, '结束会话');
    await until(() => textOf(el, '[part="ended"]').includes('您已结束会话'), 'ended in Chinese');
  });
});
