/**
 * One real conversation through the channel API, in Node: the widget's SessionRunner talks to
 * the mock contact center served by msw/node, with the mock's clock under the test's control.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SessionRunner } from '../../widget/client/runner.js';
import type { SessionState } from '../../widget/core/session.js';
import { useNodeMock } from '../node-mock.js';
import { until as waitFor } from '../wait.js';

const { cc, clock } = useNodeMock({ at: Date.parse('2026-11-25T10:00:00Z') });
let runner: SessionRunner;

function newRunner(userId = 'c1'): SessionRunner {
  return new SessionRunner({ baseUrl: 'http://mock.test', channelId: 'demo', userId, userName: 'Wang Fang', clock: { now: () => clock.now() }, pollWaitSeconds: 25 });
}

/** Waits (vi.waitFor, at most 8 s of real time) until the runner's state satisfies `pred`; returns that state. */
async function until(pred: (s: SessionState) => boolean, what: string): Promise<SessionState> {
  await waitFor(
    what,
    () => pred(runner.state),
    8_000,
    () => `phase ${runner.state.phase}`,
  );
  return runner.state;
}

const texts = (s: SessionState) => s.transcript.map((m) => `${m.author}: ${m.text}`);

beforeAll(() => cc.desk.signIn('alice'));
afterEach(() => runner?.destroy());

describe('a customer conversation, end to end through the channel API', () => {
  it('bot answers, keyword transfers, queue, agent accepts, messages both ways, agent ends', async () => {
    runner = newRunner();
    runner.start();
    await until((s) => s.phase === 'bot', 'chatbot greeting');
    expect(runner.state.config?.useRobot).toBe(true);

    runner.dispatch({ type: 'message.submit', id: 'm-1', text: 'What are your opening hours?', now: clock.now(), name: 'Wang Fang' });
    await until((s) => s.transcript.some((m) => m.author === 'bot' && m.text.includes('Monday to Friday')), 'keyword answer');
    runner.dispatch({ type: 'message.submit', id: 'm-2', text: 'blah', now: clock.now(), name: 'Wang Fang' });
    await until((s) => s.transcript.some((m) => m.author === 'bot' && m.text.startsWith("Sorry, I didn't understand")), 'default reply');

    runner.dispatch({ type: 'message.submit', id: 'm-3', text: 'I want a HUMAN please', now: clock.now(), name: 'Wang Fang' });
    expect(runner.state.transferring).toBe(true);
    const queued = await until((s) => s.phase === 'queue', 'queueing');
    expect(queued.queue?.position).toBe(1);
    expect(texts(queued)).toContain('bot: Connecting you to an agent now…');

    clock.advance(10_000);
    await until((s) => s.queue?.reminder === 'Thanks for waiting, an agent will be with you shortly.', 'queue reminder');

    cc.desk.setReady('alice', true);
    cc.desk.accept('alice');
    const withAgent = await until((s) => s.phase === 'agent', 'agent joined');
    expect(withAgent.agent).toEqual({ name: 'Alice', employeeId: '10021' });

    runner.dispatch({ type: 'message.submit', id: 'm-4', text: 'My order is late', now: clock.now(), name: 'Wang Fang' });
    await until((s) => s.transcript.find((m) => m.id === 'm-4')?.status === 'sent', 'customer message acknowledged');
    const agentView = cc.desk.snapshot('alice', { markRead: true });
    expect(agentView.session?.messages.map((m) => m.content)).toContain('My order is late');

    cc.desk.send('alice', 'Sorry to hear that, let me check.');
    const replied = await until((s) => s.transcript.some((m) => m.author === 'agent'), 'agent reply');
    expect(replied.readSeq).toBeGreaterThan(0);

    cc.desk.end('alice');
    const ended = await until((s) => s.phase === 'ended', 'ended by agent');
    expect(ended.ended?.reason).toBe('agent');
    expect(cc.desk.status('alice')).toBe('wrapUp');
    clock.advance(5_000);
    expect(cc.desk.status('alice')).toBe('idle');

    // Every customer message appears once, in order, and is acknowledged.
    const mine = ended.transcript.filter((m) => m.author === 'customer');
    expect(mine.map((m) => m.id)).toEqual(['m-1', 'm-2', 'm-3', 'm-4']);
    expect(mine.every((m) => m.status === 'sent')).toBe(true);
  });

  it('the customer can end the chat, and a new chat starts with the chatbot again', async () => {
    runner = newRunner('c2');
    runner.start();
    await until((s) => s.phase === 'bot', 'chatbot greeting');
    runner.dispatch({ type: 'session.end' });
    const ended = await until((s) => s.phase === 'ended', 'ended by customer');
    expect(ended.ended?.reason).toBe('customer');
    runner.dispatch({ type: 'session.restart', now: clock.now() });
    await until((s) => s.phase === 'bot', 'new chatbot session');
  });
});
