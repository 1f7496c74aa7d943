/**
 * The mock's SignatureVerifier on its own: every rejection with its own errorCode, the happy path
 * with a token from the integrators' helper, and time taken only from the `now` it is given.
 */
import { SignJWT, UnsecuredJWT, generateKeyPair } from 'jose';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MAX_SEEN_JTIS, SignatureVerifier, type VerifyInput } from '../../mock-server/runtime/auth.js';
import { signChannelToken } from '../../widget/server/sign.js';

const SECRET = 'channel-secret-Key-42';
const key = new TextEncoder().encode(SECRET);
const T = Date.parse('2026-11-25T08:00:00Z');
const sec = T / 1000;

interface Claims {
  channelId?: string;
  sub?: string;
  name?: string;
  iat?: number | null;
  exp?: number | null;
  jti?: string | null;
  nbf?: number;
}

/** A token for channel "signed" and user "u-1", valid at T, with any field overridden (null = left out). */
function jwt(over: Claims = {}, alg = 'HS256', k: Uint8Array = key): Promise<string> {
  const payload: Record<string, unknown> = { channelId: 'signed', sub: 'u-1', iat: sec, exp: sec + 300, jti: crypto.randomUUID(), ...over };
  for (const [name, value] of Object.entries(payload)) if (value === null) delete payload[name];
  return new SignJWT(payload).setProtectedHeader({ alg, typ: 'JWT' }).sign(k);
}

let verifier: SignatureVerifier;
beforeEach(() => {
  verifier = new SignatureVerifier();
});
afterEach(() => {
  vi.useRealTimers();
});

const input = (authorization: string | null, over: Partial<VerifyInput> = {}): VerifyInput => ({
  authorization,
  secretKey: SECRET,
  channelId: 'signed',
  userId: 'u-1',
  now: T,
  ...over,
});

async function expectRejected(authorization: string | null, errorCode: string, over: Partial<VerifyInput> = {}) {
  const verdict = await verifier.verify(input(authorization, over));
  expect(verdict).toMatchObject({ ok: false, status: 401, errorCode });
  if (verdict.ok) return;
  expect(verdict.exceptionInfo).toMatch(/^[A-Z].*\.$/);
  expect(verdict.exceptionInfo).not.toContain(SECRET);
  const token = authorization
    ?.trim()
    .split(/\s+/)
    .find((w) => w.includes('.'));
  if (token) expect(verdict.exceptionInfo).not.toContain(token);
  for (const part of token?.split('.') ?? []) if (part.length > 3) expect(verdict.exceptionInfo).not.toContain(part);
}

describe('SignatureVerifier: accepted', () => {
  it('accepts a token from signChannelToken and returns its name', async () => {
    const token = await signChannelToken({ secretKey: SECRET, channelId: 'signed', userId: 'u-1', name: 'Wang Fang', now: T });
    expect(await verifier.verify(input(`Bearer ${token}`))).toEqual({ ok: true, name: 'Wang Fang' });
  });

  it('accepts a token without a name (no name in the verdict)', async () => {
    const token = await signChannelToken({ secretKey: SECRET, channelId: 'signed', userId: 'u-1', now: T });
    expect(await verifier.verify(input(`Bearer ${token}`))).toEqual({ ok: true });
  });

  it('takes the Bearer scheme case-insensitively and tolerates surrounding spaces', async () => {
    expect((await verifier.verify(input(`bearer ${await jwt()}`))).ok).toBe(true);
    expect((await verifier.verify(input(`  BEARER   ${await jwt()}  `))).ok).toBe(true);
  });

  it('a channel without a secretKey needs no signature, and one given is ignored', async () => {
    expect(await verifier.verify(input(null, { secretKey: null }))).toEqual({ ok: true });
    expect(await verifier.verify(input('Bearer garbage', { secretKey: null }))).toEqual({ ok: true });
    const other = await jwt({ name: 'Ignored' }, 'HS256', new TextEncoder().encode('someone-else'));
    expect(await verifier.verify(input(`Bearer ${other}`, { secretKey: null }))).toEqual({ ok: true });
  });

  it('allows the clock skew on both ends', async () => {
    // exp 20 s ago and iat 20 s ahead are inside the default 30 s skew.
    expect((await verifier.verify(input(`Bearer ${await jwt({ iat: sec - 280, exp: sec - 20 })}`))).ok).toBe(true);
    expect((await verifier.verify(input(`Bearer ${await jwt({ iat: sec + 20, exp: sec + 320 })}`))).ok).toBe(true);
  });
});

