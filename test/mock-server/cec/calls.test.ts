/**
 * Contract of the other calls of the real CEC face, from shared/docs/cec-real-api.md §1.4–§1.11:
 * queryQueueInfo and its documented resultCodes, getsatisfactionsurveymode (POST, nested),
 * saveSatisfaction, doLeaveMessage (0/3/13), queryHistoryChatMessage (offset/limit →
 * messageList), uploadFileStream (returnCode), downloadFileStream (base64 + temporary fileUrl,
 * 2 MB) and the /v1/ click-to-call calls. Business failures are HTTP 200 with a non-zero code.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Tenant } from '../../../mock-server/config/types.js';
import { API, CecCustomer, DOWNLINK_FIELDS, ORIGIN, accessToken, request, startWire, type Wire } from './wire.js';

let wire: Wire;
beforeEach(() => {
  wire = startWire();
});
afterEach(() => wire.close());

function restart(edit: (t: Tenant) => void) {
  wire.close();
  wire = startWire(edit);
}

const agent = (account: string, step: string, body?: unknown) => request('POST', `${ORIGIN}/mock/agents/${account}/${step}`, body);
async function agentReady(account = 'alice') {
  expect((await agent(account, 'sign-in')).status).toBe(200);
  expect((await agent(account, 'ready')).status).toBe(200);
}
async function toAgent(c: CecCustomer, account = 'alice') {
  await agentReady(account);
  await c.send('TRANS2AGENT');
  expect((await agent(account, 'accept')).status).toBe(200);
}
const queueBody = (userId = 'u-1') => ({ userId, channelConfigId: 'demo', channel: 'WEB' });

describe('queryQueueInfo', () => {
  it('0 while queueing, with every documented field in seconds', async () => {
    await agentReady('alice');
    await agent('alice', 'not-ready');
    const first = await new CecCustomer(wire, 'u-0').start();
    await first.send('TRANS2AGENT');
    wire.clock.advance(30_000);
    const c = await new CecCustomer(wire, 'u-1').start();
    await c.send('TRANS2AGENT');
    wire.clock.advance(12_000);
    await first.poll();
    await c.poll();
    const r = await c.post('queryQueueInfo', queueBody());
    expect(r.status).toBe(200);
    expect(r.body).toEqual({
      resultCode: '0',
      resultDesc: expect.any(String),
      position: 2,
      totalWaitTime: 12,
      currentDeviceWaitTime: 12,
      configMaxcWaitTime: 600,
      longestWaitTime: 42,
      estimateWaitTime: expect.any(Number),
    });
  });

  it('needs no ccmessaging-token (documented "False"): the body names the customer', async () => {
    await agentReady();
    await agent('alice', 'not-ready');
    const c = await new CecCustomer(wire, 'u-1').start();
    await c.send('TRANS2AGENT');
    const r = await request('POST', `${API}/queryQueueInfo`, queueBody(), c.gateway());
    expect(r.body.resultCode).toBe('0');
    expect(r.body.position).toBe(1);
  });

  it.each([
    ['no userId', { userId: undefined }],
    ['a userId over 32 characters', { userId: 'u'.repeat(33) }],
    ['no channelConfigId', { channelConfigId: '' }],
    ['a channel other than WEB', { channel: 'APP' }],
  ])('1 (parameter error) for %s', async (_what, over) => {
    const c = await new CecCustomer(wire, 'u-1').start();
    const r = await c.post('queryQueueInfo', { ...queueBody(), ...over });
    expect([r.status, r.body.resultCode]).toEqual([200, '1']);
  });

  it("3 (token error) for a made-up token or another customer's token", async () => {
    const c = await new CecCustomer(wire, 'u-1').start();
    const d = await new CecCustomer(wire, 'u-2').start();
    expect((await request('POST', `${API}/queryQueueInfo`, queueBody(), { ...c.gateway(), 'ccmessaging-token': 'made-up' })).body.resultCode).toBe('3');
    expect((await request('POST', `${API}/queryQueueInfo`, queueBody(), { ...c.gateway(), 'ccmessaging-token': d.token })).body.resultCode).toBe('3');
  });

  it('160004 before any CONNECT', async () => {
    const c = await new CecCustomer(wire, 'u-1').start(false);
    expect((await c.post('queryQueueInfo', queueBody())).body.resultCode).toBe('160004');
  });

  it('160021 once an agent has the customer', async () => {
    const c = await new CecCustomer(wire, 'u-1').start();
    await toAgent(c);
    expect((await c.post('queryQueueInfo', queueBody())).body.resultCode).toBe('160021');
  });

  it('5 once the session has ended', async () => {
    const c = await new CecCustomer(wire, 'u-1').start();
    await c.send('DISCONNECT');
    expect((await c.post('queryQueueInfo', queueBody())).body.resultCode).toBe('5');
  });

  it('6 once the customer was released for not polling', async () => {
    const c = await new CecCustomer(wire, 'u-1').start();
    wire.clock.advance(120_000);
    c.accessToken = await accessToken();
    expect((await c.post('queryQueueInfo', queueBody())).body.resultCode).toBe('6');
  });

  it('160022 (sent to an IVR) cannot arise for a web chat: the tenant refuses a multimedia queue that transfers to an IVR', () => {
    // Admin guide: "Calls in multimedia skill queues can be transferred only to skill queues",
    // and a web channel's queue is multimedia. The code is the connector's to map (tested there).
    expect(() =>
      restart((t) => {
        t.skillQueues[0]!.onNoAgents = { processMethod: 'transfer', deviceType: 'ivr', target: '9001' };
      }),
    ).toThrow(/multimedia queue can only transfer to a skill queue/);
  });

  it('while with the chatbot: not queueing (4), with zero waits', async () => {
    const c = await new CecCustomer(wire, 'u-1').start();
    const r = await c.post('queryQueueInfo', queueBody());
    expect(r.body).toMatchObject({ resultCode: '4', position: 0, estimateWaitTime: 0 });
  });
});

describe('getsatisfactionsurveymode (POST, nested answer)', () => {
  it('answers the channel\'s levels "1".."5" inside satisfactionSurvey', async () => {
    const c = await new CecCustomer(wire, 'u-1').start();
    const r = await c.post('getsatisfactionsurveymode', { language: 'en_US' });
    expect(r.body).toEqual({
      resultCode: '0',
      resultDesc: expect.any(String),
      satisfactionSurvey: {
        surveyType: 'WEB',
        satisfactionLevel: ['Very dissatisfied', 'Dissatisfied', 'Neutral', 'Satisfied', 'Very satisfied'].map((d, i) => ({ satisfactionLevelKey: String(i + 1), satisfactionLevelDesc: d })),
        satisfactionQuestion: expect.arrayContaining(['CSAT']),
      },
    });
  });

  it('the body is optional', async () => {
    const c = await new CecCustomer(wire, 'u-1').start();
    expect((await c.post('getsatisfactionsurveymode', {})).body.resultCode).toBe('0');
    expect((await request('POST', `${API}/getsatisfactionsurveymode`, undefined, c.headers())).body.resultCode).toBe('0');
  });

  it('surveyType NO when the tenant has no survey', async () => {
    expect((await request('PUT', `${ORIGIN}/mock/cec/config`, { satisfactionSurvey: 'NO' })).status).toBe(200);
    const c = await new CecCustomer(wire, 'u-1').start();
    expect((await c.post('getsatisfactionsurveymode', {})).body.satisfactionSurvey.surveyType).toBe('NO');
  });

  it('13 for a language outside the documented list', async () => {
    const c = await new CecCustomer(wire, 'u-1').start();
    expect((await c.post('getsatisfactionsurveymode', { language: 'de_DE' })).body.resultCode).toBe('13');
  });
});

describe('saveSatisfaction', () => {
  const rating = (over: Record<string, unknown> = {}) => ({ channel: 'WEB', userId: 'u-1', evaluation: '5', comment: 'Quick and kind.', channelConfigId: 'demo', ...over });

  it('0 after a chat with an agent; npsScore and fcrValue are kept; the last rating counts', async () => {
    const c = await new CecCustomer(wire, 'u-1').start();
    await toAgent(c);
    const r = await c.post('saveSatisfaction', rating({ evaluation: '2', npsScore: '3', fcrValue: '2' }));
    expect(r.body).toEqual({ resultCode: '0', resultDesc: expect.stringMatching(/Save satisfaction success/) });
    await c.post('saveSatisfaction', rating({ npsScore: '9', fcrValue: '1' }));
    const ratings = (await request('GET', `${ORIGIN}/mock/cec/ratings`)).body.items;
    expect(ratings.at(-1)).toMatchObject({ evaluation: '5', npsScore: '9', fcrValue: '1', comment: 'Quick and kind.' });
    const snap = (await request('GET', `${ORIGIN}/mock/agents/alice`)).body.agent;
    expect(snap.session.evaluation).toEqual({ evaluation: '5', comment: 'Quick and kind.' });
  });

  it('13 when there was no chat with an agent', async () => {
    const c = await new CecCustomer(wire, 'u-1').start();
    expect((await c.post('saveSatisfaction', rating())).body.resultCode).toBe('13');
  });

  it.each([
    ['evaluation "6"', { evaluation: '6' }],
    ['no comment', { comment: undefined }],
    ['a comment of 512 characters', { comment: 'x'.repeat(512) }],
    ['npsScore "10"', { npsScore: '10' }],
    ['fcrValue "3"', { fcrValue: '3' }],
    ['another userId', { userId: 'u-2' }],
    ['another channelConfigId', { channelConfigId: 'signed' }],
  ])('13 for %s', async (_what, over) => {
    const c = await new CecCustomer(wire, 'u-1').start();
    await toAgent(c);
    const r = await c.post('saveSatisfaction', rating(over));
    expect([r.status, r.body.resultCode]).toEqual([200, '13']);
  });

  it('a comment of 511 characters is fine', async () => {
    const c = await new CecCustomer(wire, 'u-1').start();
    await toAgent(c);
    expect((await c.post('saveSatisfaction', rating({ comment: 'x'.repeat(511) }))).body.resultCode).toBe('0');
  });
});

describe('doLeaveMessage', () => {
  const leave = (over: Record<string, unknown> = {}) => ({ callId: 'u-1', caller: '+86 138 0000 0000', leaveMessage: 'Please call me back.', channel: 'WEB', ...over });

  /** Connecting to an agent failed: nobody is signed in, so the queue releases the customer. */
  async function failedTransfer(c: CecCustomer) {
    await c.send('TRANS2AGENT');
    expect((await c.post('queryQueueInfo', queueBody())).body.resultCode).toBe('5');
  }

  it('0 "Save leaveMessage success!" once connecting to an agent failed, and the message is kept', async () => {
    const c = await new CecCustomer(wire, 'u-1').start();
    await failedTransfer(c);
    const r = await c.post('doLeaveMessage', leave());
    expect(r.body).toEqual({ resultCode: '0', resultDesc: 'Save leaveMessage success!' });
    const left = (await request('GET', `${ORIGIN}/mock/left-messages`)).body.items;
    expect(left).toEqual([expect.objectContaining({ userId: 'u-1', channelId: 'demo', content: 'Please call me back.', contact: '+86 138 0000 0000' })]);
  });

  it.each([
    ['callId of another user', { callId: 'u-2' }],
    ['no caller', { caller: undefined }],
    ['a caller that is no phone number', { caller: 'call me' }],
    ['an empty leaveMessage', { leaveMessage: ' ' }],
    ['channel APP', { channel: 'APP' }],
  ])('3 "the leaveMessageParams is error" for %s', async (_what, over) => {
    const c = await new CecCustomer(wire, 'u-1').start();
    await failedTransfer(c);
    const r = await c.post('doLeaveMessage', leave(over));
    expect([r.status, r.body.resultCode]).toEqual([200, '3']);
    expect(r.body.resultDesc).toMatch(/leaveMessageParams is error/);
  });

  it('0 outside work time', async () => {
    restart((t) => {
      t.channels[0]!.workTime = { timeZone: 'Asia/Shanghai', workdays: [1, 2, 3, 4, 5], workday: [{ start: '00:00', end: '01:00' }], nonWorkday: [], nonWorkingNotice: 'Closed.' };
    });
    const c = await new CecCustomer(wire, 'u-1').start();
    expect((await c.post('doLeaveMessage', leave())).body.resultCode).toBe('0');
  });

  it('13 (not saved) while an agent is serving the customer, or when nothing failed', async () => {
    const c = await new CecCustomer(wire, 'u-1').start();
    expect((await c.post('doLeaveMessage', leave())).body.resultCode).toBe('13');
    await toAgent(c);
    expect((await c.post('doLeaveMessage', leave())).body.resultCode).toBe('13');
  });
});

