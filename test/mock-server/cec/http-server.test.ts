/**
 * The real CEC face through the plain Node HTTP server (`npm run mock`), on port 0: the same
 * handlers answer over a real socket, CORS lets an allowed page send x-app-key and read the
 * refreshed ccmessaging-token, and a held poll is answered when the agent writes.
 */
import { expect, it, vi } from 'vitest';
import { SEED_CEC_APP_KEY, SEED_CEC_APP_SECRET } from '../../../mock-server/config/seed.js';
import { cecFaceOf } from '../../../mock-server/handlers/cec/index.js';
import { Clock } from '../../../mock-server/runtime/clock.js';
import { usePlainMockServer } from '../plain-server.js';
import { T0 } from './wire.js';

const { cc, base } = usePlainMockServer({ clock: new Clock('manual', T0) });

async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${base()}${path}`, {
    method,
    headers: body === undefined ? headers : { ...headers, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(5000),
  });
  return { status: res.status, headers: res.headers, body: await res.json() };
}

it('tokenByAkSk → applyToken → CONNECT → poll → transfer → agent → held poll answered, over HTTP', async () => {
  const at = await call('POST', '/cec/apigovernance/api/oauth/tokenByAkSk', { app_key: SEED_CEC_APP_KEY, app_secret: SEED_CEC_APP_SECRET });
  expect(at.status).toBe(200);
  const gw = { 'x-app-key': SEED_CEC_APP_KEY, authorization: `Bearer ${at.body.AccessToken}` };
  expect((await call('POST', '/cec/apiaccess/ccmessaging/applyToken', { userId: 'h-1', userName: 'Li Lei', channelId: 'demo', locale: 'zh' }, {})).status).toBe(401);
  const applied = await call('POST', '/cec/apiaccess/ccmessaging/applyToken', { userId: 'h-1', userName: 'Li Lei', channelId: 'demo', locale: 'zh' }, gw);
  const h = { ...gw, 'ccmessaging-token': applied.body.token };
  const send = (controlType: string, content = '') =>
    call('POST', '/cec/apiaccess/ccmessaging/send', { channel: 'WEB', controlType, mediaType: 'TEXT', content, from: 'h-1', to: 'demo', sourceType: 'CUSTOMER' }, h);
  expect((await send('CONNECT')).body).toEqual({ resultCode: '0', resultDesc: expect.any(String) });
  const greeting = await call('GET', '/cec/apiaccess/ccmessaging/poll?receiverId=h-1&channel=WEB', undefined, h);
  expect(greeting.body.downlinkMessages.map((m: any) => m.sourceType)).toEqual(['ROBOT']);

  // A page of an allowed origin may send the gateway headers and read the refreshed token.
  const preflight = await fetch(`${base()}/cec/apiaccess/ccmessaging/send`, {
    method: 'OPTIONS',
    headers: { origin: 'http://localhost:5173', 'access-control-request-method': 'POST', 'access-control-request-headers': 'x-app-key,authorization,ccmessaging-token' },
    signal: AbortSignal.timeout(5000),
  });
  expect(preflight.headers.get('access-control-allow-headers')).toContain('x-app-key');
  expect(preflight.headers.get('access-control-expose-headers')).toContain('ccmessaging-token');

  await call('POST', '/mock/agents/alice/sign-in');
  await call('POST', '/mock/agents/alice/ready');
  await send('TRANS2AGENT');
  expect((await call('POST', '/mock/agents/alice/accept')).status).toBe(200);
  const joined = await call('GET', '/cec/apiaccess/ccmessaging/poll?receiverId=h-1&channel=WEB', undefined, h);
  expect(joined.body.downlinkMessages.at(-1)).toMatchObject({ sourceType: 'SYSTEM', content: '已接通座席。', senderNickname: 'system' });

  const face = cecFaceOf(cc);
  const held = call('GET', '/cec/apiaccess/ccmessaging/poll?receiverId=h-1&channel=WEB', undefined, h);
  await vi.waitFor(() => expect(face.heldPolls).toBe(1));
  await call('POST', '/mock/agents/alice/send', { content: '您好，有什么可以帮您？' });
  expect((await held).body.downlinkMessages.map((m: any) => [m.sourceType, m.senderNickname, m.content])).toEqual([['AGENT', 'Alice', '您好，有什么可以帮您？']]);
});
