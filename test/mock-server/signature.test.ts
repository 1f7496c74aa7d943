/**
 * The channel signature: the Node helper integrators use, and every rejection of the mock's
 * verifier, each with its own errorCode, through `applyToken` on a channel with a secretKey.
 */
import { SignJWT, UnsecuredJWT, decodeJwt, decodeProtectedHeader } from 'jose';
import { getResponse } from 'msw';
import { beforeEach, describe, expect, it } from 'vitest';
import { signChannelToken } from '../../widget/server/sign.js';
import { DEMO_SECRET_KEY } from '../../mock-server/config/seed.js';
import { createHandlers } from '../../mock-server/handlers/index.js';
import { Clock } from '../../mock-server/runtime/clock.js';
import { ContactCenter } from '../../mock-server/runtime/contact-center.js';

const NOW = Date.parse('2026-11-25T08:00:00Z');
const sec = Math.floor(NOW / 1000);
let cc: ContactCenter;
let handlers: ReturnType<typeof createHandlers>;
/** The injected wall clock: signatures are judged by it, never by the mock clock. */
let wall = NOW;
beforeEach(() => {
  wall = NOW;
  cc = new ContactCenter({ clock: new Clock('manual', NOW), wallClock: () => wall });
  handlers = createHandlers(cc, { servedBy: 'node' });
});

async function applyToken(authorization: string | null, userId = 'u-1', channelId = 'signed') {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (authorization !== null) headers.authorization = authorization;
  const res = (await getResponse(handlers, new Request('http://mock.test/apiaccess/ccmessaging/applyToken', { method: 'POST', headers, body: JSON.stringify({ channelId, userId }) })))!;
  return { status: res.status, body: await res.json() };
}

const key = new TextEncoder().encode(DEMO_SECRET_KEY);
const jwt = (claims: Record<string, unknown> = {}, alg = 'HS256', k: Uint8Array = key) =>
  new SignJWT({ channelId: 'signed', ...claims })
    .setProtectedHeader({ alg })
    .setSubject((claims.sub as string) ?? 'u-1')
    .setIssuedAt((claims.iat as number) ?? sec)
    .setExpirationTime((claims.exp as number) ?? sec + 300)
    .setJti((claims.jti as string) ?? crypto.randomUUID())
    .sign(k);

