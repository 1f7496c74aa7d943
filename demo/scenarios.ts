/**
 * Scenario presets for QA: each puts the mock contact center in a state worth testing, through
 * the same /mock APIs a person could call, and says what to do next.
 */
import { seedTenant } from '../mock-server/config/seed.js';
import { customerSend, type SendRequest } from '../mock-server/runtime/customer-send.js';
import { closingTime, isWorkingTime } from '../widget/core/work-time.js';
import type { MockApi } from './agent-desk.js';

export const DEMO_AUTO_AGENT = {
  account: 'bob',
  acceptAfterSeconds: 3,
  replies: ['Hi, this is Bob. How can I help you today?', 'Let me look into that for you.', 'All done. Is there anything else?'],
};

const OFFICE_HOURS = {
  timeZone: 'Asia/Shanghai',
  workdays: [1, 2, 3, 4, 5],
  workday: [{ start: '09:00', end: '18:00' }],
  nonWorkday: [],
  nonWorkingNotice: 'Our agents work 09:00–18:00 (Beijing time), Monday to Friday. Leave a message and we will reply.',
};

const patchChannel = (mock: MockApi, patch: unknown) => mock('/admin/channels/demo', { method: 'PATCH', body: patch });
const patchQueue = (mock: MockApi, name: string, patch: unknown) => mock(`/admin/skill-queues/${name}`, { method: 'PATCH', body: patch });

async function signOutEveryone(mock: MockApi): Promise<void> {
  const { agents } = await mock<{ agents: Array<{ account: string; status: string }> }>('/agents');
  for (const a of agents) {
    if (a.status === 'busy') await mock(`/agents/${a.account}/end`, { body: {} });
    if (a.status !== 'signedOut') await mock(`/agents/${a.account}/sign-out`, { body: {} }).catch(() => undefined);
  }
}

/** A customer who is already waiting, so the queue is full for the next one. */
async function phantomCustomer(mock: MockApi): Promise<void> {
  const userId = `waiting-${Date.now()}`;
  const api = '/apiaccess/ccmessaging';
  const post = async (path: string, body: unknown, token?: string) => {
    const res = await fetch(api + path, { method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { 'ccmessaging-token': token } : {}) }, body: JSON.stringify(body) });
    return res.json();
  };
  const { token } = await post('/applyToken', { channelId: 'demo', userId, userName: 'Waiting customer' });
  const send = (controlType: SendRequest['controlType'], n: number) =>
    post('/send', customerSend({ userId, controlType, senderNickname: 'Waiting customer', timestamp: Date.now(), clientMessageId: `${userId}-${n}` }), token);
  await send('CONNECT', 1);
  await send('TRANS2AGENT', 2);
  void mock;
}

/** Moves the mock clock just past the channel's next closing time (its work time, if it has one). */
export async function jumpToClosing(mock: MockApi, now: number): Promise<string> {
  const { item } = await mock<{ item: { workTime: typeof OFFICE_HOURS | null } }>('/admin/channels/demo');
  if (!item.workTime) return 'The channel has no work time (always open): set one in the Administrator pane or use the Off hours preset.';
  if (!isWorkingTime(item.workTime, now)) return 'It is already outside work time.';
  const closing = closingTime(item.workTime, now);
  if (closing === null) return 'The channel is open around the clock.';
  await mock('/clock/advance', { body: { ms: closing - now + 60_000 } });
  return `The clock moved to ${new Date(closing + 60_000).toLocaleString()}, just after closing time.`;
}

/** The click-to-dial queue of the preset: a video one takes both voice and video calls (Table 1). */
export const VIDEO_CALL_QUEUE = 'WebVideoCall';

/** Creates the video click-to-dial queue if it is missing and lets bob (a versatile agent) serve it. */
async function ensureVideoCallQueue(mock: MockApi): Promise<void> {
  const { items } = await mock<{ items: Array<{ name: string }> }>('/admin/skill-queues');
  if (!items.some((q) => q.name === VIDEO_CALL_QUEUE)) {
    await mock('/admin/skill-queues', { body: { name: VIDEO_CALL_QUEUE, description: 'Voice and video click-to-dial from the web chat', type: 'videoClickToDial' } });
  }
  const { item: bob } = await mock<{ item: { skillQueues: string[] } }>('/admin/agents/bob');
  if (!bob.skillQueues.includes(VIDEO_CALL_QUEUE)) {
    await mock('/admin/agents/bob', { method: 'PATCH', body: { skillQueues: [...bob.skillQueues, VIDEO_CALL_QUEUE] } });
  }
}

