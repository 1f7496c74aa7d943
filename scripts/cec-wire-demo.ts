/**
 * One customer through the real CEC web-channel wire only, as the reference's Postman test page
 * does (shared/docs/cec-real-api.md §0):
 *
 *   npx tsx scripts/cec-wire-demo.ts [--base-url http://127.0.0.1:8787]
 *
 * tokenByAkSk → applyToken → send CONNECT → chat with the chatbot → TRANS2AGENT →
 * queryQueueInfo while queued → an agent accepts (the mock's agent API, standing in for the
 * agent workbench) → chat both ways (the customer's poll is held until the agent writes) →
 * getsatisfactionsurveymode → saveSatisfaction → DISCONNECT. Prints the transcript: every request
 * and answer of the wire (credentials and tokens shortened), then the conversation as the
 * customer saw it.
 *
 * Without --base-url it starts the mock's plain HTTP server in this process on a free port of
 * 127.0.0.1 and closes it at the end. With --base-url it plays against a running `npm run mock`
 * with the seeded tenant (its AK/SK pair). Exits 1 when a step does not answer as documented.
 */
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { SEED_CEC_APP_KEY, SEED_CEC_APP_SECRET } from '../mock-server/config/seed.js';
import { createMockHttpServer } from '../mock-server/http/server.js';

const { values } = parseArgs({ options: { 'base-url': { type: 'string' } } });
const USER = 'wire-demo-1';
const CHANNEL = 'demo';
const REQUEST_TIMEOUT_MS = 15_000;

interface Downlink {
  sourceType: string;
  senderNickname: string;
  controlType: string;
  content: string;
}

const lines: string[] = [];
const conversation: string[] = [];
const say = (line: string) => {
  lines.push(line);
  console.log(line);
};

/** Shortens a credential or token for printing: never the whole value. */
const short = (s: string) => (s.length > 10 ? `${s.slice(0, 6)}…(${s.length} chars)` : '***');

function printable(body: unknown): string {
  return JSON.stringify(body, (k, v) => {
    if (typeof v !== 'string') return v;
    if (k === 'app_secret') return '***';
    if (k === 'AccessToken' || k === 'token') return short(v);
    return v;
  });
}

class Wire {
  accessToken = '';
  token = '';

  constructor(readonly base: string) {}