describe('signChannelToken (the Node helper for integrators)', () => {
  it('signs HS256 with channelId, sub, name, iat, exp ≤ 5 minutes and a jti', async () => {
    const token = await signChannelToken({ secretKey: DEMO_SECRET_KEY, channelId: 'signed', userId: 'u-1', name: 'Wang Fang', now: NOW });
    expect(decodeProtectedHeader(token)).toMatchObject({ alg: 'HS256', typ: 'JWT' });
    const claims = decodeJwt(token);
    expect(claims).toMatchObject({ channelId: 'signed', sub: 'u-1', name: 'Wang Fang', iat: sec, exp: sec + 300 });
    expect(claims.jti).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('rejects missing options and out-of-range lifetimes, naming the option', async () => {
    await expect(signChannelToken({ secretKey: '', channelId: 'c', userId: 'u' })).rejects.toThrow('secretKey is required');
    await expect(signChannelToken({ secretKey: 'k', channelId: '', userId: 'u' })).rejects.toThrow('channelId is required');
    await expect(signChannelToken({ secretKey: 'k', channelId: 'c', userId: '' })).rejects.toThrow('userId is required');
    await expect(signChannelToken({ secretKey: 'k', channelId: 'c', userId: 'u', ttlSeconds: 301 })).rejects.toThrow('ttlSeconds');
  });
});

describe('applyToken on a channel with a secretKey', () => {
  it('accepts a fresh signature from the helper; the name in it becomes the customer name', async () => {
    const token = await signChannelToken({ secretKey: DEMO_SECRET_KEY, channelId: 'signed', userId: 'u-1', name: 'Wang Fang', now: NOW });
    const r = await applyToken(`Bearer ${token}`);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ resultCode: '0', expiresIn: 3600 });
  });

  it('a channel without a secretKey needs no signature', async () => {
    expect((await applyToken(null, 'u-1', 'demo')).status).toBe(200);
  });

  const cases: Array<[string, () => Promise<string | null>, string]> = [
    ['no Authorization header', async () => null, 'auth.signature.missing'],
    ['not a Bearer token', async () => 'Basic abc', 'auth.signature.missing'],
    ['not a JWS', async () => 'Bearer not-a-token', 'auth.signature.malformed'],
    [
      'alg none',
      async () =>
        `Bearer ${new UnsecuredJWT({ channelId: 'signed' })
          .setSubject('u-1')
          .setIssuedAt(sec)
          .setExpirationTime(sec + 60)
          .setJti('n')
          .encode()}`,
      'auth.signature.algorithm',
    ],
    ['alg HS384', async () => `Bearer ${await jwt({}, 'HS384')}`, 'auth.signature.algorithm'],
    ['signed with another key', async () => `Bearer ${await jwt({}, 'HS256', new TextEncoder().encode('someOtherKey123'))}`, 'auth.signature.invalid'],
    ['expired', async () => `Bearer ${await jwt({ iat: sec - 400, exp: sec - 100 })}`, 'auth.signature.expired'],
    ['issued in the future', async () => `Bearer ${await jwt({ iat: sec + 120, exp: sec + 300 })}`, 'auth.signature.notYetValid'],
    ['lives longer than 5 minutes', async () => `Bearer ${await jwt({ exp: sec + 600 })}`, 'auth.signature.lifetime'],
    ['made for another channel', async () => `Bearer ${await jwt({ channelId: 'demo' })}`, 'auth.signature.channelMismatch'],
    ['made for another user', async () => `Bearer ${await jwt({ sub: 'someone-else' })}`, 'auth.signature.userMismatch'],
  ];
  it.each(cases)('rejects a signature that is %s (401 with its own errorCode)', async (_name, make, errorCode) => {
    const r = await applyToken(await make());
    expect(r.status).toBe(401);
    expect(r.body.errorCode).toBe(errorCode);
    expect(r.body.exceptionInfo).not.toContain(DEMO_SECRET_KEY);
  });

  it('rejects a replayed jti', async () => {
    const token = await jwt({ jti: 'once' });
    expect((await applyToken(`Bearer ${token}`)).status).toBe(200);
    const again = await applyToken(`Bearer ${token}`);
    expect([again.status, again.body.errorCode]).toEqual([401, 'auth.signature.replayed']);
  });

  it('judges signatures by the wall clock: valid now, expired 331 s of real time later', async () => {
    const token = await signChannelToken({ secretKey: DEMO_SECRET_KEY, channelId: 'signed', userId: 'u-2', now: NOW });
    wall = NOW + 331_000;
    const r = await applyToken(`Bearer ${token}`, 'u-2');
    expect(r.body.errorCode).toBe('auth.signature.expired');
  });

  it('after the mock clock moves +21 min, a fresh integrator-made signature still passes (issue 17 case 9)', async () => {
    cc.clock.advance(21 * 60_000); // QA's "+21 min": session timing only
    wall = NOW + 2_000; // two real seconds later the integrator's server signs, on its own clock
    const token = await signChannelToken({ secretKey: DEMO_SECRET_KEY, channelId: 'signed', userId: 'u-3', name: 'Wang Fang', now: wall });
    const r = await applyToken(`Bearer ${token}`, 'u-3');
    expect(r.status).toBe(200);
    expect(r.body.resumeKey).toMatch(/^[A-Za-z0-9_-]{22,}$/);
  });

  it('a signature made on the mock clock after +21 min is judged by real time: issued in the future', async () => {
    cc.clock.advance(21 * 60_000);
    const token = await signChannelToken({ secretKey: DEMO_SECRET_KEY, channelId: 'signed', userId: 'u-4', now: cc.clock.now() });
    const r = await applyToken(`Bearer ${token}`, 'u-4');
    expect(r.body.errorCode).toBe('auth.signature.notYetValid');
  });
});