describe('queryHistoryChatMessage', () => {
  const query = (over: Record<string, unknown> = {}) => ({ channelId: 'demo', userId: 'u-1', limit: 10, offset: 0, channel: 'WEB', ...over });

  it("messageList pages by offset/limit, oldest first, with the customer's own messages", async () => {
    const c = await new CecCustomer(wire, 'u-1').start();
    await c.send('CHAT', 'hours?');
    await c.send('CHAT', 'refund?');
    const all = (await c.post('queryHistoryChatMessage', query())).body;
    expect(all.resultCode).toBe('0');
    expect(all.messageList.map((m: any) => m.sourceType)).toEqual(['ROBOT', 'CUSTOMER', 'ROBOT', 'CUSTOMER', 'ROBOT']);
    for (const m of all.messageList) for (const k of Object.keys(m)) expect(DOWNLINK_FIELDS).toContain(k);
    const page = (await c.post('queryHistoryChatMessage', query({ offset: 1, limit: 2 }))).body.messageList;
    expect(page.map((m: any) => m.content)).toEqual(['hours?', 'We are open Monday to Friday, 09:00–18:00.']);
    expect((await c.post('queryHistoryChatMessage', query({ offset: 5 }))).body.messageList).toEqual([]);
  });

  it("the customer's media messages keep the mediaType and content they were sent with", async () => {
    const c = await new CecCustomer(wire, 'u-1').start();
    const mp3 = (await c.post('uploadFileStream', { fileType: 'MP3', fileStream: btoa('ID3\x03\0\0\0\0\0\x0a'), channel: 'WEB' })).body.objectKey;
    const png = (await c.post('uploadFileStream', { fileType: 'PNG', fileStream: btoa('\x89PNG\r\n\x1a\n'), channel: 'WEB' })).body.objectKey;
    await c.send('CHAT', mp3, 'AUDIO');
    await c.send('CHAT', `photo.png,8,${png},png`, 'FILE');
    await c.send('CHAT', `${png},jpg`, 'FILE_IMAGE');
    const mine = (await c.post('queryHistoryChatMessage', query())).body.messageList.filter((m: any) => m.sourceType === 'CUSTOMER');
    expect(mine.map((m: any) => [m.mediaType, m.content])).toEqual([
      ['AUDIO', mp3],
      ['FILE', `photo.png,8,${png},png`],
      ['FILE_IMAGE', `${png},jpg`],
    ]);
  });

  it('startTime / endTime (epoch ms) narrow the list', async () => {
    const c = await new CecCustomer(wire, 'u-1').start();
    wire.clock.advance(60_000);
    const t = wire.clock.now();
    await c.send('CHAT', 'hours?');
    const list = (await c.post('queryHistoryChatMessage', query({ startTime: t }))).body.messageList;
    expect(list.map((m: any) => m.sourceType)).toEqual(['CUSTOMER', 'ROBOT']);
    expect((await c.post('queryHistoryChatMessage', query({ endTime: t - 1 }))).body.messageList).toHaveLength(1);
  });

  it.each([
    ['no limit', { limit: undefined }],
    ['limit 0', { limit: 0 }],
    ['a negative offset', { offset: -1 }],
    ['another userId', { userId: 'u-2' }],
    ['another channelId', { channelId: 'signed' }],
    ['channel APP', { channel: 'APP' }],
  ])('1 for %s', async (_what, over) => {
    const c = await new CecCustomer(wire, 'u-1').start();
    const r = await c.post('queryHistoryChatMessage', query(over));
    expect(r.body).toEqual({ resultCode: '1', resultDesc: expect.any(String), messageList: [] });
  });
});

