/**
 * Contract of send / sendAsync / poll on the real CEC face, from shared/docs/cec-real-api.md
 * §1.2, §1.3 and §2: `{resultCode, resultDesc}` only; every controlType and mediaType; TEXT at
 * most 1 KB; FILE content "name,sizeBytes,objectKey,type"; a consume-once poll held up to 5 s
 * (on the mock clock); READ only with isNeedRead; the documented downlink fields and none of the
 * mock's; system notices as SYSTEM text signed "system"/"系统"; release of a customer who stops
 * polling.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { API, CecCustomer, DOWNLINK_FIELDS, accessToken, request, startWire, type Wire } from './wire.js';

let wire: Wire;
beforeEach(() => {
  wire = startWire();
});
afterEach(() => wire.close());

const PNG = btoa(String.fromCharCode(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3));
const MP4 = btoa('\0\0\0\x18ftypmp42xxxx');
const MP3 = btoa('ID3\x03\0\0\0\0\0\x0a');

async function upload(c: CecCustomer, fileType: string, fileStream: string): Promise<string> {
  const r = await c.post('uploadFileStream', { fileType, fileStream, channel: 'WEB' });
  expect(r.body.returnCode).toBe('0');
  return r.body.objectKey;
}

/** An agent signs in and gets ready (before a transfer: with nobody signed in the queue releases the customer). */
async function agentReady(account = 'alice') {
  for (const step of ['sign-in', 'ready']) {
    const r = await request('POST', `http://cec.test/mock/agents/${account}/${step}`);
    expect(r.status).toBe(200);
  }
}
/** The customer asks for an agent, who accepts. */
async function toAgent(c: CecCustomer, account = 'alice') {
  await agentReady(account);
  await c.send('TRANS2AGENT');
  expect((await request('POST', `http://cec.test/mock/agents/${account}/accept`)).status).toBe(200);
}
const agentSays = (text: string, account = 'alice') => request('POST', `http://cec.test/mock/agents/${account}/send`, { content: text });

