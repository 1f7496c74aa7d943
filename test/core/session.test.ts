/** The session reducer: transitions, effects, idempotent downlink, and robustness. */
import { describe, expect, it } from 'vitest';
import type { DownlinkMessage } from '../../widget/core/protocol.js';
import { initialState, transition, type SessionEventIn, type SessionState } from '../../widget/core/session.js';
import { channelConfig } from './session-fixtures.js';

const config = channelConfig();

/** Fixture states use seq 1–3; messages made by tests come after them. */
let seq = 100;
function msg(partial: Partial<DownlinkMessage>): DownlinkMessage {
  const n = partial.seq ?? ++seq;
  return {
    seq: n,
    messageId: `m${n}`,
    sessionId: 's1',
    from: 'system',
    to: 'c1',
    channel: 'WEB',
    controlType: 'CHAT',
    mediaType: 'TEXT',
    content: '',
    sourceType: 'SYSTEM',
    senderNickname: 'System',
    timestamp: 1000 + seq,
    queueFlag: 'N',
    ...partial,
  };
}

function run(events: SessionEventIn[], from: SessionState = initialState()) {
  let state = from;
  const effects = [];
  for (const e of events) {
    const step = transition(state, e);
    state = step.state;
    effects.push(...step.effects);
  }
  return { state, effects };
}

const started = () =>
  run([
    { type: 'session.start', now: 0 },
    { type: 'session.configured', config },
  ]).state;
const inBot = () => run([{ type: 'downlink.received', now: 0, messages: [msg({ seq: 1, sourceType: 'ROBOT', content: 'Hi', event: 'bot.greeting' })] }], started()).state;
const inQueue = () =>
  run([{ type: 'downlink.received', now: 0, messages: [msg({ seq: 2, event: 'queue.joined', queueFlag: 'Y', data: { position: 3, estimateWaitSeconds: 360, queueName: 'WebSupport' } })] }], inBot())
    .state;
const withAgent = () =>
  run([{ type: 'downlink.received', now: 0, messages: [msg({ seq: 3, controlType: 'CONNECT', event: 'agent.joined', data: { agentName: 'Alice', employeeId: '10021' } })] }], inQueue()).state;