describe('uploadFileStream and downloadFileStream', () => {
  const TXT = btoa('order 42: shipped');

  it('upload answers {returnCode "0", objectKey}; download answers base64 and a temporary fileUrl', async () => {
    const c = await new CecCustomer(wire, 'u-1').start();
    const up = await c.post('uploadFileStream', { fileType: 'TXT', fileStream: TXT, channel: 'WEB' });
    expect(up.body).toEqual({ returnCode: '0', objectKey: expect.any(String) });
    const down = await c.post('downloadFileStream', { fileId: up.body.objectKey, channel: 'WEB', fileType: 'txt' });
    expect(down.body).toEqual({ resultCode: '0', resultDesc: expect.any(String), fileStream: TXT, fileUrl: expect.stringMatching(/^http:\/\/cec\.test\/cec\/files\/\w+$/) });
    const file = await fetch(down.body.fileUrl);
    expect(await file.text()).toBe('order 42: shipped');
    // "local/" + content names the same file.
    expect((await c.post('downloadFileStream', { fileId: `local/${up.body.objectKey}`, channel: 'WEB', fileType: 'txt' })).body.resultCode).toBe('0');
    // The link is temporary (24 h on the mock clock).
    wire.clock.advance(24 * 3600_000);
    expect((await fetch(down.body.fileUrl)).status).toBe(404);
  });

  it.each([
    ['a fileType outside the list', { fileType: 'EXE' }],
    ['a fileStream that is not base64', { fileStream: '***' }],
    ['an empty file', { fileStream: '' }],
    ['bytes that are not a PNG', { fileType: 'PNG' }],
    ['channel APP', { channel: 'APP' }],
  ])('upload: returnCode ≠ "0" for %s', async (_what, over) => {
    const c = await new CecCustomer(wire, 'u-1').start();
    const r = await c.post('uploadFileStream', { fileType: 'TXT', fileStream: TXT, channel: 'WEB', ...over });
    expect(r.status).toBe(200);
    expect(r.body.returnCode).not.toBe('0');
  });

  it("download: 401 when fileId is null, 2 without the session's ids, 13 for a bad type, unknown file or over 2 MB", async () => {
    const c = await new CecCustomer(wire, 'u-1').start();
    const key = (await c.post('uploadFileStream', { fileType: 'TXT', fileStream: TXT, channel: 'WEB' })).body.objectKey;
    const big = btoa('x'.repeat(2 * 1024 * 1024 + 1));
    const bigKey = (await c.post('uploadFileStream', { fileType: 'TXT', fileStream: big, channel: 'WEB' })).body.objectKey;
    const atLimit = btoa('x'.repeat(2 * 1024 * 1024));
    const atLimitKey = (await c.post('uploadFileStream', { fileType: 'TXT', fileStream: atLimit, channel: 'WEB' })).body.objectKey;
    const down = (body: Record<string, unknown>) => c.post('downloadFileStream', { channel: 'WEB', fileType: 'txt', ...body });
    expect((await down({ fileId: null })).body.resultCode).toBe('401');
    expect((await request('POST', `${API}/downloadFileStream`, { fileId: key, channel: 'WEB', fileType: 'txt' }, c.gateway())).body.resultCode).toBe('2');
    expect((await down({ fileId: key, fileType: 'exe' })).body.resultCode).toBe('13');
    expect((await down({ fileId: key, fileType: 'png' })).body.resultCode).toBe('13');
    expect((await down({ fileId: 'cec/unknown.txt' })).body.resultCode).toBe('13');
    expect((await down({ fileId: bigKey })).body.resultCode).toBe('13');
    expect((await down({ fileId: atLimitKey })).body.resultCode).toBe('0');
  });

  it('the download limit is configurable', async () => {
    await request('PUT', `${ORIGIN}/mock/cec/config`, { downloadMaxBytes: 10 });
    const c = await new CecCustomer(wire, 'u-1').start();
    const key = (await c.post('uploadFileStream', { fileType: 'TXT', fileStream: TXT, channel: 'WEB' })).body.objectKey;
    expect((await c.post('downloadFileStream', { fileId: key, channel: 'WEB', fileType: 'txt' })).body.resultCode).toBe('13');
  });
});

