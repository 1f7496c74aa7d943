/**
 * Checks the integrator's channel signature on `applyToken` (docs/channel-api.md): a JWS,
 * HS256 only, keyed with the channel's secretKey, with `channelId`, `sub`, `iat`, `exp` (at most
 * five minutes after `iat`) and a one-time `jti`. Each rejection has its own errorCode. Time
 * comes from the mock clock only. Runs in Node and in the browser (jose uses WebCrypto).
 */
import { compactVerify, decodeProtectedHeader } from 'jose';

export type Verdict = { ok: true; name?: string } | { ok: false; status: 401; errorCode: string; exceptionInfo: string };

export interface VerifyInput {
  /** The raw Authorization header. */
  authorization: string | null;
  /** The channel's secretKey; null means the channel needs no signature. */
  secretKey: string | null;
  channelId: string;
  userId: string;
  /** Epoch ms from the mock clock. */
  now: number;
}

const MAX_LIFETIME_SECONDS = 300;
const MAX_SEEN_JTIS = 100_000;

const reject = (errorCode: string, exceptionInfo: string): Verdict => ({ ok: false, status: 401, errorCode, exceptionInfo });

export class SignatureVerifier {
  private readonly skew: number;
  /** jti → its exp (seconds): a jti is remembered until its token could no longer be used. */
  private seen = new Map<string, number>();

  constructor(opts: { maxSkewSeconds?: number } = {}) {
    this.skew = opts.maxSkewSeconds ?? 30;
  }

  reset(): void {
    this.seen.clear();
  }

  async verify(input: VerifyInput): Promise<Verdict> {
    if (!input.secretKey) return { ok: true };
    const match = /^Bearer\s+(\S+)$/i.exec(input.authorization ?? '');
    if (!match) return reject('auth.signature.missing', 'This channel requires a signature: send Authorization: Bearer <signature>.');
    const jws = match[1]!;
    let alg: unknown;
    try {
      alg = decodeProtectedHeader(jws).alg;
    } catch {
      return reject('auth.signature.malformed', 'The signature is not a compact JWS.');
    }
    if (alg !== 'HS256') return reject('auth.signature.algorithm', `The signature must use HS256, not ${String(alg)}.`);
    let claims: Record<string, unknown>;
    try {
      const { payload } = await compactVerify(jws, new TextEncoder().encode(input.secretKey), { algorithms: ['HS256'] });
      claims = JSON.parse(new TextDecoder().decode(payload));
    } catch (e) {
      const code = (e as { code?: string }).code;
      if (code === 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED') return reject('auth.signature.invalid', 'The signature does not match the channel secretKey.');
      return reject('auth.signature.malformed', 'The signature could not be read.');
    }
    const now = Math.floor(input.now / 1000);
    const { iat, exp, jti, channelId, sub, name } = claims;
    if (typeof exp !== 'number') return reject('auth.signature.expired', 'The signature has no exp claim.');
    if (exp <= now - this.skew) return reject('auth.signature.expired', 'The signature has expired; ask the integrator server for a new one.');
    if (typeof iat !== 'number' || iat > now + this.skew) return reject('auth.signature.notYetValid', 'The signature was issued in the future (or has no iat claim).');
    if (exp - iat > MAX_LIFETIME_SECONDS) return reject('auth.signature.lifetime', 'The signature may live at most 5 minutes (exp - iat ≤ 300).');
    if (channelId !== input.channelId) return reject('auth.signature.channelMismatch', 'The signature was made for another channel.');
    if (sub !== input.userId) return reject('auth.signature.userMismatch', 'The signature was made for another user id.');
    if (typeof jti !== 'string' || !jti) return reject('auth.signature.jtiMissing', 'The signature has no jti (nonce) claim.');
    this.prune(now);
    if (this.seen.has(jti)) return reject('auth.signature.replayed', 'This signature was already used; each one is good for a single token request.');
    if (this.seen.size >= MAX_SEEN_JTIS) this.seen.delete(this.seen.keys().next().value!);
    this.seen.set(jti, exp);
    return typeof name === 'string' ? { ok: true, name } : { ok: true };
  }

  private prune(now: number): void {
    for (const [jti, exp] of this.seen) if (exp + this.skew < now) this.seen.delete(jti);
  }
}