describe('session reducer: phase transitions', () => {
  const cases: Array<[string, () => SessionState, SessionEventIn, Partial<SessionState> | ((s: SessionState) => void)]> = [
    ['closed → starting on start', initialState, { type: 'session.start', now: 0 }, { phase: 'starting' }],
    ['starting → bot on greeting', started, { type: 'downlink.received', now: 0, messages: [msg({ sourceType: 'ROBOT', event: 'bot.greeting', content: 'Hi' })] }, { phase: 'bot' }],
    [
      'starting → offHours on notice',
      started,
      { type: 'downlink.received', now: 0, messages: [msg({ event: 'offhours.notice', content: 'Closed', data: { nextOpening: 5000 } })] },
      { phase: 'offHours' },
    ],
    [
      'starting → queue when the chatbot is off',
      started,
      { type: 'downlink.received', now: 0, messages: [msg({ event: 'queue.joined', data: { position: 1, estimateWaitSeconds: 60 } })] },
      { phase: 'queue' },
    ],
    ['starting → failed on error', started, { type: 'session.failed', error: 'auth.signature.invalid' }, { phase: 'failed', error: 'auth.signature.invalid' }],
    [
      'bot → queue on transfer',
      inBot,
      { type: 'downlink.received', now: 0, messages: [msg({ sourceType: 'ROBOT', controlType: 'TRANS2AGENT', event: 'bot.transfer' }), msg({ event: 'queue.joined', data: { position: 1 } })] },
      { phase: 'queue', transferring: false },
    ],
    [
      'queue → queue on reminder, with content and position',
      inQueue,
      { type: 'downlink.received', now: 0, messages: [msg({ event: 'queue.reminder', content: 'Please wait', data: { position: 2, estimateWaitSeconds: 240 } })] },
      (s) => expect(s.queue).toEqual({ position: 2, estimateWaitSeconds: 240, queueName: 'WebSupport', reminder: 'Please wait' }),
    ],
    [
      'queue → queue when moved to another queue (no gap)',
      inQueue,
      { type: 'downlink.received', now: 0, messages: [msg({ event: 'queue.transferred', data: { queueName: 'Billing', position: 1 } })] },
      (s) => expect([s.phase, s.queue?.queueName]).toEqual(['queue', 'Billing']),
    ],
    [
      'queue → ended on timeout release',
      inQueue,
      { type: 'downlink.received', now: 0, messages: [msg({ controlType: 'DISCONNECT', event: 'session.ended', data: { endReason: 'queue.timeout' } })] },
      (s) => expect([s.phase, s.ended?.reason, s.queue]).toEqual(['ended', 'queue.timeout', null]),
    ],
    [
      'queue → agent when accepted',
      inQueue,
      { type: 'downlink.received', now: 0, messages: [msg({ controlType: 'CONNECT', event: 'agent.joined', data: { agentName: 'Alice', employeeId: '10021' } })] },
      { phase: 'agent', agent: { name: 'Alice', employeeId: '10021' }, canEvaluate: true, queue: null },
    ],
    [
      'agent → ended by the agent',
      withAgent,
      { type: 'downlink.received', now: 0, messages: [msg({ sourceType: 'AGENT', controlType: 'DISCONNECT', event: 'session.ended', data: { endReason: 'agent' } })] },
      (s) => expect([s.phase, s.ended?.reason]).toEqual(['ended', 'agent']),
    ],
    [
      'agent: idle warning sets a deadline (clocks agree)',
      withAgent,
      { type: 'downlink.received', now: 1_000, messages: [msg({ event: 'idle.warning', timestamp: 1_000, data: { deadline: 99_000 } })] },
      { idleDeadline: 99_000 },
    ],
    [
      'agent: idle deadline counts from local arrival (server clock skew)',
      withAgent,
      { type: 'downlink.received', now: 5_000, messages: [msg({ event: 'idle.warning', timestamp: 1_000_000, data: { deadline: 1_120_000 } })] },
      { idleDeadline: 125_000 },
    ],
    [
      'agent: typing indicator on and off',
      withAgent,
      { type: 'downlink.received', now: 0, messages: [msg({ sourceType: 'AGENT', controlType: 'INPUT', data: { typing: true } })] },
      { agentTyping: true },
    ],
    ['agent: read receipt', withAgent, { type: 'downlink.received', now: 0, messages: [msg({ sourceType: 'AGENT', controlType: 'READ', data: { readSeq: 7 } })] }, { readSeq: 7 }],
    ['connection lost and back', inBot, { type: 'connection.changed', status: 'reconnecting' }, { connection: 'reconnecting' }],
  ];
  it.each(cases)('%s', (_name, from, event, expected) => {
    const { state } = run([event], from());
    if (typeof expected === 'function') expected(state);
    else expect(state).toMatchObject(expected);
  });

  it('emits cec-state-change with the previous phase', () => {
    const { effects } = run([{ type: 'session.start', now: 0 }]);
    expect(effects).toContainEqual({ type: 'emit', name: 'cec-state-change', detail: { phase: 'starting', previous: 'closed' } });
  });

  it('emits queue position, agent joined and session end for the host page', () => {
    const { effects } = run(
      [
        { type: 'downlink.received', now: 0, messages: [msg({ event: 'queue.joined', data: { position: 2, estimateWaitSeconds: 60 } })] },
        { type: 'downlink.received', now: 0, messages: [msg({ controlType: 'CONNECT', event: 'agent.joined', data: { agentName: 'Alice' } })] },
        { type: 'downlink.received', now: 0, messages: [msg({ controlType: 'DISCONNECT', event: 'session.ended', data: { endReason: 'agent' } })] },
      ],
      inBot(),
    );
    const names = effects.filter((e) => e.type === 'emit').map((e) => (e as { name: string }).name);
    expect(names).toEqual(expect.arrayContaining(['cec-queue-position', 'cec-agent-joined', 'cec-session-end', 'cec-state-change']));
  });
});