describe('send and sendAsync', () => {
  it.each(['send', 'sendAsync'])('%s answers {resultCode "0", resultDesc} and nothing else', async (path) => {
    const c = await new CecCustomer(wire, 'u-1').start();
    const r = await c.send('CHAT', 'hello', 'TEXT', path);
    expect(r.status).toBe(200);
    expect(Object.keys(r.body).sort()).toEqual(['resultCode', 'resultDesc']);
    expect(r.body.resultCode).toBe('0');
  });

  it('sendAsync reaches the chatbot like send does', async () => {
    const c = await new CecCustomer(wire, 'u-1').start();
    await c.poll();
    await c.send('CHAT', 'refund please', 'TEXT', 'sendAsync');
    expect((await c.poll()).map((m) => m.content)).toEqual(['Refunds are paid to the original card within 5 working days.']);
  });

  it('every controlType is accepted: CONNECT, CHAT, INPUT, READ, TRANS2AGENT, DISCONNECT', async () => {
    const c = await new CecCustomer(wire, 'u-1').start(false);
    for (const ct of ['CONNECT', 'CHAT', 'INPUT', 'READ', 'TRANS2AGENT', 'DISCONNECT']) {
      const r = await c.send(ct, ct === 'CHAT' ? 'hi' : '');
      expect([ct, r.status, r.body.resultCode]).toEqual([ct, 200, '0']);
    }
    expect(wire.cc.allSessions()[0]!.phase).toBe('ended');
  });

  it('CONNECT and DISCONNECT need no content; an unknown controlType is a 400', async () => {
    const c = await new CecCustomer(wire, 'u-1').start(false);
    expect((await c.send('CONNECT')).body.resultCode).toBe('0');
    const bad = await c.send('LOGIN');
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.body).sort()).toEqual(['errorCode', 'exceptionInfo']);
  });

  it('a CHAT before CONNECT is a business failure: HTTP 200, resultCode ≠ "0"', async () => {
    const c = await new CecCustomer(wire, 'u-1').start(false);
    const r = await c.send('CHAT', 'hello?');
    expect(r.status).toBe(200);
    expect(r.body.resultCode).not.toBe('0');
  });

  it('TEXT: 1024 bytes pass, 1025 bytes (or a blank text) are refused', async () => {
    const c = await new CecCustomer(wire, 'u-1').start();
    expect((await c.send('CHAT', 'a'.repeat(1024))).body.resultCode).toBe('0');
    expect((await c.send('CHAT', `${'中'.repeat(341)}a`)).body.resultCode).toBe('0'); // 1024 bytes
    expect((await c.send('CHAT', 'a'.repeat(1025))).status).toBe(400);
    expect((await c.send('CHAT', '中'.repeat(342))).status).toBe(400); // 1026 bytes
    expect((await c.send('CHAT', '   ')).status).toBe(400);
  });

  it('every mediaType with its documented content is accepted', async () => {
    const c = await new CecCustomer(wire, 'u-1').start();
    const png = await upload(c, 'PNG', PNG);
    const mp4 = await upload(c, 'MP4', MP4);
    const mp3 = await upload(c, 'MP3', MP3);
    const cases: Array<[string, string]> = [
      ['TEXT', 'hello'],
      ['IMAGE', png],
      ['AUDIO', mp3],
      ['VIDEO', mp4],
      ['FILE', `report, final.png,11,${png},png`],
      ['FILE_IMAGE', `${png},jpg`],
      ['FILE_VIDEO', `${mp4},mp4`],
      ['WEBCARD', JSON.stringify({ title: 'Order 42', description: 'Shipped', mediaFileId: png, mediaFileType: 'img/png' })],
      ['WEBCARD', JSON.stringify({ title: 'Track it', redirectUrl: 'https://shop.example/track/42' })],
    ];
    for (const [mediaType, content] of cases) {
      const r = await c.send('CHAT', content, mediaType);
      expect([mediaType, r.status, r.body.resultCode]).toEqual([mediaType, 200, '0']);
    }
    // The agent side sees them in the conversation.
    const texts = wire.cc
      .allSessions()[0]!
      .stream.messages.filter((m) => m.sourceType === 'CUSTOMER')
      .map((m) => m.content);
    expect(texts).toContain(`report, final.png,11,${png},png`);
  });

  it.each([
    ['IMAGE', 'not-an-object-key'],
    ['FILE', 'name.png,11,unknown-key,png'],
    ['FILE', 'only-an-object-key'],
    ['FILE', 'name.png,eleven,KEY,png'],
    ['FILE_IMAGE', 'unknown,jpg'],
    ['WEBCARD', '{"title":"no target"}'],
    ['WEBCARD', '{"title":"x","redirectUrl":"javascript:alert(1)"}'],
    ['WEBCARD', 'not json'],
    ['STICKER', 'x'],
  ])('%s with content %j is refused with a 400', async (mediaType, content) => {
    const c = await new CecCustomer(wire, 'u-1').start();
    const png = await upload(c, 'PNG', PNG);
    const r = await c.send('CHAT', content.replace('KEY', png), mediaType);
    expect(r.status).toBe(400);
    expect(r.body.errorCode).toMatch(/^send\./);
  });

  it("from must be the token's userId, to the channel configuration id, channel WEB", async () => {
    const c = await new CecCustomer(wire, 'u-1').start();
    const base = { channel: 'WEB', controlType: 'CHAT', mediaType: 'TEXT', content: 'x', from: 'u-1', to: 'demo', sourceType: 'CUSTOMER' };
    expect((await c.post('send', base)).body.resultCode).toBe('0');
    expect((await c.post('send', { ...base, from: 'u-2' })).status).toBe(400);
    expect((await c.post('send', { ...base, to: 'signed' })).status).toBe(400);
    expect((await c.post('send', { ...base, channel: 'APP' })).status).toBe(400);
    expect((await c.post('send', { ...base, sourceType: 'AGENT' })).status).toBe(400);
  });
});

