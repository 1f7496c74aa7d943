/**
 * The connector against a scripted CEC (exact control of each upstream answer): the widget's
 * contract towards the browser, the real wire upstream, consume-once storage, token refresh,
 * error mapping, idempotent sends with unknown outcomes, derived events, logs without secrets.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createConnector, type ConnectorHandler } from '../../../widget/server/connector/connector.js';
import type { MemoryStore } from '../../../widget/server/connector/memory-store.js';
import { APP_KEY, APP_SECRET, CHANNEL_CONFIG, FakeCec } from './fake-cec.js';

const ORIGIN = 'http://connector.test';
const API = `${ORIGIN}/apiaccess/ccmessaging`;

let connector: ConnectorHandler | null = null;
afterEach(async () => {
  await connector?.close();
  connector = null;
});

function setup(opts: { now?: () => number } = {}) {
  const cec = new FakeCec();
  const logs: Array<Record<string, unknown>> = [];
  connector = createConnector(CHANNEL_CONFIG, {
    env: { CEC_APP_KEY: APP_KEY, CEC_APP_SECRET: APP_SECRET },
    fetch: cec.fetch,
    log: (r) => logs.push(r),
    random: () => 0,
    sweepMs: 0,
    now: opts.now,
  });
  const c = connector;
  const call = async (method: string, path: string, o: { token?: string; body?: unknown; headers?: Record<string, string> } = {}) => {
    const res = await c(
      new Request(API + path, {
        method,
        headers: { ...(o.body ? { 'content-type': 'application/json' } : {}), ...(o.token ? { 'ccmessaging-token': o.token } : {}), ...o.headers },
        body: o.body === undefined ? undefined : JSON.stringify(o.body),
      }),
    );
    return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, any> };
  };
  const start = async (userId = 'u1', resumeKey?: string) => {
    const t = await call('POST', '/applyToken', { body: { channelId: 'demo', userId, userName: 'Wang', locale: 'en', ...(resumeKey ? { resumeKey } : {}) } });
    expect(t.status).toBe(200);
    return t.body as { token: string; resumeKey: string };
  };
  const send = (token: string, controlType: string, content = '', clientMessageId: string = crypto.randomUUID()) =>
    call('POST', '/send', { token, body: { channel: 'WEB', controlType, mediaType: 'TEXT', content, clientMessageId } });
  const poll = (token: string, cursor: number, wait = 0, userId = 'u1') => call('GET', `/poll?receiverId=${userId}&channel=WEB&cursor=${cursor}&wait=${wait}`, { token });
  /** Polls until `pred` holds for everything after cursor 0. */
  const until = async (token: string, pred: (msgs: any[]) => boolean, userId = 'u1') => {
    let msgs: any[] = [];
    await vi.waitFor(
      async () => {
        msgs = (await poll(token, 0, 0, userId)).body.downlinkMessages;
        expect(pred(msgs)).toBe(true);
      },
      { timeout: 5000, interval: 5 },
    );
    return msgs;
  };
  return { cec, logs, call, start, send, poll, until, connector: c };
}

const robot = (content: string) => ({ sourceType: 'ROBOT', controlType: 'CHAT', mediaType: 'TEXT', content, senderNickname: 'Ava', timestamp: 1 });
const agent = (content: string, controlType = 'CHAT') => ({ sourceType: 'AGENT', controlType, mediaType: 'TEXT', content, senderNickname: 'Alice', timestamp: 2 });
const system = (content: string, controlType = 'CHAT') => ({ sourceType: 'SYSTEM', controlType, mediaType: 'TEXT', content, senderNickname: '系统', timestamp: 3 });

