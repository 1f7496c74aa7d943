/**
 * Session tokens of the channel API: issued by `applyToken`, checked on every other call
 * (`ccmessaging-token` header), rotated through the response header when close to expiry.
 * Token lifetimes follow the mock clock (they are session timing, made by the mock itself).
 */
import { ApiFailure } from './errors.js';
import type { Clock } from './clock.js';
import type { Identity } from './session.js';

export const TOKEN_LIFETIME_SECONDS = 3600;
/** A token with less than this left is rotated through the `ccmessaging-token` response header. */
export const TOKEN_ROTATE_SECONDS = 600;

interface TokenRecord {
  token: string;
  channelId: string;
  userId: string;
  userName: string;
  expiresAt: number;
}

export class TokenBook {
  private tokens = new Map<string, TokenRecord>();

  constructor(private readonly clock: Clock) {}

  clear(): void {
    this.tokens.clear();
  }

  issue(channelId: string, userId: string, userName: string): TokenRecord {
    const rec: TokenRecord = {
      token: randomToken(),
      channelId,
      userId,
      userName,
      expiresAt: this.clock.now() + TOKEN_LIFETIME_SECONDS * 1000,
    };
    this.tokens.set(rec.token, rec);
    return rec;
  }

  /** Checks the `ccmessaging-token` header; rotates a token close to expiry. */
  authenticate(token: string | null): Identity {
    if (!token) throw new ApiFailure(401, 'auth.token.missing', 'The ccmessaging-token header is required.');
    const rec = this.tokens.get(token);
    if (!rec) throw new ApiFailure(401, 'auth.token.invalid', 'The session token is not valid; apply for a new one.');
    const now = this.clock.now();
    if (rec.expiresAt <= now) {
      this.tokens.delete(token);
      throw new ApiFailure(401, 'auth.token.expired', 'The session token has expired; apply for a new one.');
    }
    const id: Identity = { channelId: rec.channelId, userId: rec.userId };
    if (rec.expiresAt - now < TOKEN_ROTATE_SECONDS * 1000) {
      id.rotated = this.issue(rec.channelId, rec.userId, rec.userName).token;
    }
    return id;
  }

  /** The name the customer gave when applying for a token. */
  userName(id: Identity): string {
    for (const rec of this.tokens.values()) if (rec.userId === id.userId && rec.channelId === id.channelId) return rec.userName;
    return id.userId;
  }
}

function randomToken(): string {
  const bytes = new Uint8Array(24);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