describe('SignatureVerifier: each rejection has its own errorCode', () => {
  it('no Authorization header → auth.signature.missing', async () => {
    await expectRejected(null, 'auth.signature.missing');
    await expectRejected('', 'auth.signature.missing');
  });

  it('not "Bearer <jws>" → auth.signature.missing', async () => {
    await expectRejected(`Basic ${btoa('u:p')}`, 'auth.signature.missing');
    await expectRejected('Bearer', 'auth.signature.missing');
    await expectRejected(`${await jwt()}`, 'auth.signature.missing');
    await expectRejected(`Bearer ${await jwt()} extra`, 'auth.signature.missing');
  });

  it('not a parsable JWS → auth.signature.malformed', async () => {
    await expectRejected('Bearer not-a-token', 'auth.signature.malformed');
    await expectRejected('Bearer a.b', 'auth.signature.malformed');
    await expectRejected('Bearer a.b.c.d.e', 'auth.signature.malformed');
    await expectRejected('Bearer !!!.???.***', 'auth.signature.malformed');
    await expectRejected('Bearer bm90IGpzb24.e30.c2ln', 'auth.signature.malformed'); // header "not json"
  });

  it('a payload that is not a JSON object, correctly signed → auth.signature.malformed', async () => {
    const { CompactSign } = await import('jose');
    const jws = await new CompactSign(new TextEncoder().encode('"just a string"')).setProtectedHeader({ alg: 'HS256' }).sign(key);
    await expectRejected(`Bearer ${jws}`, 'auth.signature.malformed');
  });

  it('alg none (an unsecured JWT) → auth.signature.algorithm', async () => {
    const none = new UnsecuredJWT({ channelId: 'signed' })
      .setSubject('u-1')
      .setIssuedAt(sec)
      .setExpirationTime(sec + 60)
      .setJti('n-1')
      .encode();
    await expectRejected(`Bearer ${none}`, 'auth.signature.algorithm');
  });

  it('alg HS384 (right key) → auth.signature.algorithm', async () => {
    await expectRejected(`Bearer ${await jwt({}, 'HS384', new TextEncoder().encode(SECRET.padEnd(48, '!')))}`, 'auth.signature.algorithm');
  });

  it('alg RS256 → auth.signature.algorithm', async () => {
    const { privateKey } = await generateKeyPair('RS256');
    const token = await new SignJWT({ channelId: 'signed', sub: 'u-1', iat: sec, exp: sec + 60, jti: 'r' }).setProtectedHeader({ alg: 'RS256' }).sign(privateKey);
    await expectRejected(`Bearer ${token}`, 'auth.signature.algorithm');
  });

  it('an HS256 header on an HS384 signature, or no alg at all → auth.signature.algorithm / invalid', async () => {
    const [, p, s] = (await jwt({}, 'HS384')).split('.');
    const noAlg = Buffer.from(JSON.stringify({ typ: 'JWT' })).toString('base64url');
    await expectRejected(`Bearer ${noAlg}.${p}.${s}`, 'auth.signature.algorithm');
    const hs256 = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');
    await expectRejected(`Bearer ${hs256}.${p}.${s}`, 'auth.signature.invalid');
  });

  it('signed with another key → auth.signature.invalid', async () => {
    await expectRejected(`Bearer ${await jwt({}, 'HS256', new TextEncoder().encode('wrong-key'))}`, 'auth.signature.invalid');
  });

  it('a tampered payload → auth.signature.invalid', async () => {
    const [h, , s] = (await jwt()).split('.');
    const forged = Buffer.from(JSON.stringify({ channelId: 'signed', sub: 'admin', iat: sec, exp: sec + 300, jti: 'x' })).toString('base64url');
    await expectRejected(`Bearer ${h}.${forged}.${s}`, 'auth.signature.invalid', { userId: 'admin' });
  });

  it('expired (exp before now minus the skew) → auth.signature.expired', async () => {
    await expectRejected(`Bearer ${await jwt({ iat: sec - 400, exp: sec - 100 })}`, 'auth.signature.expired');
    await expectRejected(`Bearer ${await jwt({ iat: sec - 300, exp: sec - 30 })}`, 'auth.signature.expired'); // exactly at the edge
  });

  it('no exp claim → auth.signature.expired', async () => {
    await expectRejected(`Bearer ${await jwt({ exp: null })}`, 'auth.signature.expired');
  });

  it('issued in the future beyond the skew → auth.signature.notYetValid', async () => {
    await expectRejected(`Bearer ${await jwt({ iat: sec + 120, exp: sec + 300 })}`, 'auth.signature.notYetValid');
    await expectRejected(`Bearer ${await jwt({ iat: sec + 31, exp: sec + 331 })}`, 'auth.signature.notYetValid');
  });

  it('no iat claim, or an nbf in the future → auth.signature.notYetValid', async () => {
    await expectRejected(`Bearer ${await jwt({ iat: null })}`, 'auth.signature.notYetValid');
    await expectRejected(`Bearer ${await jwt({ nbf: sec + 100 })}`, 'auth.signature.notYetValid');
  });

  it('lives longer than 5 minutes (10 minutes) → auth.signature.lifetime', async () => {
    await expectRejected(`Bearer ${await jwt({ exp: sec + 600 })}`, 'auth.signature.lifetime');
    await expectRejected(`Bearer ${await jwt({ exp: sec + 301 })}`, 'auth.signature.lifetime');
  });

  it('made for another channel → auth.signature.channelMismatch', async () => {
    await expectRejected(`Bearer ${await jwt({ channelId: 'demo' })}`, 'auth.signature.channelMismatch');
    await expectRejected(`Bearer ${await jwt({ channelId: null as never })}`, 'auth.signature.channelMismatch');
  });

  it('made for another user → auth.signature.userMismatch', async () => {
    await expectRejected(`Bearer ${await jwt({ sub: 'someone-else' })}`, 'auth.signature.userMismatch');
  });

  it('no jti → auth.signature.jtiMissing', async () => {
    await expectRejected(`Bearer ${await jwt({ jti: null })}`, 'auth.signature.jtiMissing');
    await expectRejected(`Bearer ${await jwt({ jti: '' })}`, 'auth.signature.jtiMissing');
  });

  it('the same token twice → auth.signature.replayed', async () => {
    const token = await jwt({ jti: 'once' });
    expect((await verifier.verify(input(`Bearer ${token}`))).ok).toBe(true);
    await expectRejected(`Bearer ${token}`, 'auth.signature.replayed', { now: T + 10_000 });
    // Another token with the same jti is a replay too.
    await expectRejected(`Bearer ${await jwt({ jti: 'once', iat: sec + 1, exp: sec + 200 })}`, 'auth.signature.replayed');
  });

  it('two concurrent requests with one token: exactly one passes', async () => {
    const token = await jwt();
    const verdicts = await Promise.all([1, 2, 3].map(() => verifier.verify(input(`Bearer ${token}`))));
    expect(verdicts.filter((v) => v.ok)).toHaveLength(1);
    expect(verdicts.filter((v) => !v.ok && v.errorCode === 'auth.signature.replayed')).toHaveLength(2);
  });

  it('a refused token does not burn its jti', async () => {
    const token = await jwt({ jti: 'kept' });
    await expectRejected(`Bearer ${token}`, 'auth.signature.userMismatch', { userId: 'u-2' });
    expect((await verifier.verify(input(`Bearer ${token}`))).ok).toBe(true);
  });

  it('uses one errorCode per rule (11 distinct codes)', async () => {
    const { SIGNATURE_ERRORS } = await import('../../mock-server/runtime/auth.js');
    expect(new Set(Object.values(SIGNATURE_ERRORS)).size).toBe(11);
  });
});