describe('connector: towards the browser', () => {
  it('applyToken gives a token and a resumeKey; queryChannelConfig comes from the config file', async () => {
    const { call, start } = setup();
    const t = await start();
    expect(t.token).toMatch(/^[\w-]{40,}$/);
    expect(t.resumeKey).toMatch(/^[A-Za-z0-9_-]{22,128}$/);
    const cfg = await call('GET', '/queryChannelConfig?channelId=demo');
    expect(cfg.body).toMatchObject({ resultCode: '0', useRobot: true, toArtificialKeyWord: ['agent'], queueReminderInterval: 10, requiresSignature: false, chatbot: { name: 'Ava' } });
    expect(cfg.body.satisfactionLevels).toHaveLength(5);
    expect(JSON.stringify(cfg.body)).not.toContain('secret');
  });

  it('names the field of a bad request', async () => {
    const { call, start, send } = setup();
    expect((await call('POST', '/applyToken', { body: { channelId: 'demo', userId: 'bad id!' } })).body).toMatchObject({ errorCode: 'applyToken.userId.invalid', field: 'userId' });
    expect((await call('POST', '/applyToken', { body: { channelId: 'nope', userId: 'u1' } })).status).toBe(404);
    const { token } = await start();
    const r = await send(token, 'CHAT', '');
    expect(r.status).toBe(400);
    expect(r.body.field).toBe('content');
    expect((await call('GET', '/poll?receiverId=u1&cursor=x', { token })).body.field).toBe('cursor');
    expect((await call('GET', '/poll?receiverId=u1', {})).status).toBe(401);
  });

  it('C1: the same resumeKey continues the conversation; another key sees nothing of it', async () => {
    const { cec, start, send, poll, until } = setup();
    const first = await start();
    await send(first.token, 'CONNECT');
    cec.push('u1', robot('Hello!'));
    await until(first.token, (m) => m.length === 1);
    const again = await start('u1', first.resumeKey);
    expect(again.resumeKey).toBe(first.resumeKey);
    expect((await poll(again.token, 0)).body.downlinkMessages.map((m: any) => m.content)).toEqual(['Hello!']);
    const stranger = await start('u1', 'x'.repeat(22));
    expect(stranger.resumeKey).not.toBe(first.resumeKey);
    expect((await poll(stranger.token, 0)).body.downlinkMessages).toEqual([]);
    // The stranger's history is empty too.
  });
});