describe('poll', () => {
  it('answers at once with what is waiting: {resultCode, resultDesc, downlinkMessages}', async () => {
    const c = await new CecCustomer(wire, 'u-1').start();
    const r = await c.pollRaw();
    expect(r.body).toEqual({ resultCode: '0', resultDesc: 'query user messages success.', downlinkMessages: [expect.any(Object)] });
  });

  it("downlink messages carry the documented fields and none of the mock's own", async () => {
    const c = await new CecCustomer(wire, 'u-1').start();
    const [greeting] = await c.poll();
    for (const k of Object.keys(greeting)) expect(DOWNLINK_FIELDS).toContain(k);
    for (const k of ['seq', 'event', 'data', 'clientMessageId', 'messageId', 'sessionId']) expect(greeting).not.toHaveProperty(k);
    expect(greeting).toMatchObject({
      channel: 'WEB',
      from: 'demo',
      to: 'u-1',
      mediaType: 'TEXT',
      sourceType: 'ROBOT',
      senderNickname: 'Ava',
      controlType: 'CHAT',
      robotGender: 'FEMALE',
      queueFlag: 'N',
      timestamp: wire.clock.now(),
      receiveTime: wire.clock.now(),
      interIdx: 1,
    });
    expect(greeting.messageCode).toMatch(/\S/);
    expect(greeting.content).toContain('virtual assistant');
  });

  it('a message polled once is never polled again', async () => {
    const c = await new CecCustomer(wire, 'u-1').start();
    await c.send('CHAT', 'opening hours?');
    const first = await c.poll();
    expect(first.map((m) => m.sourceType)).toEqual(['ROBOT', 'ROBOT']);
    expect(await c.pollThroughHold()).toEqual([]);
    await c.send('CHAT', 'refund');
    const second = await c.poll();
    expect(second).toHaveLength(1);
    const codes = [...first, ...second].map((m) => m.messageCode);
    expect(new Set(codes).size).toBe(codes.length);
  });

  it('two polls at once never share a message', async () => {
    const c = await new CecCustomer(wire, 'u-1').start();
    await c.poll();
    const a = c.pollRaw();
    const b = c.pollRaw();
    await vi.waitFor(() => expect(wire.face.heldPolls).toBe(2));
    await c.send('CHAT', 'hours'); // one chatbot answer for two waiting polls
    await vi.waitFor(() => expect(wire.face.heldPolls).toBe(1));
    wire.clock.advance(5000);
    const got = [...(await a).body.downlinkMessages, ...(await b).body.downlinkMessages];
    expect(got.map((m) => m.content)).toEqual(['We are open Monday to Friday, 09:00–18:00.']);
  });

  it('holds up to 5 s on the mock clock when nothing is waiting, then answers empty', async () => {
    const c = await new CecCustomer(wire, 'u-1').start();
    await c.poll();
    let done = false;
    const p = c.pollRaw().then((r) => ((done = true), r));
    await vi.waitFor(() => expect(wire.face.heldPolls).toBe(1));
    wire.clock.advance(4999);
    await Promise.resolve();
    await new Promise((r) => setImmediate(r));
    expect(done).toBe(false);
    wire.clock.advance(1);
    expect((await p).body.downlinkMessages).toEqual([]);
  });

  it('a held poll answers as soon as a message arrives', async () => {
    const c = await new CecCustomer(wire, 'u-1').start();
    await c.poll();
    const p = c.pollRaw();
    await vi.waitFor(() => expect(wire.face.heldPolls).toBe(1));
    wire.clock.advance(2000);
    await c.send('CHAT', 'hours');
    const r = await p;
    expect(r.body.downlinkMessages.map((m: any) => m.content)).toEqual(['We are open Monday to Friday, 09:00–18:00.']);
    expect(wire.face.heldPolls).toBe(0);
  });

  it('the hold time is configurable (here 2 s)', async () => {
    await request('PUT', 'http://cec.test/mock/cec/config', { pollHoldSeconds: 2 });
    const c = await new CecCustomer(wire, 'u-1').start();
    await c.poll();
    expect(await c.pollThroughHold(undefined, 2000)).toEqual([]);
  });

  it('receiverId must be the userId; channel must be WEB', async () => {
    const c = await new CecCustomer(wire, 'u-1').start();
    expect((await request('GET', `${API}/poll?receiverId=u-2&channel=WEB`, undefined, c.headers())).status).toBe(400);
    expect((await request('GET', `${API}/poll?receiverId=u-1`, undefined, c.headers())).status).toBe(400);
  });

  it('READ notices come only with isNeedRead=true', async () => {
    const c = await new CecCustomer(wire, 'u-1').start();
    const d = await new CecCustomer(wire, 'u-2').start();
    await toAgent(c, 'alice');
    await toAgent(d, 'bob');
    await c.poll();
    await d.poll();
    await c.send('CHAT', 'my order is late');
    await d.send('CHAT', 'my order is late');
    await agentSays('Let me check.', 'alice');
    await agentSays('Let me check.', 'bob');
    const withRead = await c.poll(true);
    const without = await d.poll(false);
    expect(withRead.map((m) => m.controlType)).toEqual(['CHAT', 'READ']);
    expect(withRead[1]).toMatchObject({ sourceType: 'AGENT', senderNickname: 'Alice', content: '' });
    expect(without.map((m) => m.controlType)).toEqual(['CHAT']);
  });

  it("the customer's own messages are not echoed and typing is not sent", async () => {
    const c = await new CecCustomer(wire, 'u-1').start();
    await c.poll();
    await c.send('INPUT', 'typ');
    await c.send('CHAT', 'xyzzy');
    const got = await c.poll();
    expect(got.map((m) => m.sourceType)).toEqual(['ROBOT']);
  });
});

