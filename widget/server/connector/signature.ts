/**
 * Checks the channel signature the widget sends to `applyToken` (README, "Identity: the channel
 * signature"): a compact JWS, HS256 only, keyed with the UTF-8 bytes of the channel's secretKey,
 * claims `channelId`, `sub`, optional `name`, `iat`, `exp` (at most 5 minutes after `iat`) and a
 * one-time `jti`. The same rules and errorCodes as the mock contact center, so the widget words
 * failures the same way. A jti is remembered in the connector's store (shared by instances) until
 * its token could no longer pass. Signatures are made by the integrator's server in real time, so
 * `now` is the connector's real clock.
 */
import { decodeProtectedHeader, errors, jwtVerify } from 'jose';
import type { ConnectorStore } from './store.js';

export type SignatureVerdict = { ok: true; name?: string } | { ok: false; errorCode: string; exceptionInfo: string };

const SKEW_S = 30;
const MAX_LIFETIME_S = 300;
const BEARER = /^Bearer[ \t]+(\S+)$/i;
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

const no = (reason: string, exceptionInfo: string): SignatureVerdict => ({ ok: false, errorCode: `auth.signature.${reason}`, exceptionInfo });

export async function verifySignature(store: ConnectorStore, input: { authorization: string | null; secretKey: string; channelId: string; userId: string; now: number }): Promise<SignatureVerdict> {
  const bearer = BEARER.exec((input.authorization ?? '').trim());
  if (!bearer) return no('missing', 'This channel requires a signature: send the header "Authorization: Bearer <signature>".');
  const jws = bearer[1]!;
  if (!COMPACT_JWS.test(jws)) return no('malformed', 'The signature is not a compact JWS (three base64url parts separated by dots).');
  try {
    if (decodeProtectedHeader(jws).alg !== 'HS256') return no('algorithm', 'The signature must be signed with HS256.');
  } catch {
    return no('malformed', 'The signature header is not valid base64url-encoded JSON.');
  }
  let claims: Record<string, unknown>;
  try {
    ({ payload: claims } = await jwtVerify(jws, new TextEncoder().encode(input.secretKey), {
      algorithms: ['HS256'],
      currentDate: new Date(input.now),
      clockTolerance: SKEW_S,
    }));
  } catch (e) {
    if (e instanceof errors.JWSSignatureVerificationFailed) return no('invalid', 'The signature does not match the channel secretKey.');
    if (e instanceof errors.JWTExpired) return no('expired', 'The signature has expired; ask the integrator server for a new one.');
    return no('malformed', 'The signature could not be read as a JWT.');
  }
  const nowS = Math.floor(input.now / 1000);
  const { exp, iat, jti, channelId, sub, name } = claims;
  if (typeof exp !== 'number' || exp <= nowS - SKEW_S) return no('expired', 'The signature has expired or has no "exp" claim.');
  if (typeof iat !== 'number' || iat > nowS + SKEW_S) return no('notYetValid', 'The signature has no "iat" claim or was issued in the future.');
  if (exp - iat > MAX_LIFETIME_S) return no('lifetime', `The signature may live at most ${MAX_LIFETIME_S} seconds ("exp" - "iat").`);
  if (channelId !== input.channelId) return no('channelMismatch', 'The signature was made for another channel.');
  if (sub !== input.userId) return no('userMismatch', 'The signature was made for another user id than the one in the request.');
  if (typeof jti !== 'string' || jti === '') return no('jtiMissing', 'The signature has no "jti" (one-time nonce) claim.');
  const ttl = Math.max(1000, (exp + SKEW_S - nowS) * 1000);
  const claim = await store.claimIdempotencyKey(`jti:${input.channelId}:${jti}`, { state: 'pending', since: input.now, owner: 'signature' }, ttl);
  if (!claim.claimed) return no('replayed', 'This signature was already used; each one is good for a single token request.');
  return typeof name === 'string' && name !== '' ? { ok: true, name } : { ok: true };
}
