/**
 * Paged history in the reducer (issue 18): the newest page resumes the session as the whole
 * history would (its context sets the phase), earlier pages are prepended on request, and pages
 * and live messages together show every message once, in order, with nothing announced twice.
 */
import { describe, expect, it } from 'vitest';
import type { DownlinkMessage } from '../../widget/core/protocol.js';
import { initialState, transition, type SessionEventIn, type SessionState } from '../../widget/core/session.js';
import { agentMessage, channelConfig } from './session-fixtures.js';

const msg = agentMessage;

const joined = msg(3, { controlType: 'CONNECT', sourceType: 'SYSTEM', content: 'Alice joined', event: 'agent.joined', data: { agentName: 'Alice', employeeId: '1001' } });
const queued = msg(2, { sourceType: 'SYSTEM', content: 'You are number 1', event: 'queue.joined', data: { position: 1 } });
/** seq 1..300 of a chat with Alice: the queue, her joining, then her messages and every tenth one the customer's. */
const all: DownlinkMessage[] = [msg(1, { sourceType: 'ROBOT', event: 'bot.greeting', content: 'Hi' }), queued, joined];
for (let seq = 4; seq <= 300; seq++) all.push(seq % 10 === 0 ? msg(seq, { sourceType: 'CUSTOMER', clientMessageId: `c${seq}`, from: 'c1', to: 'alice' }) : msg(seq));

function started(): SessionState {
  return transition(transition(initialState(), { type: 'session.start', now: 0 }).state, { type: 'session.configured', config: channelConfig() }).state;
}

/** What the mock answers for the newest `limit`: the page, and the latest of each state-setting kind before it. */
function newestPage(limit: number): Extract<SessionEventIn, { type: 'downlink.received' }> {
  const page = all.slice(-limit);
  const before = all.slice(0, -limit);
  const latest = new Map<string, DownlinkMessage>();
  for (const m of before) latest.set(m.event ?? (m.sourceType === 'CUSTOMER' ? 'customer' : ''), m);
  latest.delete('');
  const context = [...latest.values()].sort((a, b) => a.seq - b.seq);
  return { type: 'downlink.received', messages: page, now: 0, history: true, context, hasMore: true, earlierCount: before.length };
}

const seqs = (s: SessionState) => s.transcript.map((m) => m.seq);

describe('the newest page resumes the session', () => {
  it('its context sets the phase, the agent and rating without a row; it tells how many are left', () => {
    const step = transition(started(), newestPage(150));
    const s = step.state;
    expect(s.phase).toBe('agent');
    expect(s.agent).toEqual({ name: 'Alice', employeeId: '1001' });
    expect(s.canEvaluate).toBe(true);
    expect(s.queue).toBeNull();
    expect(seqs(s)).toEqual(all.slice(-150).map((m) => m.seq));
    expect(s.cursor).toBe(300);
    expect(s.historySeq).toBe(300);
    expect(s.earlier).toEqual({ hasMore: true, count: 150, beforeSeq: 151, status: 'idle' });
    // The context's host events go out (the host learns who it is talking to), not as messages.
    expect(step.effects.filter((e) => e.type === 'emit' && e.name === 'cec-agent-joined')).toHaveLength(1);
    const messages = step.effects.filter((e) => e.type === 'emit' && e.name === 'cec-message');
    expect(messages).toHaveLength(150 - 15); // the page's agent rows (the customer's are not host messages)
  });

  it('an idle warning before the page counts only when the customer did not answer it', () => {
    const warning = msg(1, { sourceType: 'SYSTEM', content: 'Still there?', event: 'idle.warning', data: { deadline: 1001 + 120_000 } });
    const page = { type: 'downlink.received' as const, messages: [msg(5)], now: 50, history: true, hasMore: true, earlierCount: 3 };
    const unanswered = transition(started(), { ...page, context: [joined, warning].map((m, i) => ({ ...m, seq: i + 1 })) }).state;
    expect(unanswered.idleDeadline).toBe(50 + 120_000);
    const answered = transition(started(), { ...page, context: [{ ...joined, seq: 1 }, { ...warning, seq: 2 }, msg(3, { sourceType: 'CUSTOMER', clientMessageId: 'x' })] }).state;
    expect(answered.idleDeadline).toBeNull();
  });

  it('a whole history (an older server, no hasMore) leaves nothing earlier to ask for', () => {
    const s = transition(started(), { type: 'downlink.received', messages: all, now: 0, history: true, hasMore: false }).state;
    expect(s.earlier.hasMore).toBe(false);
    expect(transition(s, { type: 'history.earlier' }).effects).toEqual([]);
  });
});

