/**
 * Contract of the real CEC face, written from shared/docs/cec-real-api.md §0 and §1.1 and the
 * tokenByAkSk page (devg-webclint-cec/cec_05_2007): the API Fabric AK/SK token, `x-app-key` +
 * `Authorization: Bearer` on every call (401, 403 on applyToken, body `{errorCode, exceptionInfo}`),
 * applyToken's `{resultCode, token}` and the one-hour ccmessaging-token renewed in a response header.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SEED_CEC_APP_KEY, SEED_CEC_APP_SECRET } from '../../../mock-server/config/seed.js';
import { API, CecCustomer, TOKEN_URL, accessToken, request, startWire, type Wire } from './wire.js';

let wire: Wire;
beforeEach(() => {
  wire = startWire();
});
afterEach(() => wire.close());

const pair = { app_key: SEED_CEC_APP_KEY, app_secret: SEED_CEC_APP_SECRET };
const applyBody = { userId: 'u-1', userName: 'Wang Fang', channelId: 'demo', locale: 'en' };

function expectRefusal(r: { status: number; body: any }, status: number) {
  expect(r.status).toBe(status);
  expect(Object.keys(r.body).sort()).toEqual(['errorCode', 'exceptionInfo']);
  expect(r.body.errorCode).toMatch(/\S/);
  expect(r.body.exceptionInfo).toMatch(/\S/);
  expect(JSON.stringify(r.body)).not.toContain(SEED_CEC_APP_SECRET);
}

describe('tokenByAkSk', () => {
  it('answers the documented fields for the tenant pair', async () => {
    const r = await request('POST', TOKEN_URL, pair);
    expect(r.status).toBe(200);
    expect(r.body).toEqual({
      AccessToken: expect.stringMatching(/^\S{16,}$/),
      ApplyType: 'Bearer',
      CreateTime: String(Math.floor(wire.clock.now() / 1000)),
      Expires: '600',
      Scope: expect.any(String),
      AppKey: SEED_CEC_APP_KEY,
      UserID: 'Anonymous',
    });
  });

  it('takes the lifetime from X-Token-Expire (at most 3600 s) and refuses a bad one', async () => {
    expect((await request('POST', TOKEN_URL, pair, { 'X-Token-Expire': '3600' })).body.Expires).toBe('3600');
    expectRefusal(await request('POST', TOKEN_URL, pair, { 'X-Token-Expire': '3601' }), 400);
    expectRefusal(await request('POST', TOKEN_URL, pair, { 'X-Token-Expire': 'soon' }), 400);
  });

  it('refuses a wrong app_secret, a wrong app_key and a missing field', async () => {
    expectRefusal(await request('POST', TOKEN_URL, { ...pair, app_secret: 'wrong-secret-123' }), 401);
    expectRefusal(await request('POST', TOKEN_URL, { ...pair, app_key: 'someone-else' }), 401);
    expectRefusal(await request('POST', TOKEN_URL, { app_key: SEED_CEC_APP_KEY }), 400);
    expectRefusal(await request('POST', TOKEN_URL, 'not json'), 400);
  });

  it('a pair changed in the face configuration is the one checked', async () => {
    await request('PUT', 'http://cec.test/mock/cec/config', { appKey: 'tenant-2-key', appSecret: 'tenant-2-secret' });
    expectRefusal(await request('POST', TOKEN_URL, pair), 401);
    expect((await request('POST', TOKEN_URL, { app_key: 'tenant-2-key', app_secret: 'tenant-2-secret' })).status).toBe(200);
  });
});

describe('x-app-key + Authorization: Bearer on every call', () => {
  const calls: Array<[string, string]> = [
    ['POST', 'send'],
    ['POST', 'sendAsync'],
    ['GET', 'poll?receiverId=u-1&channel=WEB'],
    ['POST', 'queryQueueInfo'],
    ['POST', 'getsatisfactionsurveymode'],
    ['POST', 'saveSatisfaction'],
    ['POST', 'doLeaveMessage'],
    ['POST', 'queryHistoryChatMessage'],
    ['POST', 'uploadFileStream'],
    ['POST', 'downloadFileStream'],
    ['GET', 'v1/checkClickToCallSupport?channel=WEB'],
    ['POST', 'v1/createClickToCall'],
    ['GET', 'v1/getClickToCallEvents?channel=WEB'],
    ['POST', 'v1/dropClickToCall'],
  ];

  it('applyToken: no x-app-key → 401; unknown or expired AccessToken → 403 "auth fail"', async () => {
    const at = await accessToken();
    expectRefusal(await request('POST', `${API}/applyToken`, applyBody, { authorization: `Bearer ${at}` }), 401);
    expectRefusal(await request('POST', `${API}/applyToken`, applyBody, { 'x-app-key': SEED_CEC_APP_KEY }), 401);
    const forged = await request('POST', `${API}/applyToken`, applyBody, { 'x-app-key': SEED_CEC_APP_KEY, authorization: 'Bearer forged' });
    expectRefusal(forged, 403);
    expect(forged.body.exceptionInfo).toMatch(/auth fail/);
    wire.clock.advance(600_000);
    expectRefusal(await request('POST', `${API}/applyToken`, applyBody, { 'x-app-key': SEED_CEC_APP_KEY, authorization: `Bearer ${at}` }), 403);
  });

  it('x-app-key must be the app_key the AccessToken was issued to', async () => {
    const at = await accessToken();
    expectRefusal(await request('POST', `${API}/applyToken`, applyBody, { 'x-app-key': 'other-app', authorization: `Bearer ${at}` }), 403);
  });

  it.each(calls)('%s %s: no credentials → 401 {errorCode, exceptionInfo}', async (method, path) => {
    const c = await new CecCustomer(wire, 'u-1').start();
    expectRefusal(await request(method, `${API}/${path}`, method === 'POST' ? {} : undefined, { 'ccmessaging-token': c.token }), 401);
    expectRefusal(await request(method, `${API}/${path}`, method === 'POST' ? {} : undefined, { 'ccmessaging-token': c.token, 'x-app-key': SEED_CEC_APP_KEY, authorization: 'Bearer nope' }), 401);
  });

  it('an AccessToken past its Expires is refused with 401, and a fresh one works', async () => {
    wire.face.setConfig({ releaseAfterSeconds: 86_400 });
    const c = await new CecCustomer(wire, 'u-1').start();
    wire.clock.advance(599_000);
    expect((await c.send('CHAT', 'still fine')).status).toBe(200);
    wire.clock.advance(1_000);
    expectRefusal(await c.send('CHAT', 'too late'), 401);
    c.accessToken = await accessToken();
    expect((await c.send('CHAT', 'again')).body).toEqual({ resultCode: '0', resultDesc: expect.any(String) });
  });

  it.each(calls.filter(([, p]) => !p.startsWith('queryQueueInfo') && !p.startsWith('downloadFileStream')))('%s %s: no ccmessaging-token → 401', async (method, path) => {
    const c = await new CecCustomer(wire, 'u-1').start();
    expectRefusal(await request(method, `${API}/${path}`, method === 'POST' ? {} : undefined, c.gateway()), 401);
    expectRefusal(await request(method, `${API}/${path}`, method === 'POST' ? {} : undefined, { ...c.gateway(), 'ccmessaging-token': 'made-up' }), 401);
  });
});

describe('applyToken', () => {
  it('answers {resultCode "0", token} and nothing else (no expiresIn)', async () => {
    const at = await accessToken();
    const r = await request('POST', `${API}/applyToken`, applyBody, { 'x-app-key': SEED_CEC_APP_KEY, authorization: `Bearer ${at}` });
    expect(r.status).toBe(200);
    expect(Object.keys(r.body).sort()).toEqual(['resultCode', 'token']);
    expect(r.body.resultCode).toBe('0');
    // URL-encoded base64 of JSON with createTime and channelId, like the documented sample.
    const json = JSON.parse(atob(decodeURIComponent(r.body.token)));
    expect(json).toMatchObject({ createTime: wire.clock.now(), channelId: 'demo' });
  });

  it.each([
    ['a userId over 32 characters', { userId: 'u'.repeat(33) }],
    ['an empty userId', { userId: '' }],
    ['an unknown channelId', { channelId: 'nope' }],
    // The mock takes any BCP 47 tag (a tenant's texts by language; README), not the underscore form.
    ['a locale that is not a language tag', { locale: 'zh_CN' }],
    ['a locale that is not a string', { locale: 5 }],
  ])('refuses %s with HTTP 200 and resultCode "1"', async (_what, over) => {
    const at = await accessToken();
    const r = await request('POST', `${API}/applyToken`, { ...applyBody, ...over }, { 'x-app-key': SEED_CEC_APP_KEY, authorization: `Bearer ${at}` });
    expect(r.status).toBe(200);
    expect(r.body.resultCode).toBe('1');
  });

  it('accepts a 32-character userId and the zh locale', async () => {
    const at = await accessToken();
    const r = await request('POST', `${API}/applyToken`, { ...applyBody, userId: 'u'.repeat(32), locale: 'zh' }, { 'x-app-key': SEED_CEC_APP_KEY, authorization: `Bearer ${at}` });
    expect(r.body.resultCode).toBe('0');
  });
});

describe('the ccmessaging-token lives one hour and is renewed in a response header mid-session', () => {
  // A session that outlives the token: a 3-hour idle rule and a customer who is never released.
  beforeEach(() => {
    wire.close();
    wire = startWire((t) => {
      t.channels[0]!.dialogEnd = { noReplyMinutes: 180, conclusion: 'Bye.' };
    });
    wire.face.setConfig({ releaseAfterSeconds: 86_400 });
  });

  it('within the hour no header comes back', async () => {
    const c = await new CecCustomer(wire, 'u-1').start();
    wire.clock.advance(3_599_000);
    c.accessToken = await accessToken();
    const r = await c.send('CHAT', 'hello');
    expect(r.body.resultCode).toBe('0');
    expect(r.headers.get('ccmessaging-token')).toBeNull();
  });

  it('after the hour, during a session: the call succeeds and the fresh token comes back in ccmessaging-token', async () => {
    const c = await new CecCustomer(wire, 'u-1').start();
    await c.poll();
    wire.clock.advance(3_600_000);
    c.accessToken = await accessToken();
    const r = await c.send('CHAT', 'refund?');
    expect(r.status).toBe(200);
    expect(r.body.resultCode).toBe('0');
    const fresh = r.headers.get('ccmessaging-token');
    expect(fresh).toBeTruthy();
    expect(fresh).not.toBe(c.token);
    // The old token keeps pointing at the same fresh one (a lost response strands nobody).
    const again = await c.pollRaw();
    expect(again.headers.get('ccmessaging-token')).toBe(fresh);
    // The client switches: the fresh token works without a header.
    c.token = fresh!;
    const next = await c.send('CHAT', 'hours?');
    expect(next.body.resultCode).toBe('0');
    expect(next.headers.get('ccmessaging-token')).toBeNull();
  });

  it('after the hour with no session: 401, call applyToken again', async () => {
    const c = await new CecCustomer(wire, 'u-1').start(false);
    wire.clock.advance(3_600_000);
    c.accessToken = await accessToken();
    expectRefusal(await c.send('CONNECT'), 401);
    await c.start();
    expect((await c.send('CHAT', 'hi')).body.resultCode).toBe('0');
  });
});

describe("the mock's reset", () => {
  it("forgets the face's AccessTokens, ccmessaging-tokens and settings too", async () => {
    await request('PUT', 'http://cec.test/mock/cec/config', { pollHoldSeconds: 1 });
    const c = await new CecCustomer(wire, 'u-1').start();
    expect((await request('POST', 'http://cec.test/mock/reset')).status).toBe(200);
    expectRefusal(await c.send('CHAT', 'hello'), 401);
    c.accessToken = await accessToken();
    expectRefusal(await c.send('CHAT', 'hello'), 401);
    expect(wire.face.config.pollHoldSeconds).toBe(5);
  });

  it('GET /mock/cec/config hides the app_secret unless asked; saving the placeholder back keeps it', async () => {
    const shown = await request('GET', 'http://cec.test/mock/cec/config');
    expect(shown.body.config).toMatchObject({ appKey: SEED_CEC_APP_KEY, appSecret: '(hidden)', pollHoldSeconds: 5 });
    expect(JSON.stringify(shown.body)).not.toContain(SEED_CEC_APP_SECRET);
    expect((await request('GET', 'http://cec.test/mock/cec/config?include=appSecret')).body.config.appSecret).toBe(SEED_CEC_APP_SECRET);
    await request('PUT', 'http://cec.test/mock/cec/config', { ...shown.body.config, pollHoldSeconds: 3 });
    expect(wire.face.config).toMatchObject({ appSecret: SEED_CEC_APP_SECRET, pollHoldSeconds: 3 });
    expect((await request('POST', TOKEN_URL, pair)).status).toBe(200);
  });

  it('PUT /mock/cec/config refuses an invalid setting, naming the field', async () => {
    const r = await request('PUT', 'http://cec.test/mock/cec/config', { pollHoldSeconds: -1 });
    expect(r.status).toBe(400);
    expect(r.body.field).toBe('pollHoldSeconds');
    expect((await request('PUT', 'http://cec.test/mock/cec/config', { surprise: 1 })).body.field).toBe('surprise');
  });
});

describe('fault injection reaches the real face by route name', () => {
  it('an error rate of 1 on "send" answers 503 {errorCode, exceptionInfo} on /cec/…/send', async () => {
    const c = await new CecCustomer(wire, 'u-1').start();
    await request('PUT', 'http://cec.test/mock/faults', { route: 'send', errorRate: 1 });
    expectRefusal(await c.send('CHAT', 'hello'), 503);
    await request('PUT', 'http://cec.test/mock/faults', { route: 'send', errorRate: 0 });
    expect((await c.send('CHAT', 'hello')).body.resultCode).toBe('0');
  });
});