describe('session reducer: the customer’s messages', () => {
  it('a message is shown at once as sending and sent through the outbox', () => {
    const { state, effects } = run([{ type: 'message.submit', id: 'x1', text: ' hello ', now: 5, name: 'Me' }], inBot());
    expect(state.transcript.at(-1)).toMatchObject({ id: 'x1', text: 'hello', status: 'sending', seq: null });
    expect(effects).toContainEqual({ type: 'send', id: 'x1', controlType: 'CHAT', content: 'hello', mediaType: 'TEXT' });
  });

  it('a transfer keyword, in any case and anywhere, marks the chat as transferring', () => {
    expect(run([{ type: 'message.submit', id: 'x', text: 'Can I talk to an AGENT?', now: 0, name: 'Me' }], inBot()).state.transferring).toBe(true);
    expect(run([{ type: 'message.submit', id: 'x', text: '我要转人工', now: 0, name: 'Me' }], inBot()).state.transferring).toBe(true);
    expect(run([{ type: 'message.submit', id: 'x', text: 'hello', now: 0, name: 'Me' }], inBot()).state.transferring).toBe(false);
  });

  it('the Transfer button sends TRANS2AGENT once', () => {
    const { effects } = run([{ type: 'transfer.request' }, { type: 'transfer.request' }], inBot());
    expect(effects.filter((e) => e.type === 'send')).toHaveLength(1);
  });

  it('a restart keeps the count of ignored events (found by a property test: it went back to 0)', () => {
    // Counterexample of test/core/session.property.test.ts, seed 20261130.
    const { state } = run([
      { type: 'session.start', now: 0 },
      { type: 'session.failed', error: 'network' },
      { type: 'call.created', callId: 'c1' },
      { type: 'session.restart', now: 0 },
    ]);
    expect(state.phase).toBe('starting');
    expect(state.ignored).toBe(1);
  });

  it('with an agent there is no way back to the chatbot or another agent', () => {
    const { state, effects } = run([{ type: 'transfer.request' }], withAgent());
    expect(state.phase).toBe('agent');
    expect(effects.some((e) => e.type === 'send')).toBe(false);
    expect(state.ignored).toBe(1);
  });

  it('the echo of a sent message confirms it instead of adding a copy', () => {
    const s1 = run([{ type: 'message.submit', id: 'x1', text: 'hi', now: 0, name: 'Me' }], inBot()).state;
    const echo = msg({ sourceType: 'CUSTOMER', content: 'hi', clientMessageId: 'x1' });
    const s2 = run(
      [
        { type: 'downlink.received', now: 0, messages: [echo] },
        { type: 'downlink.received', now: 0, messages: [echo] },
      ],
      s1,
    ).state;
    expect(s2.transcript.filter((m) => m.text === 'hi')).toHaveLength(1);
    expect(s2.transcript.at(-1)).toMatchObject({ status: 'sent', seq: echo.seq });
  });

  it('keeps confirmed messages in server order and unconfirmed ones last (several tabs writing)', () => {
    const s1 = run(
      [
        { type: 'message.submit', id: 'mine-1', text: 'mine 1', now: 0, name: 'Me' },
        { type: 'message.submit', id: 'mine-2', text: 'mine 2', now: 0, name: 'Me' },
      ],
      inBot(),
    ).state;
    const other = msg({ sourceType: 'CUSTOMER', content: 'from the other tab', clientMessageId: 'other' });
    const mine1 = msg({ sourceType: 'CUSTOMER', content: 'mine 1', clientMessageId: 'mine-1' });
    const s2 = run([{ type: 'downlink.received', now: 0, messages: [other, mine1] }], s1).state;
    expect(s2.transcript.filter((m) => m.author === 'customer').map((m) => m.text)).toEqual(['from the other tab', 'mine 1', 'mine 2']);
  });

  it('a customer message sent from another tab appears once', () => {
    const echo = msg({ sourceType: 'CUSTOMER', content: 'from the other tab', clientMessageId: 'other' });
    const s = run([{ type: 'downlink.received', now: 0, messages: [echo, echo] }], inBot()).state;
    expect(s.transcript.filter((m) => m.text === 'from the other tab')).toHaveLength(1);
  });

  it('failed messages can be retried with the same id', () => {
    const { state, effects } = run(
      [
        { type: 'message.submit', id: 'x1', text: 'hi', now: 0, name: 'Me' },
        { type: 'message.failed', id: 'x1' },
        { type: 'message.retry', id: 'x1' },
      ],
      inBot(),
    );
    expect(state.transcript.at(-1)?.status).toBe('sending');
    expect(effects.filter((e) => e.type === 'send' && e.id === 'x1')).toHaveLength(2);
  });

  it('cannot write after the chat ended', () => {
    const ended = run([{ type: 'downlink.received', now: 0, messages: [msg({ controlType: 'DISCONNECT', event: 'session.ended', data: { endReason: 'idle' } })] }], inBot()).state;
    const { state, effects } = run([{ type: 'message.submit', id: 'x', text: 'hello?', now: 0, name: 'Me' }], ended);
    expect(state.transcript).toHaveLength(ended.transcript.length);
    expect(effects.some((e) => e.type === 'send')).toBe(false);
  });
});