describe('click-to-call under /v1/', () => {
  const v1 = (c: CecCustomer, method: string, path: string, body?: unknown) => request(method, `${API}/v1/${path}`, body, c.headers());
  const events = (c: CecCustomer) => v1(c, 'GET', 'getClickToCallEvents?channel=WEB');

  it('checkClickToCallSupport says whether the channel offers it', async () => {
    const c = await new CecCustomer(wire, 'u-1').start();
    expect((await v1(c, 'GET', 'checkClickToCallSupport?channel=WEB')).body).toEqual({ resultCode: '0', resultDesc: expect.any(String), webRTCSupported: true, clickToCallSupported: true });
    const s = await new CecCustomer(wire, 'u-2', 'signed').start();
    expect((await v1(s, 'GET', 'checkClickToCallSupport?channel=WEB')).body.clickToCallSupported).toBe(false);
  });

  it('create → 0 with no call id; events "Call in queue", then 168101 "Call connected" when the agent answers; drop → "Call disconnected"', async () => {
    await agentReady('bob');
    const c = await new CecCustomer(wire, 'u-1').start();
    const created = await v1(c, 'POST', 'createClickToCall', { channel: 'WEB', mediaAbility: '0' });
    expect(Object.keys(created.body).sort()).toEqual(['resultCode', 'resultDesc']);
    expect(created.body.resultCode).toBe('0');
    expect((await events(c)).body).toMatchObject({ resultCode: '0', resultDesc: 'Call in queue', eventId: expect.any(Number) });
    expect((await events(c)).body).toEqual({ resultCode: '0', resultDesc: 'ClickToCall polled without any events' });
    expect((await agent('bob', 'call/answer')).status).toBe(200);
    const connected = (await events(c)).body;
    expect(connected).toMatchObject({ resultCode: '0', resultDesc: 'Call connected', eventId: 168101 });
    expect(Object.keys(connected.content).sort()).toEqual(['accessCode', 'causeDesc', 'causeId', 'clickToCallCaller', 'domain', 'gwAddresses']);
    expect(connected.content.clickToCallCaller).toBe('u-1');
    expect((await v1(c, 'POST', 'dropClickToCall', { channel: 'WEB' })).body.resultCode).toBe('0');
    expect((await events(c)).body.resultDesc).toBe('Call disconnected');
    expect((await v1(c, 'POST', 'dropClickToCall', { channel: 'WEB' })).body.resultCode).toBe('13');
  });

  it('an unanswered call ends as "Call queued timeout"', async () => {
    await agentReady('bob');
    const c = await new CecCustomer(wire, 'u-1').start();
    await v1(c, 'POST', 'createClickToCall', { channel: 'WEB', mediaAbility: '0' });
    await events(c);
    wire.clock.advance(30_000);
    c.accessToken = await accessToken();
    expect((await events(c)).body.resultDesc).toBe('Call queued timeout');
  });

  it('7 when the channel has no click-to-call (or not for that media)', async () => {
    const s = await new CecCustomer(wire, 'u-2', 'signed').start();
    expect((await v1(s, 'POST', 'createClickToCall', { channel: 'WEB', mediaAbility: '0' })).body.resultCode).toBe('7');
    const c = await new CecCustomer(wire, 'u-1').start();
    expect((await v1(c, 'POST', 'createClickToCall', { channel: 'WEB', mediaAbility: '1' })).body.resultCode).toBe('7');
  });

  it('12 outside work hours', async () => {
    restart((t) => {
      t.channels[0]!.workTime = { timeZone: 'Asia/Shanghai', workdays: [1, 2, 3, 4, 5], workday: [{ start: '00:00', end: '01:00' }], nonWorkday: [], nonWorkingNotice: 'Closed.' };
    });
    const c = await new CecCustomer(wire, 'u-1').start();
    expect((await v1(c, 'POST', 'createClickToCall', { channel: 'WEB', mediaAbility: '0' })).body.resultCode).toBe('12');
  });

  it('13 "No agents available currently" when nobody can take it', async () => {
    const c = await new CecCustomer(wire, 'u-1').start();
    const r = await v1(c, 'POST', 'createClickToCall', { channel: 'WEB', mediaAbility: '0' });
    expect(r.body).toEqual({ resultCode: '13', resultDesc: 'No agents available currently.' });
  });
});
