/**
 * A long chat: what one new message costs does not grow with the transcript (issue 18), and the
 * history a reload brings is told apart from news. Costs are counted as reads of the transcript
 * (through a proxy), not timed, so the tests hold on a busy machine.
 */
import { describe, expect, it } from 'vitest';
import { initialState, transition, type SessionState, type TranscriptItem } from '../../widget/core/session.js';
import { incomingAfter, inServerOrder, latestAgentSeq, pendingFrom } from '../../widget/core/transcript.js';
import { agentMessage, channelConfig } from './session-fixtures.js';

const msg = agentMessage;

/** A chat with an agent and `n` messages: the agent's, and every tenth one the customer's. */
function longChat(n: number): SessionState {
  const started = transition(transition(initialState(), { type: 'session.start', now: 0 }).state, { type: 'session.configured', config: channelConfig() }).state;
  const messages = [msg(1, { controlType: 'CONNECT', sourceType: 'SYSTEM', event: 'agent.joined', data: { agentName: 'Alice' } })];
  for (let seq = 2; seq <= n; seq++) messages.push(seq % 10 === 0 ? msg(seq, { sourceType: 'CUSTOMER', clientMessageId: `c${seq}` }) : msg(seq));
  return transition(started, { type: 'downlink.received', messages, now: 0, history: true }).state;
}

/** The transcript behind a proxy that counts the items read. */
function counted(items: TranscriptItem[]) {
  const reads = { n: 0 };
  const proxy = new Proxy(items, {
    get(target, key, receiver) {
      if (typeof key === 'string' && /^\d+$/.test(key)) reads.n++;
      return Reflect.get(target, key, receiver);
    },
  });
  return { proxy, reads };
}

describe('a long transcript: per-message work reads only its end', () => {
  const chat = longChat(10_000);

  it('a READ check at message 10,000 reads only the messages after the last READ', () => {
    const seen = transition(chat, { type: 'messages.seen', upToSeq: 9_995 }).state;
    expect(seen.seenSeq).toBe(9_995);
    const { proxy, reads } = counted(chat.transcript);
    const step = transition({ ...seen, transcript: proxy }, { type: 'messages.seen', upToSeq: 10_000 });
    expect(step.effects).toEqual([{ type: 'read', readSeq: 9_999 }]);
    expect(reads.n).toBeLessThanOrEqual(6);
  });

  it('the unread count, the unsent tail and the latest agent seq read only the end', () => {
    const { proxy, reads } = counted(chat.transcript);
    expect(incomingAfter(proxy, 9_990)).toEqual({ count: 9, latest: 9_999 });
    expect(latestAgentSeq(proxy, 10_000, 9_990)).toBe(9_999);
    expect(pendingFrom(proxy)).toBe(chat.transcript.length);
    expect(reads.n).toBeLessThanOrEqual(25);
  });

  it('a message sent, acknowledged and echoed at 10,000 is one row, in server order, and the ack after the echo changes nothing', () => {
    let s = transition(chat, { type: 'message.submit', id: 'x', text: 'hello', now: 5, name: 'Me' }).state;
    s = transition(s, { type: 'downlink.received', messages: [msg(10_001)], now: 6 }).state;
    // An agent's message came after ours was sent: ours, still unconfirmed, stays last.
    expect(s.transcript.slice(-2).map((m) => m.id)).toEqual(['m10001', 'x']);
    s = transition(s, { type: 'message.acked', id: 'x', seq: 10_002 }).state;
    s = transition(s, { type: 'downlink.received', messages: [msg(10_002, { sourceType: 'CUSTOMER', clientMessageId: 'x', content: 'hello' })], now: 7 }).state;
    expect(s.transcript.filter((m) => m.id === 'x')).toHaveLength(1);
    expect(s.transcript.at(-1)).toMatchObject({ id: 'x', seq: 10_002, status: 'sent' });
    expect(transition(s, { type: 'message.acked', id: 'x', seq: 10_002 }).state).toBe(s);
  });

  it('confirmations out of order at the end sort only the end; one older than the rest sorts the whole', () => {
    const item = (id: string, seq: number | null): TranscriptItem => ({ id, seq, author: 'customer', name: '', text: id, mediaType: 'TEXT', at: 0 });
    expect(inServerOrder([item('a', 1), item('b', 2), item('p', null), item('c', 4), item('d', 3)], 2).map((m) => m.id)).toEqual(['a', 'b', 'd', 'c', 'p']);
    expect(inServerOrder([item('a', 1), item('b', 5), item('c', 2)], 2).map((m) => m.id)).toEqual(['a', 'c', 'b']);
  });
});

describe('the history is told apart from news', () => {
  it('the history batch sets historySeq; later batches do not move it', () => {
    const s = longChat(300);
    expect(s.historySeq).toBe(300);
    const next = transition(s, { type: 'downlink.received', messages: [msg(301)], now: 0 }).state;
    expect(next.historySeq).toBe(300);
    expect(next.transcript.at(-1)!.seq).toBe(301);
  });

  it('a new chat has no history: its first messages are news', () => {
    const started = transition(initialState(), { type: 'session.start', now: 0 }).state;
    const s = transition(started, { type: 'downlink.received', messages: [msg(1, { sourceType: 'ROBOT', event: 'bot.greeting' })], now: 0 }).state;
    expect(s.historySeq).toBe(0);
  });
});