describe('SignatureVerifier: time and memory', () => {
  it('judges time by the given now: valid at T, expired at T + 331 s (300 s ttl + 30 s skew)', async () => {
    const token = await signChannelToken({ secretKey: SECRET, channelId: 'signed', userId: 'u-1', now: T });
    await expectRejected(`Bearer ${token}`, 'auth.signature.expired', { now: T + 331_000 });
    expect((await verifier.verify(input(`Bearer ${token}`, { now: T }))).ok).toBe(true);
  });

  it('with no skew: a token valid at T is expired at T + 301 s', async () => {
    verifier = new SignatureVerifier({ maxSkewSeconds: 0 });
    const token = await signChannelToken({ secretKey: SECRET, channelId: 'signed', userId: 'u-1', now: T });
    await expectRejected(`Bearer ${token}`, 'auth.signature.expired', { now: T + 301_000 });
    expect((await verifier.verify(input(`Bearer ${token}`, { now: T + 299_000 }))).ok).toBe(true);
  });

  it('never reads the machine clock', async () => {
    vi.useFakeTimers({ now: Date.parse('2001-01-01T00:00:00Z') });
    const spy = vi.spyOn(Date, 'now');
    const token = await jwt();
    expect((await verifier.verify(input(`Bearer ${token}`))).ok).toBe(true);
    expect(spy).not.toHaveBeenCalled();
    // A token fresh by the machine clock is refused by the mock clock's now.
    vi.setSystemTime(T);
    expect(await verifier.verify(input(`Bearer ${await jwt()}`, { now: T + 3_600_000 }))).toMatchObject({ ok: false, errorCode: 'auth.signature.expired' });
  });

  it('forgets a jti once its token has expired, and on reset()', async () => {
    const token = await jwt({ jti: 'j', exp: sec + 60 });
    expect((await verifier.verify(input(`Bearer ${token}`))).ok).toBe(true);
    verifier.reset();
    expect((await verifier.verify(input(`Bearer ${token}`))).ok).toBe(true);
    // After its exp (+ skew) the entry is pruned: a reuse is then refused as expired, not as a replay.
    const seen = (verifier as unknown as { seen: Map<string, number> }).seen;
    expect(seen.size).toBe(1);
    await expectRejected(`Bearer ${token}`, 'auth.signature.expired', { now: T + 91_000 });
    await verifier.verify(input(`Bearer ${await jwt()}`, { now: T + 91_000 }));
    expect([...seen.values()]).toEqual([sec + 300]);
  });

  it(`remembers at most ${MAX_SEEN_JTIS} jtis`, async () => {
    const seen = (verifier as unknown as { seen: Map<string, number> }).seen;
    for (let i = 0; i < MAX_SEEN_JTIS; i++) seen.set(`signed fill-${i}`, sec + 300);
    expect((await verifier.verify(input(`Bearer ${await jwt({ jti: 'last' })}`))).ok).toBe(true);
    expect(seen.size).toBe(MAX_SEEN_JTIS);
    expect(seen.has('signed fill-0')).toBe(false);
  });

  it('rejects a negative skew', () => {
    expect(() => new SignatureVerifier({ maxSkewSeconds: -1 })).toThrow(RangeError);
  });
});
