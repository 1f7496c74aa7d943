/**
 * Session tokens of the channel API: issued by `applyToken`, checked on every other call
 * (`ccmessaging-token` header), and refreshed through the response header when close to
 * expiry — once per token: every call with the old token in its last TOKEN_ROTATE_SECONDS gets
 * the same successor, and the old token stops working TOKEN_GRACE_SECONDS after that refresh
 * (so requests already in flight still land). Each token is bound to a resume key (contract
 * C1), which names the customer's stream. Token lifetimes follow the mock clock: they are
 * session timing, made by the mock itself. Tokens and resume keys come from
 * `crypto.getRandomValues`, never `Math.random`.
 */
import type { Clock } from './clock.js';
import { ApiFailure } from './errors.js';
import type { Identity } from './session.js';

export const TOKEN_LIFETIME_SECONDS = 3600;
/** A token with less than this left is refreshed through the `ccmessaging-token` response header. */
export const TOKEN_ROTATE_SECONDS = 600;
/** How long a refreshed token keeps working after its successor was handed out. */
export const TOKEN_GRACE_SECONDS = 30;

interface TokenRecord {
  token: string;
  channelId: string;
  userId: string;
  resumeKey: string;
  expiresAt: number;
  /** The one successor handed out for this token, and until when this token still works. */
  successor?: { token: string; until: number };
}

export class TokenBook {
  /** In order of issue, so expired tokens are pruned from the front. */
  private tokens = new Map<string, TokenRecord>();

  constructor(
    private readonly clock: Clock,
    /** Told when a token is forgotten (expired or revoked), so its owner can let go of it. */
    private readonly onForget: (token: string, resumeKey: string) => void = () => {},
  ) {}

  clear(): void {
    this.tokens.clear();
  }

  get size(): number {
    return this.tokens.size;
  }

  issue(channelId: string, userId: string, resumeKey: string): string {
    this.prune();
    const rec: TokenRecord = {
      token: randomBase64url(24),
      channelId,
      userId,
      resumeKey,
      expiresAt: this.clock.now() + TOKEN_LIFETIME_SECONDS * 1000,
    };
    this.tokens.set(rec.token, rec);
    return rec.token;
  }

  /** Forgets a token at once (its customer's data is gone). */
  revoke(token: string): void {
    this.tokens.delete(token);
  }

  /**
   * Checks the `ccmessaging-token` header. Errors: 401 `auth.token.missing`, `.invalid`,
   * `.expired`, `.replaced` (refreshed more than TOKEN_GRACE_SECONDS ago).
   */
  authenticate(token: string | null): Identity {
    if (!token) throw new ApiFailure(401, 'auth.token.missing', 'The ccmessaging-token header is required.');
    const rec = this.tokens.get(token);
    if (!rec) throw new ApiFailure(401, 'auth.token.invalid', 'The session token is not valid; apply for a new one.');
    const now = this.clock.now();
    if (rec.expiresAt <= now) {
      this.forget(rec);
      throw new ApiFailure(401, 'auth.token.expired', 'The session token has expired; apply for a new one.');
    }
    if (rec.successor && rec.successor.until <= now) {
      this.forget(rec);
      throw new ApiFailure(401, 'auth.token.replaced', 'The session token was replaced by the one in the ccmessaging-token response header; use that one.');
    }
    const id: Identity & { resumeKey: string } = { channelId: rec.channelId, userId: rec.userId, resumeKey: rec.resumeKey };
    if (rec.expiresAt - now < TOKEN_ROTATE_SECONDS * 1000) {
      rec.successor ??= { token: this.issue(rec.channelId, rec.userId, rec.resumeKey), until: now + TOKEN_GRACE_SECONDS * 1000 };
      id.rotated = rec.successor.token;
    }
    return id;
  }

  /** Forgets tokens that expired, oldest first (issue order is expiry order). */
  private prune(): void {
    const now = this.clock.now();
    for (const rec of this.tokens.values()) {
      if (rec.expiresAt > now) break;
      this.forget(rec);
    }
  }

  private forget(rec: TokenRecord): void {
    this.tokens.delete(rec.token);
    this.onForget(rec.token, rec.resumeKey);
  }
}

/** `bytes` random bytes from `crypto.getRandomValues`, base64url without padding. */
export function randomBase64url(bytes: number): string {
  const b = new Uint8Array(bytes);
  crypto.getRandomValues(b);
  let bin = '';
  for (const x of b) bin += String.fromCharCode(x);
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}
