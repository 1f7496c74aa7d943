/**
 * Checks the integrator's channel signature on `applyToken` (docs/channel-api.md, Authentication):
 * a compact JWS, HS256 only, keyed with the UTF-8 bytes of the channel's secretKey, with claims
 * `channelId`, `sub`, optional `name`, `iat`, `exp` (at most five minutes after `iat`) and a
 * one-time `jti`. Every rejection is a 401 with its own errorCode (see SIGNATURE_ERRORS).
 *
 * Time comes only from the `now` the caller passes: the contact center's injectable wall clock
 * (real time — the integrator's server signs on its own clock and never sees the mock clock),
 * never from the machine's clock directly. Imports nothing but jose, which runs on WebCrypto: the demo runs this verifier inside
 * MSW's page as well as in Node. The exceptionInfo is a sentence for humans; it never repeats
 * the token, the key or any claim value.
 */
import { decodeProtectedHeader, errors, jwtVerify } from 'jose';

export type Verdict = { ok: true; name?: string } | { ok: false; status: 401; errorCode: string; exceptionInfo: string };

export interface VerifyInput {
  /** The raw Authorization header (`Bearer <jws>`), or null when the request has none. */
  authorization: string | null;
  /** The channel's secretKey; null (or empty) means the channel needs no signature. */
  secretKey: string | null;
  channelId: string;
  userId: string;
  /** Epoch ms of real time (the contact center's wall clock, not the mock clock). */
  now: number;
}

export interface SignatureVerifierOptions {
  /** Clock skew allowed on `exp` and `iat`, in seconds (default 30). */
  maxSkewSeconds?: number;
}

/** The errorCodes, one per reason a signature is refused. */
export const SIGNATURE_ERRORS = {
  missing: 'auth.signature.missing',
  malformed: 'auth.signature.malformed',
  algorithm: 'auth.signature.algorithm',
  invalid: 'auth.signature.invalid',
  expired: 'auth.signature.expired',
  notYetValid: 'auth.signature.notYetValid',
  lifetime: 'auth.signature.lifetime',
  channelMismatch: 'auth.signature.channelMismatch',
  userMismatch: 'auth.signature.userMismatch',
  jtiMissing: 'auth.signature.jtiMissing',
  replayed: 'auth.signature.replayed',
} as const;

/** Longest allowed `exp - iat`, in seconds. */
export const MAX_SIGNATURE_LIFETIME_SECONDS = 300;
/** Most jtis remembered at once; beyond this the one remembered longest is forgotten. */
export const MAX_SEEN_JTIS = 100_000;

const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;
const BEARER = /^Bearer[ \t]+(\S+)$/i;

type Reason = keyof typeof SIGNATURE_ERRORS;
const reject = (reason: Reason, exceptionInfo: string): Verdict => ({
  ok: false,
  status: 401,
  errorCode: SIGNATURE_ERRORS[reason],
  exceptionInfo,
});

/** Names an algorithm in a message only when it looks like one (the header is attacker text). */
const describeAlg = (alg: unknown): string => (typeof alg === 'string' && /^[A-Za-z0-9+-]{1,16}$/.test(alg) ? `"${alg}"` : alg === undefined ? 'no algorithm' : 'an unknown algorithm');

export class SignatureVerifier {
  private readonly skew: number;
  /** `${channelId} ${jti}` → that token's exp (s): remembered until the token could no longer pass. */
  private readonly seen = new Map<string, number>();

  constructor(opts: SignatureVerifierOptions = {}) {
    const skew = opts.maxSkewSeconds ?? 30;
    if (!Number.isFinite(skew) || skew < 0) throw new RangeError('SignatureVerifier: maxSkewSeconds must be a number ≥ 0');
    this.skew = skew;
  }

  /** Forgets every jti seen (a mock reset). */
  reset(): void {
    this.seen.clear();
  }