describe('earlier pages', () => {
  it('one request at a time, for the page before the first loaded seq', () => {
    const s = transition(started(), newestPage(150)).state;
    const asked = transition(s, { type: 'history.earlier' });
    expect(asked.effects).toEqual([{ type: 'loadEarlier', beforeSeq: 151 }]);
    expect(asked.state.earlier.status).toBe('loading');
    expect(transition(asked.state, { type: 'history.earlier' }).effects).toEqual([]);
  });

  it('pages and live messages arriving meanwhile: every message once, in order, the phase untouched, nothing announced', () => {
    let s = transition(started(), newestPage(100)).state; // 201..300
    s = transition(s, { type: 'history.earlier' }).state;
    // A live message and the customer's own (sending) while the page is on its way.
    s = transition(s, { type: 'message.submit', id: 'mine', text: 'hello', now: 1, name: 'c' }).state;
    s = transition(s, { type: 'downlink.received', messages: [msg(301), msg(302)], now: 1 }).state;
    // The page overlaps what is loaded (a server that counted differently): the overlap is dropped.
    const step = transition(s, { type: 'history.page', messages: all.slice(100, 205), hasMore: true, earlierCount: 100 });
    expect(step.effects).toEqual([]);
    s = step.state;
    expect(s.phase).toBe('agent');
    expect(s.cursor).toBe(302);
    expect(s.earlier).toEqual({ hasMore: true, count: 100, beforeSeq: 101, status: 'idle' });
    s = transition(transition(s, { type: 'history.earlier' }).state, { type: 'history.page', messages: all.slice(0, 100), hasMore: false, earlierCount: 0 }).state;
    expect(s.earlier.hasMore).toBe(false);
    const confirmed = s.transcript.filter((m) => m.seq !== null).map((m) => m.seq);
    expect(confirmed).toEqual(Array.from({ length: 302 }, (_, i) => i + 1));
    expect(s.transcript.at(-1)).toMatchObject({ id: 'mine', status: 'sending' });
    // The customer's own messages of a page carry their clientMessageId, as an echo would.
    expect(s.transcript.find((m) => m.seq === 10)).toMatchObject({ id: 'c10', author: 'customer', status: 'sent' });
    expect(new Set(s.transcript.map((m) => m.id)).size).toBe(s.transcript.length);
    // Not news: the window of rows the UI announces ends where it did.
    expect(s.historySeq).toBe(300);
  });

  it('a failure is told, and the reader may ask again; a page nobody asked for is ignored', () => {
    let s = transition(transition(started(), newestPage(150)).state, { type: 'history.earlier' }).state;
    s = transition(s, { type: 'history.failed' }).state;
    expect(s.earlier.status).toBe('failed');
    expect(transition(s, { type: 'history.page', messages: all.slice(0, 150), hasMore: false }).state.transcript).toHaveLength(150);
    expect(transition(s, { type: 'history.earlier' }).effects).toEqual([{ type: 'loadEarlier', beforeSeq: 151 }]);
  });

  it('a new chat keeps the old one reachable above it, and forgets a request on its way', () => {
    let s = transition(transition(started(), newestPage(150)).state, { type: 'history.earlier' }).state;
    s = { ...s, phase: 'ended' };
    s = transition(s, { type: 'session.restart', now: 2 }).state;
    expect(s.earlier).toEqual({ hasMore: true, count: 150, beforeSeq: 151, status: 'idle' });
  });
});
