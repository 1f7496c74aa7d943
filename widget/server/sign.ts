/**
 * For integrators' servers: signs the channel signature the widget sends to `applyToken`
 * (docs/channel-api.md, Authentication). Import it from `cec-web-chat/server`; it is never part
 * of the browser bundle, and the secretKey never leaves your server.
 *
 * Only jose and WebCrypto globals are used (no `node:` imports), so the mock contact center can
 * sign with it inside the demo page too.
 */
import { SignJWT } from 'jose';

export interface SignOptions {
  /** The channel's secretKey (its UTF-8 bytes are the HS256 key). */
  secretKey: string;
  channelId: string;
  /** The customer's id in your system; the widget must be given the same `userId`. */
  userId: string;
  /** The customer's display name, shown to agents. */
  name?: string;
  /** Lifetime in seconds, an integer from 1 to 300 (default 300). */
  ttlSeconds?: number;
  /** Epoch ms the signature is issued at; default `Date.now()`. */
  now?: number;
  /** A one-time nonce; default `crypto.randomUUID()`. */
  jti?: string;
}

/** The longest lifetime the contact center accepts, in seconds. */
export const MAX_TTL_SECONDS = 300;

function requireString(fn: string, opts: object | null | undefined, key: string): string {
  const value = (opts as Record<string, unknown> | null | undefined)?.[key];
  if (typeof value !== 'string' || value === '') throw new TypeError(`${fn}: ${key} is required`);
  return value;
}

function optionalString(fn: string, opts: object, key: string): string | undefined {
  const value = (opts as Record<string, unknown>)[key];
  if (value !== undefined && typeof value !== 'string') throw new TypeError(`${fn}: ${key} must be a string`);
  return value === '' ? undefined : (value as string | undefined);
}

/** Returns a compact JWS (HS256) with claims channelId, sub, optional name, iat, exp and jti. */
export async function signChannelToken(opts: SignOptions): Promise<string> {
  const fn = 'signChannelToken';
  const secretKey = requireString(fn, opts, 'secretKey');
  const channelId = requireString(fn, opts, 'channelId');
  const userId = requireString(fn, opts, 'userId');
  const name = optionalString(fn, opts, 'name');
  const jti = optionalString(fn, opts, 'jti') ?? globalThis.crypto.randomUUID();
  const ttl = opts.ttlSeconds ?? MAX_TTL_SECONDS;
  if (!Number.isInteger(ttl) || ttl < 1 || ttl > MAX_TTL_SECONDS) {
    throw new RangeError(`${fn}: ttlSeconds must be an integer from 1 to ${MAX_TTL_SECONDS}`);
  }
  const now = opts.now ?? Date.now();
  if (!Number.isFinite(now)) throw new TypeError(`${fn}: now must be a finite number (epoch ms)`);
  const iat = Math.floor(now / 1000);
  return new SignJWT(name === undefined ? { channelId } : { channelId, name })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(userId)
    .setIssuedAt(iat)
    .setExpirationTime(iat + ttl)
    .setJti(jti)
    .sign(new TextEncoder().encode(secretKey));
}

/** The part of an HTTP request the endpoint needs; pass your framework's request object. */
export interface TokenRequest {
  headers: Record<string, string | string[] | undefined>;
  body?: unknown;
}

export interface TokenEndpointOptions<Req extends TokenRequest> {
  secretKey: string;
  channelId: string;
  /** Who is logged in, from your own session; null when nobody is (the endpoint answers 401). */
  getUser: (req: Req) => Promise<{ userId: string; name?: string } | null>;
  /** Lifetime of each signature in seconds (1–300, default 300). */
  ttlSeconds?: number;
}

export interface TokenEndpointResponse {
  status: number;
  body: { signature: string; userId: string; expiresIn: number } | { error: string };
}

/**
 * A framework-free handler: `const handle = createTokenEndpoint({...})`, then in your route
 * `const r = await handle(req); res.status(r.status).json(r.body)`. The body is
 * `{signature, userId, expiresIn}`; give the widget that userId and, as its signature function,
 * one that fetches this endpoint. Errors thrown by `getUser` propagate to your framework.
 */
export function createTokenEndpoint<Req extends TokenRequest = TokenRequest>(opts: TokenEndpointOptions<Req>): (req: Req) => Promise<TokenEndpointResponse> {
  const fn = 'createTokenEndpoint';
  const secretKey = requireString(fn, opts, 'secretKey');
  const channelId = requireString(fn, opts, 'channelId');
  if (typeof opts.getUser !== 'function') throw new TypeError(`${fn}: getUser is required`);
  const ttlSeconds = opts.ttlSeconds ?? MAX_TTL_SECONDS;
  if (!Number.isInteger(ttlSeconds) || ttlSeconds < 1 || ttlSeconds > MAX_TTL_SECONDS) {
    throw new RangeError(`${fn}: ttlSeconds must be an integer from 1 to ${MAX_TTL_SECONDS}`);
  }
  const { getUser } = opts;
  return async (req) => {
    const user = await getUser(req);
    if (!user) return { status: 401, body: { error: 'not signed in' } };
    const signature = await signChannelToken({ secretKey, channelId, userId: user.userId, name: user.name, ttlSeconds });
    return { status: 200, body: { signature, userId: user.userId, expiresIn: ttlSeconds } };
  };
}