describe('session reducer: the customer reads the agent (READ up)', () => {
  const agentSays = (n: number) => msg({ seq: n, sourceType: 'AGENT', senderNickname: 'Alice', content: `a${n}` });
  const chatting = () =>
    run([{ type: 'downlink.received', now: 0, messages: [agentSays(10), msg({ seq: 11, sourceType: 'CUSTOMER', content: 'hi', clientMessageId: 'x' }), agentSays(12)] }], withAgent()).state;

  it('one READ with the highest agent seq on screen, then none until a later agent message is seen', () => {
    const s0 = chatting();
    const first = transition(s0, { type: 'messages.seen', upToSeq: 11 });
    expect(first.effects).toEqual([{ type: 'read', readSeq: 10 }]);
    expect(first.state.seenSeq).toBe(10);
    const again = transition(first.state, { type: 'messages.seen', upToSeq: 11 });
    expect(again.effects).toEqual([]);
    // Nothing new to report leaves the very same state (the UI may say it on every render).
    expect(again.state).toBe(first.state);
    const more = transition(first.state, { type: 'messages.seen', upToSeq: 99 });
    expect(more.effects).toEqual([{ type: 'read', readSeq: 12 }]);
  });

  it('the bot, the system and the customer’s own messages are not read receipts for the agent', () => {
    const { state, effects } = run([{ type: 'messages.seen', upToSeq: 99 }], withAgent());
    expect(effects).toEqual([]);
    expect(state.seenSeq).toBe(0);
  });

  it('no READ outside a chat with an agent (the bot, the queue, after the end)', () => {
    const ended = run(
      [{ type: 'downlink.received', now: 0, messages: [msg({ seq: 13, controlType: 'DISCONNECT', sourceType: 'AGENT', event: 'session.ended', data: { endReason: 'agent' } })] }],
      chatting(),
    ).state;
    for (const s of [inBot(), inQueue(), ended]) expect(transition(s, { type: 'messages.seen', upToSeq: 99 }).effects).toEqual([]);
  });

  it('a reload does not resend an old READ: the runner starts from the stored seenSeq', () => {
    const s = run([{ type: 'messages.seen', upToSeq: 99 }], { ...chatting(), seenSeq: 12 });
    expect(s.effects).toEqual([]);
    expect(s.state.seenSeq).toBe(12);
  });

  it('another tab’s READ, echoed on the downlink, counts as sent here; the agent’s READ stays the agent’s', () => {
    const { state, effects } = run(
      [
        { type: 'downlink.received', now: 0, messages: [msg({ seq: 13, controlType: 'READ', sourceType: 'CUSTOMER', data: { readSeq: 12 } })] },
        { type: 'messages.seen', upToSeq: 99 },
      ],
      chatting(),
    );
    expect(effects).toEqual([]);
    expect(state.seenSeq).toBe(12);
    expect(state.readSeq).toBe(0);
  });
});

