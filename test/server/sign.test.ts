/**
 * The Node helper integrators use to sign the channel signature, and the framework-free token
 * endpoint built on it.
 */
import { decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { createTokenEndpoint, signChannelToken } from '../../widget/server/sign.js';

const SECRET = 'integrator-secret-Key-123';
const NOW = Date.parse('2026-11-25T08:00:00Z');
const sec = NOW / 1000;
const base = { secretKey: SECRET, channelId: 'signed', userId: 'u-1' };

describe('signChannelToken', () => {
  it('signs HS256 (typ JWT) with channelId, sub, name, iat, exp = iat + 300 and a UUID jti', async () => {
    const token = await signChannelToken({ ...base, name: 'Wang Fang', now: NOW });
    expect(decodeProtectedHeader(token)).toEqual({ alg: 'HS256', typ: 'JWT' });
    const claims = decodeJwt(token);
    expect(claims).toEqual({ channelId: 'signed', sub: 'u-1', name: 'Wang Fang', iat: sec, exp: sec + 300, jti: claims.jti });
    expect(claims.jti).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('is keyed with the UTF-8 bytes of the secretKey', async () => {
    const token = await signChannelToken({ ...base, secretKey: 'clé-秘密', now: NOW });
    const { payload } = await jwtVerify(token, new TextEncoder().encode('clé-秘密'), { algorithms: ['HS256'], currentDate: new Date(NOW) });
    expect(payload.sub).toBe('u-1');
    await expect(jwtVerify(token, new TextEncoder().encode('cle-秘密'), { currentDate: new Date(NOW) })).rejects.toThrow();
  });

  it('leaves name out when not given, uses the given jti and ttl, floors now to seconds', async () => {
    const claims = decodeJwt(await signChannelToken({ ...base, now: NOW + 999, ttlSeconds: 60, jti: 'nonce-1' }));
    expect(claims).toEqual({ channelId: 'signed', sub: 'u-1', iat: sec, exp: sec + 60, jti: 'nonce-1' });
    expect('name' in claims).toBe(false);
  });

  it('defaults now to Date.now() and a fresh jti each call', async () => {
    const before = Math.floor(Date.now() / 1000);
    const [a, b] = await Promise.all([signChannelToken(base), signChannelToken(base)]);
    const ca = decodeJwt(a);
    expect(ca.iat).toBeGreaterThanOrEqual(before);
    expect(ca.iat).toBeLessThanOrEqual(Math.floor(Date.now() / 1000));
    expect(ca.exp).toBe(ca.iat! + 300);
    expect(ca.jti).not.toBe(decodeJwt(b).jti);
  });

  it('accepts ttlSeconds 1 and 300', async () => {
    expect(decodeJwt(await signChannelToken({ ...base, now: NOW, ttlSeconds: 1 })).exp).toBe(sec + 1);
    expect(decodeJwt(await signChannelToken({ ...base, now: NOW, ttlSeconds: 300 })).exp).toBe(sec + 300);
  });

  it.each([0, -5, 301, 600, 1.5, Number.NaN, Number.POSITIVE_INFINITY])('rejects ttlSeconds %s with a RangeError naming it', async (ttlSeconds) => {
    const p = signChannelToken({ ...base, ttlSeconds });
    await expect(p).rejects.toBeInstanceOf(RangeError);
    await expect(signChannelToken({ ...base, ttlSeconds })).rejects.toThrow('signChannelToken: ttlSeconds');
  });

  it.each(['secretKey', 'channelId', 'userId'] as const)('throws a TypeError naming a missing or empty %s', async (key) => {
    const missing = { ...base } as Record<string, unknown>;
    delete missing[key];
    await expect(signChannelToken(missing as never)).rejects.toThrow(new TypeError(`signChannelToken: ${key} is required`));
    await expect(signChannelToken({ ...base, [key]: '' })).rejects.toThrow(new TypeError(`signChannelToken: ${key} is required`));
    await expect(signChannelToken({ ...base, [key]: 42 } as never)).rejects.toThrow(`signChannelToken: ${key} is required`);
  });

  it('throws a TypeError when called without options', async () => {
    await expect(signChannelToken(undefined as never)).rejects.toThrow(new TypeError('signChannelToken: secretKey is required'));
  });

  it('rejects a name, jti or now of the wrong type, naming the option', async () => {
    await expect(signChannelToken({ ...base, name: 7 } as never)).rejects.toThrow('signChannelToken: name');
    await expect(signChannelToken({ ...base, jti: {} } as never)).rejects.toThrow('signChannelToken: jti');
    await expect(signChannelToken({ ...base, now: Number.NaN })).rejects.toThrow('signChannelToken: now');
  });

  it('never puts the secretKey in the token', async () => {
    const token = await signChannelToken({ ...base, now: NOW });
    const decoded = token
      .split('.')
      .slice(0, 2)
      .map((p) => Buffer.from(p, 'base64url').toString())
      .join('');
    expect(token).not.toContain(SECRET);
    expect(decoded).not.toContain(SECRET);
  });
});

describe('createTokenEndpoint', () => {
  type Req = { headers: Record<string, string | undefined>; session?: { id: string; name: string } };
  const handler = createTokenEndpoint<Req>({
    secretKey: SECRET,
    channelId: 'signed',
    getUser: async (req) => (req.session ? { userId: req.session.id, name: req.session.name } : null),
  });

  it('answers 200 with a signature for the logged-in user', async () => {
    const r = await handler({ headers: {}, session: { id: 'u-9', name: 'Li Lei' } });
    expect(r.status).toBe(200);
    const body = r.body as { signature: string; userId: string; expiresIn: number };
    expect(body).toMatchObject({ userId: 'u-9', expiresIn: 300 });
    const { payload } = await jwtVerify(body.signature, new TextEncoder().encode(SECRET), { algorithms: ['HS256'] });
    expect(payload).toMatchObject({ channelId: 'signed', sub: 'u-9', name: 'Li Lei' });
  });

  it('answers 401 when nobody is logged in', async () => {
    expect(await handler({ headers: {} })).toEqual({ status: 401, body: { error: 'not signed in' } });
  });

  it('checks its options when created', () => {
    const getUser = async () => null;
    expect(() => createTokenEndpoint({ secretKey: '', channelId: 'c', getUser })).toThrow('createTokenEndpoint: secretKey is required');
    expect(() => createTokenEndpoint({ secretKey: 'k', channelId: '', getUser })).toThrow('createTokenEndpoint: channelId is required');
    expect(() => createTokenEndpoint({ secretKey: 'k', channelId: 'c' } as never)).toThrow('createTokenEndpoint: getUser is required');
    expect(() => createTokenEndpoint({ secretKey: 'k', channelId: 'c', getUser, ttlSeconds: 301 })).toThrow(RangeError);
  });
});