describe('connector: towards the CEC', () => {
  it('CONNECT: AccessToken by AK/SK, one applyToken, every header of the real wire', async () => {
    const { cec, start, send } = setup();
    const { token } = await start();
    expect((await send(token, 'CONNECT')).body).toMatchObject({ resultCode: '0' });
    expect(cec.routes('tokenByAkSk')).toHaveLength(1);
    expect(cec.routes('applyToken')[0]!.body).toEqual({ userId: 'u1', userName: 'Wang', channelId: 'demo', locale: 'en' });
    const connect = cec.routes('send')[0]!;
    expect(connect.headers['x-app-key']).toBe(APP_KEY);
    expect(connect.headers.authorization).toMatch(/^Bearer AT-/);
    expect(connect.headers['ccmessaging-token']).toMatch(/^CM-/);
    expect(connect.body).toMatchObject({ channel: 'WEB', controlType: 'CONNECT', from: 'u1', to: 'demo', sourceType: 'CUSTOMER' });
  });

  it('stores what the consume-once poll gave before any browser asks, with a gap-free seq and cursor replay', async () => {
    const { cec, start, send, poll, until } = setup();
    const { token } = await start();
    await send(token, 'CONNECT');
    cec.push('u1', robot('Hi'), robot('How can I help?'));
    // Nobody polls: the upstream queue still empties into the store.
    await vi.waitFor(() => expect(cec.downlink.get('u1')).toEqual([]));
    const msgs = await until(token, (m) => m.length === 2);
    expect(msgs.map((m) => [m.seq, m.content, m.event])).toEqual([
      [1, 'Hi', 'bot.greeting'],
      [2, 'How can I help?', 'bot.reply'],
    ]);
    expect((await poll(token, 1)).body).toMatchObject({ cursor: 2, downlinkMessages: [{ seq: 2 }] });
    expect((await poll(token, 0)).body.downlinkMessages).toHaveLength(2); // replay
  });

  it('a long poll wakes when the upstream loop stores a message', async () => {
    const { cec, start, send, poll } = setup();
    const { token } = await start();
    await send(token, 'CONNECT');
    const waiting = poll(token, 0, 20);
    setTimeout(() => cec.push('u1', agent('Hello from Alice')), 30);
    const r = await waiting;
    expect(r.body.downlinkMessages.map((m: any) => m.event ?? m.content)).toEqual(['agent.joined', 'Hello from Alice']);
  });

  it('refreshes the AccessToken and the ccmessaging token after a 401, and adopts a rotated token', async () => {
    const { cec, start, send } = setup();
    const { token } = await start();
    await send(token, 'CONNECT');
    cec.expireAll();
    expect((await send(token, 'CHAT', 'after expiry')).body).toMatchObject({ resultCode: '0', seq: expect.any(Number) });
    expect(cec.routes('tokenByAkSk').length).toBeGreaterThanOrEqual(2);
    expect(cec.routes('applyToken').length).toBeGreaterThanOrEqual(2);
    cec.rotateNext = 'CM-rotated';
    await send(token, 'CHAT', 'one');
    await send(token, 'CHAT', 'two');
    expect(cec.routes('send').at(-1)!.headers['ccmessaging-token']).toBe('CM-rotated');
    expect(cec.sent.filter((s) => s.controlType === 'CHAT').map((s) => s.content)).toEqual(['after expiry', 'one', 'two']);
  });

  it("HTTP 200 with a non-zero resultCode is a failure, mapped to the widget's codes", async () => {
    const { cec, start, send, call } = setup();
    const { token } = await start();
    await send(token, 'CONNECT');
    cec.fail('send', { resultCode: '1' });
    const r = await send(token, 'CHAT', 'refused');
    expect(r.status).toBe(409);
    expect(r.body.errorCode).toBe('send.rejected');
    cec.fail('saveSatisfaction', { resultCode: '13' });
    expect((await call('POST', '/saveSatisfaction', { token, body: { evaluation: '5', comment: '' } })).body.errorCode).toBe('saveSatisfaction.rejected');
    for (let i = 0; i < 3; i++) cec.fail('queryHistoryChatMessage', { status: 503 });
    for (let i = 0; i < 3; i++) cec.fail('doLeaveMessage', { status: 503 });
    const down = await call('POST', '/doLeaveMessage', { token, body: { content: 'call me', contact: '123' } });
    expect(down.status).toBe(503);
    expect(down.body.errorCode).toBe('upstream.unavailable');
    expect(down.headers.get('retry-after')).toBeTruthy();
  });

  it('a retried send (same clientMessageId) reaches the CEC once and answers the same seq', async () => {
    const { cec, start, send } = setup();
    const { token } = await start();
    await send(token, 'CONNECT');
    const a = await send(token, 'CHAT', 'hello', 'cm-1');
    const b = await send(token, 'CHAT', 'hello', 'cm-1');
    expect(b.body).toEqual(a.body);
    expect(cec.sent.filter((s) => s.controlType === 'CHAT')).toHaveLength(1);
  });

  it('unknown outcome, processed upstream: the retry finds it in the CEC history and does not send again', async () => {
    const { cec, start, send, until } = setup();
    const { token } = await start();
    await send(token, 'CONNECT');
    cec.fail('send', 'drop-response');
    const first = await send(token, 'CHAT', 'was it sent?', 'cm-2');
    expect(first.status).toBe(503);
    expect(first.body.errorCode).toBe('send.outcomeUnknown');
    const retry = await send(token, 'CHAT', 'was it sent?', 'cm-2');
    expect(retry.body).toMatchObject({ resultCode: '0', seq: expect.any(Number) });
    expect(cec.sent.filter((s) => s.content === 'was it sent?')).toHaveLength(1);
    const msgs = await until(token, (m) => m.some((x) => x.clientMessageId === 'cm-2'));
    expect(msgs.filter((x) => x.clientMessageId === 'cm-2')).toHaveLength(1);
  });

  it('unknown outcome, not processed: sent again only once the history proves it absent', async () => {
    let t = 1_800_000_000_000;
    const { cec, start, send } = setup({ now: () => t });
    const { token } = await start();
    await send(token, 'CONNECT');
    cec.fail('send', 'drop-request');
    expect((await send(token, 'CHAT', 'lost on the way', 'cm-3')).status).toBe(503);
    // Too early to be sure a late copy will not arrive: still waiting.
    expect((await send(token, 'CHAT', 'lost on the way', 'cm-3')).body.errorCode).toBe('send.outcomeUnknown');
    t += 5000;
    const r = await send(token, 'CHAT', 'lost on the way', 'cm-3');
    expect(r.body).toMatchObject({ resultCode: '0' });
    expect(cec.sent.filter((s) => s.content === 'lost on the way')).toHaveLength(1);
    expect((await send(token, 'CHAT', 'lost on the way', 'cm-3')).body).toEqual(r.body);
  });

  it('derives events: greeting, reply, transfer prompt, queue position and reminder, agent by sender change, end by agent', async () => {
    let t = 1_800_000_000_000;
    const { cec, start, send, until } = setup({ now: () => t });
    const { token } = await start();
    await send(token, 'CONNECT');
    cec.push('u1', robot('Hi'), robot('We open at 9.'));
    await until(token, (m) => m.length === 2);
    await send(token, 'CHAT', 'agent please');
    cec.queueInfo = { resultCode: '0', position: 3, estimateWaitTime: 90 };
    cec.push('u1', robot('Connecting you to an agent now…'));
    let msgs = await until(token, (m) => m.some((x) => x.event === 'queue.joined'));
    expect(msgs.find((x) => x.event === 'bot.transfer')?.content).toBe('Connecting you to an agent now…');
    expect(msgs.find((x) => x.event === 'queue.joined')?.data).toEqual({ position: 3, estimateWaitSeconds: 90 });
    t += 10_000;
    cec.queueInfo = { resultCode: '0', position: 1, estimateWaitTime: 30 };
    cec.push('u1', system('unrelated notice'));
    msgs = await until(token, (m) => m.some((x) => x.event === 'queue.reminder'));
    expect(msgs.find((x) => x.event === 'queue.reminder')).toMatchObject({ content: 'Please hold on, you are in the queue.', data: { position: 1, estimateWaitSeconds: 30 } });
    expect(msgs.find((x) => x.content === 'unrelated notice')).toMatchObject({ sourceType: 'SYSTEM' });
    expect(msgs.find((x) => x.content === 'unrelated notice')?.event).toBeUndefined();
    cec.push('u1', agent('Hello, I am Alice'));
    msgs = await until(token, (m) => m.some((x) => x.content === 'Hello, I am Alice'));
    const joined = msgs.find((x) => x.event === 'agent.joined');
    expect(joined?.data).toEqual({ agentName: 'Alice' });
    expect(joined!.seq).toBeLessThan(msgs.find((x) => x.content === 'Hello, I am Alice').seq);
    cec.push('u1', system('Are you still there?'));
    msgs = await until(token, (m) => m.some((x) => x.event === 'idle.warning'));
    expect(msgs.find((x) => x.event === 'idle.warning')!.data.deadline).toBe(t + 120_000);
    cec.push('u1', agent('', 'DISCONNECT'));
    msgs = await until(token, (m) => m.some((x) => x.event === 'session.ended'));
    expect(msgs.find((x) => x.event === 'session.ended')!.data).toEqual({ endReason: 'agent' });
    expect(msgs.map((m) => m.seq)).toEqual(msgs.map((_, i) => i + 1));
  });

  it('a configured SYSTEM text says an agent joined; a CONNECT does too', async () => {
    const { cec, start, send, until } = setup();
    const { token } = await start();
    await send(token, 'CONNECT');
    cec.push('u1', system('已接通座席。'));
    const msgs = await until(token, (m) => m.length === 1);
    expect(msgs[0]).toMatchObject({ event: 'agent.joined', content: '已接通座席。' });
  });

  it('CORS: an allowed origin gets the headers; another gets none and one cors.refused line; the same origin needs none', async () => {
    const logs: Array<Record<string, unknown>> = [];
    const cec = new FakeCec();
    const c = (connector = createConnector(
      { ...CHANNEL_CONFIG, allowedOrigins: ['https://shop.example'] },
      { env: { CEC_APP_KEY: APP_KEY, CEC_APP_SECRET: APP_SECRET }, fetch: cec.fetch, log: (r) => logs.push(r), sweepMs: 0 },
    ));
    const preflight = (origin: string) => c(new Request(`${API}/applyToken`, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST' } }));
    expect((await preflight('https://shop.example')).headers.get('access-control-allow-origin')).toBe('https://shop.example');
    for (let i = 0; i < 3; i++) expect((await preflight('http://127.0.0.1:8090')).headers.get('access-control-allow-origin')).toBeNull();
    await preflight(ORIGIN);
    expect(logs.filter((l) => l.event === 'cors.refused')).toEqual([expect.objectContaining({ event: 'cors.refused', origin: 'http://127.0.0.1:8090' })]);
  });

  it("a join derived from the agent's first message has its own id: the CEC's messageCode stays the message's", async () => {
    const { cec, start, send, until } = setup();
    const { token } = await start();
    await send(token, 'CONNECT');
    cec.push('u1', { ...agent('Hello, I am Alice'), messageCode: 'up-1' });
    const msgs = await until(token, (m) => m.some((x) => x.content === 'Hello, I am Alice'));
    const joined = msgs.find((x) => x.event === 'agent.joined');
    expect(msgs.find((x) => x.content === 'Hello, I am Alice').messageId).toBe('up-1');
    expect(joined.messageId).not.toBe('up-1');
    expect(new Set(msgs.map((x) => x.messageId)).size).toBe(msgs.length);
  });

  it('the connected text after queue info already said an agent took the chat is shown, not a second join', async () => {
    const { cec, start, send, until } = setup();
    const { token } = await start();
    await send(token, 'CONNECT');
    await send(token, 'TRANS2AGENT');
    cec.queueInfo = { resultCode: '160021' };
    await until(token, (m) => m.some((x) => x.event === 'agent.joined'));
    cec.push('u1', system('已接通座席。'));
    const msgs = await until(token, (m) => m.some((x) => x.content === '已接通座席。'));
    expect(msgs.filter((x) => x.event === 'agent.joined')).toHaveLength(1);
    expect(msgs.find((x) => x.content === '已接通座席。')).toMatchObject({ sourceType: 'SYSTEM', controlType: 'CHAT' });
  });

  it("a join claimed without a name is named by the agent's first message, once", async () => {
    const { cec, start, send, until } = setup();
    const { token } = await start();
    await send(token, 'CONNECT');
    cec.push('u1', system('已接通座席。'));
    cec.push('u1', agent('Hello, I am Alice'));
    cec.push('u1', agent('How can I help?'));
    const msgs = await until(token, (m) => m.some((x) => x.content === 'How can I help?'));
    const joins = msgs.filter((x) => x.event === 'agent.joined');
    expect(joins.map((x) => x.data)).toEqual([{}, { agentName: 'Alice' }]);
    expect(joins[1].seq).toBeLessThan(msgs.find((x) => x.content === 'Hello, I am Alice').seq);
  });

  it('the customer ending the chat sends DISCONNECT upstream once', async () => {
    const { cec, start, send, until, connector: c } = setup();
    const { token } = await start();
    await send(token, 'CONNECT');
    await send(token, 'DISCONNECT');
    await send(token, 'DISCONNECT');
    const msgs = await until(token, (m) => m.some((x) => x.event === 'session.ended'));
    expect(msgs.filter((x) => x.event === 'session.ended')).toHaveLength(1);
    expect(msgs.at(-1)!.data).toEqual({ endReason: 'customer' });
    // Sent in the background (the customer's end does not wait for the CEC).
    await vi.waitFor(() => expect(cec.sent.filter((s) => s.controlType === 'DISCONNECT')).toHaveLength(1));
    await c.close();
    expect(cec.sent.filter((s) => s.controlType === 'DISCONNECT')).toHaveLength(1);
  });

  it("the customer's end is answered once session.ended is stored, while the CEC is still taking the DISCONNECT; a DISCONNECT the CEC keeps refusing is logged", async () => {
    const { cec, start, send, poll, logs } = setup();
    const { token } = await start();
    await send(token, 'CONNECT');
    let release: () => void = () => {};
    const held = new Promise<void>((r) => (release = r));
    cec.onSend = async (body) => {
      if (body.controlType === 'DISCONNECT') await held;
      return undefined;
    };
    const ended = await send(token, 'DISCONNECT');
    expect(ended.body).toMatchObject({ resultCode: '0' });
    expect((await poll(token, 0)).body.downlinkMessages.map((m: any) => m.event)).toContain('session.ended');
    expect(cec.sent.filter((s) => s.controlType === 'DISCONNECT')).toHaveLength(1); // asked, not answered yet
    release();
    await vi.waitFor(() => expect(logs.some((l) => l.upstream === 'send' && l.outcome === 'ok' && l.status === 200)).toBe(true));

    // Another customer; the CEC answers every DISCONNECT with 500: retried (idempotent), then logged.
    cec.onSend = null;
    const other = await start('u2');
    await send(other.token, 'CONNECT');
    for (let i = 0; i < 3; i++) cec.fail('send', { status: 500 });
    expect((await send(other.token, 'DISCONNECT')).body).toMatchObject({ resultCode: '0' });
    await vi.waitFor(() => expect(logs.filter((l) => l.event === 'disconnect.failed')).toHaveLength(1));
    expect(cec.routes('send').filter((r) => r.body.controlType === 'DISCONNECT' && r.body.from === 'u2')).toHaveLength(3);
  });

  it('logs one line per upstream call with route, resultCode and ms, and never a token or key', async () => {
    const { start, send, logs } = setup();
    const { token } = await start();
    await send(token, 'CONNECT');
    await send(token, 'CHAT', 'secret content');
    const upstream = logs.filter((l) => l.upstream);
    expect(upstream.map((l) => l.upstream)).toEqual(expect.arrayContaining(['tokenByAkSk', 'applyToken', 'send']));
    for (const l of upstream) expect(l).toEqual(expect.objectContaining({ status: expect.any(Number), ms: expect.any(Number) }));
    const text = JSON.stringify(logs);
    for (const s of [APP_KEY, APP_SECRET, token, 'AT-', 'CM-', 'secret content']) expect(text).not.toContain(s);
  });

  it('uploads and downloads go through the connector; FILE content is translated to the CEC format', async () => {
    const { cec, start, send, call, connector } = setup();
    const { token } = await start();
    await send(token, 'CONNECT');
    const png = Buffer.from('\x89PNG\r\n\x1a\nhello', 'latin1').toString('base64');
    const up = await call('POST', '/uploadFileStream', { token, body: { fileType: 'image/png', fileName: 'a,b.png', fileStream: png, channel: 'WEB' } });
    expect(up.body.objectKey).toMatch(/^[\w-]{20,}\/a%2Cb\.png$/);
    expect(cec.routes('uploadFileStream')[0]!.body).toMatchObject({ fileType: 'PNG', channel: 'WEB' });
    const r = await call('POST', '/send', { token, body: { controlType: 'CHAT', mediaType: 'FILE', content: up.body.objectKey, clientMessageId: 'f1' } });
    expect(r.body.resultCode).toBe('0');
    expect(cec.sent.at(-1)!.content).toMatch(/^a_b\.png,13,obs\/\d+,png$/);
    const dl = await connector(new Request(`${API}/file/${up.body.objectKey}`));
    expect(dl.status).toBe(200);
    expect(dl.headers.get('content-type')).toBe('image/png');
    expect(dl.headers.get('x-content-type-options')).toBe('nosniff');
    const dlCall = cec.routes('downloadFileStream')[0]!;
    expect(dlCall.headers['x-app-key']).toBe(APP_KEY);
    expect([...dl.headers.values()].join(' ')).not.toContain('AT-');
    const bad = await call('POST', '/uploadFileStream', { token, body: { fileType: 'image/png', fileName: 'x.png', fileStream: Buffer.from('GIF89a').toString('base64') } });
    expect(bad.body).toMatchObject({ errorCode: 'upload.fileStream.mismatch', field: 'fileStream' });
    // Hidden and direction characters go from a file name by the widget's own rule (bidi marks,
    // word joiners, the BOM, tag characters), and so do slashes, tabs and line breaks.
    const hidden = await call('POST', '/uploadFileStream', {
      token,
      body: { fileType: 'image/png', fileName: 'in\u061Cvoice\u2060\uFEFF\u202Egnp.exe\u{E0041}\t/..\\x.png', fileStream: png, channel: 'WEB' },
    });
    expect(decodeURIComponent(hidden.body.objectKey.split('/')[1])).toBe('invoicegnp.exe..x.png');
  });

  it('satisfaction levels come from getsatisfactionsurveymode when the CEC has them', async () => {
    const { start, send, call } = setup();
    const { token } = await start();
    await send(token, 'CONNECT');
    await vi.waitFor(async () => expect((await call('GET', '/queryChannelConfig?channelId=demo')).body.satisfactionLevels[0].satisfactionLevelDesc).toBe('Awful'));
    expect((await call('GET', '/getsatisfactionsurveymode', { token })).body.satisfactionLevel).toHaveLength(5);
  });

  it('a customer whose browser went silent is disconnected upstream', async () => {
    let t = 1_800_000_000_000;
    const { cec, start, send, until } = setup({ now: () => t });
    const { token } = await start();
    await send(token, 'CONNECT');
    t += 91_000; // silenceSeconds defaults to 90
    cec.push('u1', robot('anyone?'));
    await vi.waitFor(() => expect(cec.sent.filter((s) => s.controlType === 'DISCONNECT')).toHaveLength(1));
    const msgs = await until(token, (m) => m.some((x) => x.event === 'session.ended'));
    expect(msgs.at(-1)!.data).toEqual({ endReason: 'customer' });
  });
  it('forgets an ended customer once the retention time has passed: memory goes back down', async () => {
    let t = 1_800_000_000_000;
    const { cec, start, send, until, connector: c } = setup({ now: () => t });
    const { token } = await start();
    await send(token, 'CONNECT');
    cec.push('u1', robot('Hi'));
    await send(token, 'CHAT', 'hello');
    await send(token, 'DISCONNECT');
    await until(token, (m) => m.some((x) => x.event === 'session.ended'));
    const store = c.store as MemoryStore;
    await c.sweep();
    expect(store.sizes().customers).toBe(1); // still within retention: a reload can read it
    t += 25 * 3600_000;
    await c.sweep();
    expect(store.sizes()).toEqual({ customers: 0, logs: 0, messages: 0, idempotency: 0, tokens: 0, leases: 0, active: 0, waiters: 0 });
  });
});

describe('connector: idempotency records live as long as a retry can come', () => {
  it('a record is kept silenceSeconds + retainMinutes + unknownSendGraceMs after its last use, and a retry renews it', async () => {
    let t = 1_800_000_000_000;
    const cec = new FakeCec();
    // silence 1 h, retention 60 min, grace 5 s: a record lives 2 h 5 s after its last use.
    connector = createConnector(
      { ...CHANNEL_CONFIG, session: { silenceSeconds: 3600, retainMinutes: 60 } },
      {
        env: { CEC_APP_KEY: APP_KEY, CEC_APP_SECRET: APP_SECRET },
        fetch: cec.fetch,
        log: () => {},
        random: () => 0,
        sweepMs: 0,
        now: () => t,
      },
    );
    const c = connector;
    const call = async (path: string, body: unknown, token?: string) => {
      const res = await c(new Request(API + path, { method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { 'ccmessaging-token': token } : {}) }, body: JSON.stringify(body) }));
      return { status: res.status, body: (await res.json()) as Record<string, any> };
    };
    const { token } = (await call('/applyToken', { channelId: 'demo', userId: 'u1', userName: 'Wang', locale: 'en' })).body as { token: string };
    const send = (controlType: string, content: string, clientMessageId: string) => call('/send', { channel: 'WEB', controlType, mediaType: 'TEXT', content, clientMessageId }, token);
    await send('CONNECT', '', 'c-0');
    const store = c.store as MemoryStore;
    const first = await send('CHAT', 'hello', 'cm-1');
    expect(first.status).toBe(200);
    t += 50 * 60_000; // the widget asks again 50 minutes later (e.g. the customer pressed Retry)
    const again = await send('CHAT', 'hello', 'cm-1');
    expect(again.body).toEqual(first.body);
    expect(cec.sent.filter((s) => s.controlType === 'CHAT')).toHaveLength(1);
    const ttl = 3600_000 + 60 * 60_000 + 5000;
    t += ttl - 1000;
    store.sweep();
    expect(store.sizes().idempotency).toBe(1); // renewed by the retry: still there 2 h after the first send
    t += 2000;
    store.sweep();
    expect(store.sizes().idempotency).toBe(0); // gone once no retry can come (it used to stay 24 h)
  });
});