describe('session reducer: downlink is applied exactly once, in order', () => {
  it('messages at or below the cursor are ignored; out-of-order batches are sorted', () => {
    const a = msg({ sourceType: 'AGENT', content: 'one' });
    const b = msg({ sourceType: 'AGENT', content: 'two' });
    const s = run(
      [
        { type: 'downlink.received', now: 0, messages: [b, a] },
        { type: 'downlink.received', now: 0, messages: [a, b] },
      ],
      withAgent(),
    ).state;
    expect(s.transcript.filter((m) => m.author === 'agent').map((m) => m.text)).toEqual(['one', 'two']);
    expect(s.cursor).toBe(b.seq);
  });
});

describe('session reducer: evaluation', () => {
  it('is offered only after an agent took part, and the last one counts', () => {
    expect(run([{ type: 'evaluation.submit', score: 5, comment: '' }], inBot()).state.evaluation.status).toBe('idle');
    const { state, effects } = run(
      [{ type: 'evaluation.submit', score: 2, comment: 'slow' }, { type: 'evaluation.saved' }, { type: 'evaluation.submit', score: 5, comment: 'great in the end' }, { type: 'evaluation.saved' }],
      withAgent(),
    );
    expect(state.evaluation).toEqual({ status: 'saved', score: 5, comment: 'great in the end' });
    expect(effects.filter((e) => e.type === 'saveSatisfaction')).toHaveLength(2);
  });

  it('rejects scores outside 1–5 and comments of 512 characters or more', () => {
    expect(run([{ type: 'evaluation.submit', score: 6, comment: '' }], withAgent()).state.evaluation.status).toBe('idle');
    expect(run([{ type: 'evaluation.submit', score: 4, comment: 'x'.repeat(512) }], withAgent()).state.evaluation.status).toBe('idle');
    expect(run([{ type: 'evaluation.submit', score: 4, comment: 'x'.repeat(511) }], withAgent()).state.evaluation.status).toBe('saving');
  });
});

describe('session reducer: click-to-dial', () => {
  it('is offered in a chat with an agent when the channel enables it, never with the bot', () => {
    const withCalls = (st: SessionState): SessionState => ({ ...st, config: { ...config, clickToDial: { calledParty: 'agent', media: ['voice'] } } });
    expect(run([{ type: 'call.request', media: 'voice' }], withCalls(inBot())).state.call).toBeNull();
    expect(run([{ type: 'call.request', media: 'voice' }], withAgent()).state.call).toBeNull();
    const { state, effects } = run([{ type: 'call.request', media: 'voice' }], withCalls(withAgent()));
    expect(state.call?.status).toBe('permission');
    expect(effects).toContainEqual({ type: 'call.start', media: 'voice' });
    const ended = run([{ type: 'downlink.received', now: 0, messages: [msg({ controlType: 'DISCONNECT', event: 'session.ended', data: { endReason: 'agent' } })] }], state).state;
    expect(ended.call?.status).toBe('ended');
  });
});

describe('session reducer: robustness', () => {
  it('random event sequences never crash or reach an undefined phase', () => {
    const phases = new Set(['closed', 'starting', 'offHours', 'bot', 'queue', 'agent', 'ended', 'failed']);
    const events: Array<() => SessionEventIn> = [
      () => ({ type: 'session.start', now: 0 }),
      () => ({ type: 'session.restart', now: 0 }),
      () => ({ type: 'session.configured', config }),
      () => ({ type: 'session.failed', error: 'network' }),
      () => ({ type: 'message.submit', id: `r${Math.random()}`, text: Math.random() > 0.5 ? 'agent' : 'hi', now: 0, name: 'Me' }),
      () => ({ type: 'message.failed', id: 'nope' }),
      () => ({ type: 'message.retry', id: 'nope' }),
      () => ({ type: 'transfer.request' }),
      () => ({ type: 'session.end' }),
      () => ({ type: 'evaluation.submit', score: Math.ceil(Math.random() * 6), comment: '' }),
      () => ({ type: 'evaluation.saved' }),
      () => ({ type: 'connection.changed', status: Math.random() > 0.5 ? 'online' : 'reconnecting' }),
      () => {
        const kinds = ['bot.greeting', 'queue.joined', 'queue.reminder', 'agent.joined', 'session.ended', 'idle.warning', 'offhours.notice', undefined] as const;
        const event = kinds[Math.floor(Math.random() * kinds.length)];
        return { type: 'downlink.received', now: 0, messages: [msg({ event, sourceType: event === 'bot.greeting' ? 'ROBOT' : 'SYSTEM', data: { position: 1 } })] };
      },
    ];
    for (let run_ = 0; run_ < 200; run_++) {
      let state = initialState();
      for (let i = 0; i < 40; i++) {
        const e = events[Math.floor(Math.random() * events.length)]!();
        state = transition(state, e).state;
        expect(phases.has(state.phase)).toBe(true);
      }
    }
  });
});