describe('system notices are plain SYSTEM text', () => {
  it("transfer: the chatbot's transferPrompt, then the queue reminder, then the connected text (en)", async () => {
    const c = await new CecCustomer(wire, 'u-1').start();
    await c.poll();
    await request('POST', 'http://cec.test/mock/agents/alice/sign-in');
    await c.send('TRANS2AGENT');
    wire.clock.advance(10_000);
    await request('POST', 'http://cec.test/mock/agents/alice/ready');
    await request('POST', 'http://cec.test/mock/agents/alice/accept');
    const got = await c.poll();
    expect(got.map((m) => [m.sourceType, m.controlType, m.senderNickname, m.content, m.queueFlag])).toEqual([
      ['SYSTEM', 'CHAT', 'system', 'Connecting you to an agent now…', 'N'],
      ['SYSTEM', 'CHAT', 'system', 'Thanks for waiting, an agent will be with you shortly.', 'Y'],
      ['SYSTEM', 'CHAT', 'system', 'Connected to an agent.', 'N'],
    ]);
  });

  it('a zh customer gets 已接通座席。, and a zh tenant signs SYSTEM messages 系统', async () => {
    await request('PUT', 'http://cec.test/mock/cec/config', { language: 'zh' });
    const c = await new CecCustomer(wire, 'u-1', 'demo', 'zh').start();
    await toAgent(c);
    const got = (await c.poll()).filter((m) => m.sourceType === 'SYSTEM');
    expect(got.at(-1)).toMatchObject({ senderNickname: '系统', controlType: 'CHAT', content: '已接通座席。' });
  });

  it('the connected text is configurable per language', async () => {
    await request('PUT', 'http://cec.test/mock/cec/config', { connectedText: { en: 'An agent is here.', zh: '座席已接入。' } });
    const c = await new CecCustomer(wire, 'u-1').start();
    await toAgent(c);
    expect((await c.poll()).at(-1)!.content).toBe('An agent is here.');
  });

  it('outside work time: the configured non-working notice', async () => {
    wire.close();
    wire = startWire((t) => {
      t.channels[0]!.workTime = {
        timeZone: 'Asia/Shanghai',
        workdays: [1, 2, 3, 4, 5],
        workday: [{ start: '00:00', end: '01:00' }],
        nonWorkday: [],
        nonWorkingNotice: 'We are closed; back at 00:00.',
      };
    });
    const c = await new CecCustomer(wire, 'u-1').start();
    expect((await c.poll()).map((m) => [m.sourceType, m.content])).toEqual([['SYSTEM', 'We are closed; back at 00:00.']]);
  });

  it("the chatbot's timeoutReply, then DISCONNECT with isOfflineStatus", async () => {
    const c = await new CecCustomer(wire, 'u-1').start();
    await c.poll();
    wire.face.setConfig({ releaseAfterSeconds: 86_400 });
    await c.send('CHAT', 'hi'); // re-arms the release timer with the new setting
    await c.poll();
    wire.clock.advance(20 * 60_000);
    c.accessToken = await accessToken();
    const got = await c.poll();
    expect(got.map((m) => [m.sourceType, m.controlType, m.content])).toEqual([
      ['SYSTEM', 'CHAT', 'This chat was closed because we did not hear from you. Come back any time!'],
      ['SYSTEM', 'DISCONNECT', ''],
    ]);
    expect(got[1].isOfflineStatus).toBe('true');
  });

  it("the agent's conclusion on the idle rule (channel dialogEnd)", async () => {
    wire.close();
    wire = startWire((t) => {
      t.channels[0]!.dialogEnd = { noReplyMinutes: 5, conclusion: 'The chat has ended. Thank you.' };
    });
    wire.face.setConfig({ releaseAfterSeconds: 86_400 });
    const c = await new CecCustomer(wire, 'u-1').start();
    await toAgent(c);
    await c.poll();
    wire.clock.advance(5 * 60_000);
    c.accessToken = await accessToken();
    expect((await c.poll()).map((m) => m.content)).toEqual(['The chat has ended. Thank you.', '']);
  });

  it('an agent who ends the chat: DISCONNECT from the agent', async () => {
    const c = await new CecCustomer(wire, 'u-1').start();
    await toAgent(c);
    await c.poll();
    await request('POST', 'http://cec.test/mock/agents/alice/end');
    expect(await c.poll()).toEqual([expect.objectContaining({ sourceType: 'AGENT', senderNickname: 'Alice', controlType: 'DISCONNECT', isOfflineStatus: 'true' })]);
  });

  it('agent messages longer than 500 characters arrive split, nothing lost', async () => {
    const c = await new CecCustomer(wire, 'u-1').start();
    await toAgent(c);
    await c.poll();
    const long = `${'x'.repeat(1000)}y`;
    await agentSays(long);
    const got = await c.poll();
    expect(got.map((m) => m.content.length)).toEqual([500, 500, 1]);
    expect(got.map((m) => m.content).join('')).toBe(long);
  });
});