/** Lines the agent sends in the long-chat preset: three earlier history pages of 150 above the newest. */
const LONG_CHAT = 600;

export interface Scenario {
  id: string;
  label: string;
  apply(mock: MockApi, clockNow: number): Promise<string>;
}

export const SCENARIOS: Scenario[] = [
  {
    id: 'chatbot-off',
    label: 'Chatbot off',
    async apply(mock) {
      await patchChannel(mock, { chatbot: null });
      return 'The chatbot is off: a new chat goes straight to the queue.';
    },
  },
  {
    id: 'chatbot-on',
    label: 'Chatbot on',
    async apply(mock) {
      await patchChannel(mock, { chatbot: seedTenant().channels[0]!.chatbot });
      return 'The chatbot Ava greets new chats again.';
    },
  },
  {
    id: 'off-hours',
    label: 'Off hours',
    async apply(mock, now) {
      await patchChannel(mock, { workTime: OFFICE_HOURS });
      if (!isWorkingTime(OFFICE_HOURS, now)) return 'Office hours are set and it is closed now: Try shows the notice and leave-a-message.';
      const closing = closingTime(OFFICE_HOURS, now)!;
      await mock('/clock/advance', { body: { ms: closing - now + 60_000 } });
      return 'Office hours are set and the clock jumped past closing time: Try shows the notice and leave-a-message.';
    },
  },
  {
    id: 'queue-full',
    label: 'Queue full',
    async apply(mock) {
      await patchQueue(mock, 'WebSupport', { maxCallsInQueue: 1 });
      await mock('/agents/alice/sign-in', { body: {} });
      await phantomCustomer(mock);
      return 'WebSupport holds 1 customer and one is already waiting: the next customer who asks for an agent is released as busy.';
    },
  },
  {
    id: 'queue-timeout',
    label: 'Queue timeout',
    async apply(mock) {
      await patchQueue(mock, 'WebSupport', { maxWaitTime: 30 });
      await mock('/agents/alice/sign-in', { body: {} });
      return 'Customers wait at most 30 s and alice is signed in but not ready: ask for an agent, then move the clock +1 min.';
    },
  },
  {
    id: 'click-to-dial',
    label: 'Click-to-dial',
    async apply(mock) {
      await ensureVideoCallQueue(mock);
      await patchChannel(mock, { clickToDial: { calledParty: 'agent', skillQueue: VIDEO_CALL_QUEUE, media: ['voice', 'video'] } });
      await mock('/agents/bob/sign-in', { body: {} });
      await mock('/agents/bob/ready', { body: {} });
      return `Voice and video calls are on (queue ${VIDEO_CALL_QUEUE}) and bob, who serves it, is ready: chat with an agent, press the phone or camera button, then answer on the card that rings.`;
    },
  },
  {
    id: 'long-chat',
    label: 'Long chat',
    async apply(mock) {
      const { agent } = await mock<{ agent: { status: string; session: { customerName: string; userId: string } | null } }>('/agents/alice');
      if (agent.status === 'signedOut') await mock('/agents/alice/sign-in', { body: {} });
      await mock('/agents/alice/ready', { body: {} });
      if (!agent.session) return 'alice is ready: press Try in the Customer pane, ask for an agent, accept on her card in the Agent workbench, then press Long chat again for the long history.';
      // One request for every line (the agent API's `contents`), not one round trip per line.
      const contents = Array.from({ length: LONG_CHAT }, (_, i) => `Line ${i + 1} of ${LONG_CHAT} of a long chat.`);
      await mock('/agents/alice/send', { body: { contents } });
      return `alice sent ${LONG_CHAT} lines to ${agent.session.customerName}. Reload the page with ?mock=http (the chat outlives the reload there) and press Try again with customer id ${agent.session.userId}: it resumes with its newest 150 messages, and scrolling up or "Show earlier messages" loads each earlier page from the server.`;
    },
  },
  {
    id: 'no-agents',
    label: 'No agents',
    async apply(mock) {
      const { item } = await mock<{ item: { autoAgents: unknown[] } }>('/admin/tenant');
      if (item.autoAgents.length) await mock('/admin/tenant', { method: 'PUT', body: { ...item, autoAgents: [] } });
      await signOutEveryone(mock);
      return 'Every agent is signed out: asking for an agent ends with "no agent is on duty" and the offer to leave a message.';
    },
  },
];