  async call(method: 'GET' | 'POST', path: string, body?: unknown, opts: { customer?: boolean; gateway?: boolean; quiet?: boolean } = {}): Promise<any> {
    const headers: Record<string, string> = {};
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (opts.gateway !== false && this.accessToken) {
      headers['x-app-key'] = SEED_CEC_APP_KEY;
      headers.authorization = `Bearer ${this.accessToken}`;
    }
    if (opts.customer !== false && this.token) headers['ccmessaging-token'] = this.token;
    if (!opts.quiet) say(`→ ${method} ${path}${body === undefined ? '' : ` ${printable(body)}`}`);
    const res = await fetch(`${this.base}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    const text = await res.text();
    const answer = text ? JSON.parse(text) : null;
    const fresh = res.headers.get('ccmessaging-token');
    if (fresh) {
      say(`  (a fresh ccmessaging-token came back in the response header: switching to it)`);
      this.token = fresh;
    }
    if (!opts.quiet) say(`← ${res.status} ${printable(answer)}`);
    if (res.status !== 200) throw new Error(`${method} ${path} answered HTTP ${res.status}`);
    return answer;
  }

  /** The agent's side: the mock's agent API (what the demo's workbench uses). */
  agent(account: string, action: string, body?: unknown) {
    say(`  [agent ${account}] ${action}${body ? ` ${JSON.stringify(body)}` : ''}`);
    return this.call('POST', `/mock/agents/${account}/${action}`, body, { gateway: false, customer: false, quiet: true });
  }
}

function expectCode(answer: any, field: 'resultCode' | 'returnCode', code: string, step: string) {
  if (answer?.[field] !== code) throw new Error(`${step}: expected ${field} "${code}", got ${JSON.stringify(answer)}`);
}

function show(messages: Downlink[]) {
  for (const m of messages) {
    const who = `${m.senderNickname} (${m.sourceType})`;
    const line =
      m.controlType === 'CHAT' ? `${who}: ${m.content}` : m.controlType === 'READ' ? `${who}: [READ] has read your messages` : `${who}: [${m.controlType}]${m.content ? ` ${m.content}` : ''}`;
    conversation.push(line);
    say(`  ⇣ ${line}`);
  }
}

async function play(base: string): Promise<void> {
  const w = new Wire(base);
  const api = '/cec/apiaccess/ccmessaging';
  const send = async (controlType: string, content = '') => {
    if (controlType === 'CHAT') conversation.push(`Customer: ${content}`);
    const r = await w.call('POST', `${api}/send`, {
      channel: 'WEB',
      content,
      controlType,
      from: USER,
      mediaType: 'TEXT',
      senderNickname: 'Wang Fang',
      sourceType: 'CUSTOMER',
      timestamp: String(Date.now()),
      to: CHANNEL,
      userAgent: 'cec-wire-demo',
    });
    expectCode(r, 'resultCode', '0', `send ${controlType}`);
  };
  /** Polls until `until` says the customer has what it waits for (each poll is answered at once or held ≤ 5 s). */
  const pollUntil = async (what: string, until: (all: Downlink[]) => boolean, maxPolls = 6): Promise<Downlink[]> => {
    const got: Downlink[] = [];
    for (let i = 0; i < maxPolls && !until(got); i++) {
      const r = await w.call('GET', `${api}/poll?receiverId=${USER}&channel=WEB&isNeedRead=true`);
      show(r.downlinkMessages);
      got.push(...r.downlinkMessages);
    }
    if (!until(got)) throw new Error(`poll: ${what} did not arrive`);
    return got;
  };

  say('# 1. API Fabric: the tenant AK/SK pair becomes an AccessToken');
  const at = await w.call('POST', '/cec/apigovernance/api/oauth/tokenByAkSk', { app_key: SEED_CEC_APP_KEY, app_secret: SEED_CEC_APP_SECRET });
  w.accessToken = at.AccessToken;

  say('\n# 2. applyToken (x-app-key + Authorization: Bearer on every call from now on)');
  const applied = await w.call('POST', `${api}/applyToken`, { userId: USER, userName: 'Wang Fang', channelId: CHANNEL, locale: 'en' });
  expectCode(applied, 'resultCode', '0', 'applyToken');
  w.token = applied.token;

  say('\n# 3. CONNECT, then the chatbot');
  await send('CONNECT');
  await pollUntil('the greeting', (all) => all.some((m) => m.sourceType === 'ROBOT'));
  await send('CHAT', 'What are your opening hours?');
  await pollUntil('the chatbot answer', (all) => all.some((m) => m.sourceType === 'ROBOT'));

  say('\n# 4. TRANS2AGENT while the only agent is signed in but not ready yet: the customer queues');
  await w.agent('alice', 'sign-in');
  await send('TRANS2AGENT');
  await pollUntil('the transfer prompt', (all) => all.some((m) => m.sourceType === 'SYSTEM'));
  const queued = await w.call('POST', `${api}/queryQueueInfo`, { userId: USER, channelConfigId: CHANNEL, channel: 'WEB' });
  expectCode(queued, 'resultCode', '0', 'queryQueueInfo while queued');
  say(`  (queued: position ${queued.position}, estimated wait ${queued.estimateWaitTime} s, longest allowed ${queued.configMaxcWaitTime} s)`);

  say("\n# 5. The agent gets ready and accepts (the mock's agent API)");
  await w.agent('alice', 'ready');
  await w.agent('alice', 'accept');
  await pollUntil('the connected notice', (all) => all.some((m) => m.sourceType === 'SYSTEM'));
  const withAgent = await w.call('POST', `${api}/queryQueueInfo`, { userId: USER, channelConfigId: CHANNEL, channel: 'WEB' });
  expectCode(withAgent, 'resultCode', '160021', 'queryQueueInfo with an agent');

  say("\n# 6. Chat both ways: the customer writes; the agent answers while the customer's poll is held");
  await send('CHAT', 'My parcel has not arrived, order 42.');
  const held = pollUntil('the agent answer', (all) => all.some((m) => m.sourceType === 'AGENT' && m.controlType === 'CHAT'));
  await new Promise((r) => setTimeout(r, 300));
  await w.agent('alice', 'send', { content: 'Sorry about that! Order 42 left our warehouse yesterday; it arrives tomorrow.' });
  await held;
  await send('CHAT', 'Great, thank you!');
  await w.agent('alice', 'send', { content: 'You are welcome. Anything else?' });
  await pollUntil('the second agent answer', (all) => all.some((m) => m.sourceType === 'AGENT' && m.controlType === 'CHAT'));

  say('\n# 7. Satisfaction, then DISCONNECT');
  const mode = await w.call('POST', `${api}/getsatisfactionsurveymode`, { language: 'en_US' });
  expectCode(mode, 'resultCode', '0', 'getsatisfactionsurveymode');
  const best = mode.satisfactionSurvey.satisfactionLevel.at(-1);
  const saved = await w.call('POST', `${api}/saveSatisfaction`, {
    channel: 'WEB',
    userId: USER,
    evaluation: best.satisfactionLevelKey,
    comment: 'Quick and kind.',
    channelConfigId: CHANNEL,
    npsScore: '9',
    fcrValue: '1',
  });
  expectCode(saved, 'resultCode', '0', 'saveSatisfaction');
  conversation.push(`Customer rated: ${best.satisfactionLevelKey} (${best.satisfactionLevelDesc}) — "Quick and kind."`);
  await send('DISCONNECT');
  await pollUntil('the end of the session', (all) => all.some((m) => m.controlType === 'DISCONNECT'));
  const ended = await w.call('POST', `${api}/queryQueueInfo`, { userId: USER, channelConfigId: CHANNEL, channel: 'WEB' });
  expectCode(ended, 'resultCode', '5', 'queryQueueInfo after the end');
  await w.agent('alice', 'sign-out').catch(() => undefined);
}

async function main(): Promise<number> {
  let base = values['base-url'];
  let close = async () => {};
  if (!base) {
    const { server, cc } = createMockHttpServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    close = async () => {
      cc.clock.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    };
    say(`(the mock contact center on ${base}, started by this script)\n`);
  }
  try {
    await play(base.replace(/\/$/, ''));
    say('\n# The conversation as the customer saw it');
    for (const line of conversation) say(`  ${line}`);
    say('\nOK: every step answered as the reference documents.');
    return 0;
  } catch (e) {
    console.error(`FAILED: ${e instanceof Error ? e.message : String(e)}`);
    return 1;
  } finally {
    await close();
  }
}

process.exitCode = await main();