describe("connector: the customer's message keeps its place", () => {
  /**
   * The CEC answers the question before its /send returns (a fast bot): the upstream poll loop
   * takes and stores the answer while the send is still under way. Waits until the answer is
   * stored (more messages in the store than when the send arrived).
   */
  const answerDuringSend = (cec: FakeCec, store: MemoryStore, answer: Record<string, unknown>, then?: () => Promise<Response | undefined>) => {
    cec.onSend = async (body) => {
      if (body.controlType !== 'CHAT') return;
      cec.onSend = null;
      const before = store.sizes().messages;
      cec.push('u1', answer);
      await vi.waitFor(() => expect(store.sizes().messages).toBeGreaterThan(before), { timeout: 5000, interval: 2 });
      return then?.();
    };
  };

  it('an answer taken by the upstream poll while /send is under way gets a higher seq than the question, and is not shown before it', async () => {
    const { cec, start, send, poll, until, connector: c } = setup();
    const store = c.store as MemoryStore;
    const { token } = await start();
    await send(token, 'CONNECT');
    let seenDuringSend: unknown[] = [];
    answerDuringSend(cec, store, robot('The answer'), async () => {
      seenDuringSend = (await poll(token, 0)).body.downlinkMessages;
      return undefined;
    });
    const sent = await send(token, 'CHAT', 'The question', 'q-1');
    expect(sent.body).toMatchObject({ resultCode: '0', seq: 1 });
    expect(seenDuringSend).toEqual([]); // the answer waited for the question's place
    const msgs = await until(token, (m) => m.length === 2);
    expect(msgs.map((m) => [m.seq, m.sourceType, m.content])).toEqual([
      [1, 'CUSTOMER', 'The question'],
      [2, 'ROBOT', 'The answer'],
    ]);
    expect(msgs[0].clientMessageId).toBe('q-1');
    // A retry of the send repeats the first answer; the message is in the log once.
    expect((await send(token, 'CHAT', 'The question', 'q-1')).body).toMatchObject({ seq: 1 });
    expect((await poll(token, 0)).body.downlinkMessages.filter((m: any) => m.clientMessageId === 'q-1')).toHaveLength(1);
  });

  it('a send the CEC refuses withdraws its place (a READ of nothing); the retry that gets through is shown once, after what came meanwhile', async () => {
    const { cec, start, send, poll, until, connector: c } = setup();
    const store = c.store as MemoryStore;
    const { token } = await start();
    await send(token, 'CONNECT');
    answerDuringSend(
      cec,
      store,
      agent('Agent wrote meanwhile'),
      async () => new Response(JSON.stringify({ resultCode: '1', resultDesc: 'refused' }), { headers: { 'content-type': 'application/json' } }),
    );
    const refused = await send(token, 'CHAT', 'Hello?', 'q-2');
    expect(refused.status).toBe(409);
    expect(refused.body.errorCode).toBe('send.rejected');
    const ok = await send(token, 'CHAT', 'Hello?', 'q-2');
    expect(ok.body).toMatchObject({ resultCode: '0' });
    const msgs = await until(token, (m) => m.some((x: any) => x.clientMessageId === 'q-2'));
    expect(msgs.map((m) => m.seq)).toEqual(msgs.map((_, i) => i + 1)); // gap-free
    const place = msgs.find((m) => m.seq === 1);
    expect(place).toMatchObject({ controlType: 'READ', content: '', data: { readSeq: 0 } });
    expect(place.clientMessageId).toBeUndefined();
    const shown = msgs.filter((m) => m.controlType !== 'READ').map((m) => [m.sourceType, m.content]);
    expect(shown).toContainEqual(['CUSTOMER', 'Hello?']);
    expect(shown.filter(([, t]) => t === 'Hello?')).toHaveLength(1);
    expect(msgs.find((m) => m.clientMessageId === 'q-2').seq).toBe(ok.body.seq);
    expect(msgs.findIndex((m) => m.content === 'Agent wrote meanwhile')).toBeLessThan(msgs.findIndex((m) => m.clientMessageId === 'q-2'));
    // History (what a reload shows) leaves the withdrawn place out.
    const h = await c(new Request(`${API}/queryHistoryChatMessage`, { method: 'POST', headers: { 'ccmessaging-token': token, 'content-type': 'application/json' }, body: '{}' }));
    const hist = (await h.json()) as { messages: any[]; cursor: number };
    expect(hist.messages.filter((m) => m.content === 'Hello?')).toHaveLength(1);
    expect(hist.messages.some((m) => m.controlType === 'READ')).toBe(false);
    expect(hist.cursor).toBe(msgs.at(-1).seq);
    expect((await poll(token, hist.cursor)).body.downlinkMessages).toEqual([]);
  });

  it('a send whose answer was lost keeps its place while the retry finds it in the CEC history: confirmed there, before the answer', async () => {
    const { cec, start, send, poll, until, connector: c } = setup();
    const store = c.store as MemoryStore;
    const { token } = await start();
    await send(token, 'CONNECT');
    answerDuringSend(cec, store, robot('The answer'), async () => {
      throw new TypeError('fetch failed'); // the answer to /send is lost: outcome unknown
    });
    const lost = await send(token, 'CHAT', 'The question', 'q-3');
    expect(lost.body.errorCode).toBe('send.outcomeUnknown');
    expect((await poll(token, 0)).body.downlinkMessages).toEqual([]); // the answer waits for the question's place
    const retry = await send(token, 'CHAT', 'The question', 'q-3');
    expect(retry.body).toMatchObject({ resultCode: '0', seq: 1 });
    expect(cec.sent.filter((m) => m.controlType === 'CHAT')).toHaveLength(1); // not sent twice
    const msgs = await until(token, (m) => m.length === 2);
    expect(msgs.map((m) => [m.seq, m.sourceType, m.content])).toEqual([
      [1, 'CUSTOMER', 'The question'],
      [2, 'ROBOT', 'The answer'],
    ]);
  });
});