describe('a customer who stops polling is released', () => {
  it('after releaseAfterSeconds without a poll the session ends (both faces see it)', async () => {
    const c = await new CecCustomer(wire, 'u-1').start();
    await agentReady();
    await request('POST', 'http://cec.test/mock/agents/alice/not-ready');
    await c.send('TRANS2AGENT');
    wire.clock.advance(119_000);
    expect(wire.cc.allSessions()[0]!.phase).toBe('queue');
    wire.clock.advance(1_000);
    expect(wire.cc.allSessions()[0]!.phase).toBe('ended');
    c.accessToken = await accessToken();
    const info = await c.post('queryQueueInfo', { userId: 'u-1', channelConfigId: 'demo', channel: 'WEB' });
    expect(info.body.resultCode).toBe('6');
  });

  it('a customer who keeps polling is not released', async () => {
    wire.face.setConfig({ pollHoldSeconds: 60, releaseAfterSeconds: 30 }); // the release falls due during each held poll
    const c = await new CecCustomer(wire, 'u-1').start();
    await c.poll();
    for (let i = 0; i < 4; i++) await c.pollThroughHold(undefined, 60_000); // 240 s of held polls
    expect(wire.cc.allSessions()[0]!.phase).toBe('bot');
  });
});

describe('an abandoned poll takes nothing', () => {
  it('a held poll the client aborts leaves the next message to the next poll', async () => {
    const c = await new CecCustomer(wire, 'u-1').start();
    await c.poll();
    const abort = new AbortController();
    const held = fetch(`${API}/poll?receiverId=u-1&channel=WEB`, { headers: c.headers(), signal: abort.signal }).catch((e: Error) => e.name);
    await vi.waitFor(() => expect(wire.face.heldPolls).toBe(1));
    abort.abort();
    expect(await held).toBe('AbortError');
    await vi.waitFor(() => expect(wire.face.heldPolls).toBe(0));
    await c.send('CHAT', 'hours');
    expect((await c.poll()).map((m) => m.content)).toEqual(['We are open Monday to Friday, 09:00–18:00.']);
  });

  it('a message that arrives as the poll is aborted stays for the next poll', async () => {
    const c = await new CecCustomer(wire, 'u-1').start();
    await c.poll();
    const { user } = wire.face.authenticate(c.token);
    const abort = new AbortController();
    const held = wire.face.poll(user, false);
    const abandoned = wire.face.poll(user, false, abort.signal);
    abort.abort();
    // Same tick: the agent side writes before the aborted poll resumes.
    const session = wire.cc.allSessions()[0]!;
    wire.cc.post(session, 'ROBOT', 'CHAT', 'Still there?');
    expect(await abandoned).toEqual([]);
    expect((await held).map((m) => m.content)).toEqual(['Still there?']);
  });
});