  async verify(input: VerifyInput): Promise<Verdict> {
    if (!input.secretKey) return { ok: true };

    const bearer = BEARER.exec((input.authorization ?? '').trim());
    if (!bearer) return reject('missing', 'This channel requires a signature: send the header "Authorization: Bearer <signature>".');
    const jws = bearer[1]!;
    if (!COMPACT_JWS.test(jws)) return reject('malformed', 'The signature is not a compact JWS (three base64url parts separated by dots).');

    // The algorithm is judged from the protected header before any verification.
    let alg: unknown;
    try {
      alg = decodeProtectedHeader(jws).alg;
    } catch {
      return reject('malformed', 'The signature header is not valid base64url-encoded JSON.');
    }
    if (alg !== 'HS256') return reject('algorithm', `The signature must be signed with HS256, not ${describeAlg(alg)}.`);

    const nowSeconds = Math.floor(input.now / 1000);
    let claims: Record<string, unknown>;
    try {
      ({ payload: claims } = await jwtVerify(jws, new TextEncoder().encode(input.secretKey), {
        algorithms: ['HS256'],
        currentDate: new Date(input.now),
        clockTolerance: this.skew,
      }));
    } catch (e) {
      return this.fromJoseError(e);
    }

    // jose checks exp and nbf only when present, and iat not at all: the rest is checked here.
    const { exp, iat, jti, channelId, sub, name } = claims;
    if (typeof exp !== 'number') return reject('expired', 'The signature has no "exp" (expiry) claim.');
    if (exp <= nowSeconds - this.skew) return reject('expired', 'The signature has expired; ask the integrator server for a new one.');
    if (typeof iat !== 'number') return reject('notYetValid', 'The signature has no "iat" (issued at) claim.');
    if (iat > nowSeconds + this.skew) return reject('notYetValid', 'The signature was issued in the future; check the signing server clock.');
    if (exp - iat > MAX_SIGNATURE_LIFETIME_SECONDS) {
      return reject('lifetime', `The signature may live at most ${MAX_SIGNATURE_LIFETIME_SECONDS} seconds ("exp" - "iat").`);
    }
    if (channelId !== input.channelId) return reject('channelMismatch', 'The signature was made for another channel.');
    if (sub !== input.userId) return reject('userMismatch', 'The signature was made for another user id than the one in the request.');
    if (typeof jti !== 'string' || jti === '') return reject('jtiMissing', 'The signature has no "jti" (one-time nonce) claim.');

    // From here to the end nothing awaits: two concurrent requests with one token cannot both pass.
    this.prune(nowSeconds);
    const seenKey = `${input.channelId} ${jti}`;
    if (this.seen.has(seenKey)) {
      return reject('replayed', 'This signature was already used; each one is good for a single token request.');
    }
    if (this.seen.size >= MAX_SEEN_JTIS) this.seen.delete(this.seen.keys().next().value!);
    this.seen.set(seenKey, exp);
    return typeof name === 'string' && name !== '' ? { ok: true, name } : { ok: true };
  }

  /** Drops the jtis of tokens that are expired at `nowSeconds` (they would be refused anyway). */
  private prune(nowSeconds: number): void {
    for (const [key, exp] of this.seen) if (exp <= nowSeconds - this.skew) this.seen.delete(key);
  }

  private fromJoseError(e: unknown): Verdict {
    if (e instanceof errors.JWSSignatureVerificationFailed) return reject('invalid', 'The signature does not match the channel secretKey.');
    if (e instanceof errors.JOSEAlgNotAllowed) return reject('algorithm', 'The signature must be signed with HS256.');
    if (e instanceof errors.JWTExpired) return reject('expired', 'The signature has expired; ask the integrator server for a new one.');
    if (e instanceof errors.JWTClaimValidationFailed) {
      if (e.claim === 'exp') return reject('expired', 'The signature has an invalid "exp" (expiry) claim.');
      if (e.claim === 'iat') return reject('notYetValid', 'The signature has an invalid "iat" (issued at) claim.');
      if (e.claim === 'nbf') return reject('notYetValid', 'The signature is not valid yet ("nbf").');
    }
    // JWSInvalid, JWTInvalid (claims not a JSON object), JOSENotSupported (crit headers), …
    return reject('malformed', 'The signature could not be read as a JWT.');
  }
}