describe('session reducer: leave-a-message', () => {
  const offHours = () => run([{ type: 'downlink.received', now: 0, messages: [msg({ event: 'offhours.notice', content: 'Closed' })] }], started()).state;
  const released = () => run([{ type: 'downlink.received', now: 0, messages: [msg({ controlType: 'DISCONNECT', event: 'session.ended', data: { endReason: 'queue.timeout' } })] }], inQueue()).state;

  it('is an event and an effect like every other action: sending, then sent or failed', () => {
    const step = transition(offHours(), { type: 'leaveMessage.submit', content: 'Call me back', contact: 'a@b.cn' });
    expect(step.state.leaveMessage).toBe('sending');
    expect(step.effects).toEqual([{ type: 'leaveMessage', content: 'Call me back', contact: 'a@b.cn' }]);
    expect(transition(step.state, { type: 'leaveMessage.sent' }).state.leaveMessage).toBe('sent');
    expect(transition(step.state, { type: 'leaveMessage.failed' }).state.leaveMessage).toBe('failed');
    expect(transition(released(), { type: 'leaveMessage.submit', content: 'later', contact: '' }).effects[0]?.type).toBe('leaveMessage');
  });

  it('only outside work time or after a queue release; never twice while sending; empty is ignored', () => {
    const inBotStep = transition(inBot(), { type: 'leaveMessage.submit', content: 'x', contact: '' });
    expect(inBotStep.effects).toEqual([]);
    expect(inBotStep.state.ignored).toBe(inBot().ignored + 1);
    expect(transition(offHours(), { type: 'leaveMessage.submit', content: '  ', contact: '' }).state.leaveMessage).toBe('idle');
    const sending = transition(offHours(), { type: 'leaveMessage.submit', content: 'x', contact: '' }).state;
    const twice = transition(sending, { type: 'leaveMessage.submit', content: 'x', contact: '' });
    expect(twice.effects).toEqual([]);
    expect(twice.state.ignored).toBe(sending.ignored + 1);
  });
});

describe('session reducer: host events', () => {
  it("an agent's end never emits an empty cec-message (issue 12 case 16), nor does any notice without text", () => {
    const { effects } = run(
      [
        { type: 'downlink.received', now: 0, messages: [msg({ sourceType: 'AGENT', controlType: 'DISCONNECT', event: 'session.ended', content: '', data: { endReason: 'agent' } })] },
        { type: 'downlink.received', now: 0, messages: [msg({ sourceType: 'AGENT', content: '  ' }), msg({ sourceType: 'ROBOT', content: '' })] },
      ],
      withAgent(),
    );
    const messages = effects.filter((e) => e.type === 'emit' && e.name === 'cec-message');
    expect(messages).toEqual([]);
    expect(effects).toContainEqual({ type: 'emit', name: 'cec-session-end', detail: { reason: 'agent' } });
  });

  it('emits the agent who joined with the fields of the map, nothing else', () => {
    const { effects } = run(
      [{ type: 'downlink.received', now: 0, messages: [msg({ controlType: 'CONNECT', event: 'agent.joined', data: { agentName: 'Alice', employeeId: '10021', position: 3 } })] }],
      inQueue(),
    );
    expect(effects).toContainEqual({ type: 'emit', name: 'cec-agent-joined', detail: { agentName: 'Alice', employeeId: '10021' } });
  });
});