describe("the two faces and the runtime's retention", () => {
  it("a customer of the mock's own face with the same user id shares nothing with the real face's customer", async () => {
    const c = await new CecCustomer(wire, 'u-1').start();
    await c.send('CHAT', 'my secret order 42');
    const own = await request('POST', 'http://cec.test/apiaccess/ccmessaging/applyToken', { channelId: 'demo', userId: 'u-1', userName: 'Someone' });
    expect(own.status).toBe(200);
    const ownHeaders = { 'ccmessaging-token': own.body.token };
    const polled = await request('GET', 'http://cec.test/apiaccess/ccmessaging/poll?receiverId=u-1&channel=WEB&cursor=0', undefined, ownHeaders);
    expect(polled.body.downlinkMessages).toEqual([]);
    await request(
      'POST',
      'http://cec.test/apiaccess/ccmessaging/send',
      { channel: 'WEB', controlType: 'CONNECT', mediaType: 'TEXT', content: '', from: 'u-1', to: 'demo', clientMessageId: 'own-1' },
      ownHeaders,
    );
    // The real face's customer gets its own greeting and answer, not the other's greeting.
    const got = await c.poll();
    expect(got.map((m) => m.sourceType)).toEqual(['ROBOT', 'ROBOT']);
    expect(new Set(got.map((m) => m.callId)).size).toBe(1);
    expect(wire.cc.allSessions()).toHaveLength(2);
  });

  it('after the runtime let an old conversation go, the customer starts again and polls the new one', async () => {
    wire.face.setConfig({ releaseAfterSeconds: 86_400 });
    const c = await new CecCustomer(wire, 'u-1').start();
    await c.poll();
    await c.send('DISCONNECT');
    await c.poll();
    wire.clock.advance(31 * 60_000);
    // Another customer's session lets the runtime forget the old one (and with it the stream).
    await new CecCustomer(wire, 'u-2').start();
    await c.start(); // a new AccessToken and ccmessaging-token, then CONNECT
    const got = await c.poll();
    expect(got.map((m) => [m.sourceType, m.interIdx])).toEqual([['ROBOT', 1]]);
  });
});
