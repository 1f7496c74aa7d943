/**
 * For integrators' servers (Node): signs the channel signature that the widget passes to
 * `applyToken`. Import from `cec-web-chat/server`; it is never part of the browser bundle, and
 * the secretKey never leaves your server.
 */
import { SignJWT } from 'jose';

export interface SignOptions {
  /** The channel's secretKey (third-party authentication key). */
  secretKey: string;
  channelId: string;
  /** The customer's id in your system; the widget must use the same `userId`. */
  userId: string;
  /** The customer's display name, shown to agents. */
  name?: string;
  /** Lifetime in seconds, 1–300 (default 300). */
  ttlSeconds?: number;
  /** Epoch ms; default now. */
  now?: number;
  /** A one-time nonce; default a random UUID. */
  jti?: string;
}

export async function signChannelToken(opts: SignOptions): Promise<string> {
  for (const key of ['secretKey', 'channelId', 'userId'] as const) {
    if (typeof opts?.[key] !== 'string' || !opts[key]) throw new TypeError(`signChannelToken: ${key} is required`);
  }
  const ttl = opts.ttlSeconds ?? 300;
  if (!Number.isInteger(ttl) || ttl < 1 || ttl > 300) throw new RangeError('signChannelToken: ttlSeconds must be an integer from 1 to 300');
  const iat = Math.floor((opts.now ?? Date.now()) / 1000);
  const claims: Record<string, string> = { channelId: opts.channelId };
  if (opts.name) claims.name = opts.name;
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(opts.userId)
    .setIssuedAt(iat)
    .setExpirationTime(iat + ttl)
    .setJti(opts.jti ?? globalThis.crypto.randomUUID())
    .sign(new TextEncoder().encode(opts.secretKey));
}
