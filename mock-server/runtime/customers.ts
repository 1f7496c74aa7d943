/**
 * The customers the mock knows: one stream per resume key (contract C1). A user id alone
 * names nobody — a browser resumes its own stream by presenting the key the mock issued to it,
 * and a request with another or no key starts a new stream that sees nothing of the old one.
 * Lookups are map accesses (by key; by channel + user id for the QA views and tests).
 */
import type { Clock } from './clock.js';
import { CustomerStream } from './stream.js';

/** Allowed shape of a resume key on the wire (contract C1). */
export const RESUME_KEY_PATTERN = /^[A-Za-z0-9_-]{22,128}$/;

export class CustomerBook {
  private byKey = new Map<string, CustomerStream>();
  /** `channelId\0userId` → that user's most recently opened stream. */
  private latestOfUser = new Map<string, CustomerStream>();
  /** The session tokens bound to each stream, with when each was issued (mock clock, ms), to let go of them with it. */
  private tokensOf = new WeakMap<CustomerStream, Map<string, number>>();

  constructor(private readonly clock: Clock) {}

  clear(): void {
    this.byKey.clear();
    this.latestOfUser.clear();
  }

  get size(): number {
    return this.byKey.size;
  }

  /** The stream `resumeKey` names, if it exists and belongs to this channel and user id. */
  find(channelId: string, userId: string, resumeKey: string | undefined): CustomerStream | undefined {
    const s = resumeKey === undefined ? undefined : this.byKey.get(resumeKey);
    return s && s.channelId === channelId && s.userId === userId ? s : undefined;
  }

  /** The stream of `resumeKey`, opened now when it does not exist (yet, or any more). */
  open(channelId: string, userId: string, resumeKey: string, userName = userId): CustomerStream {
    let s = this.find(channelId, userId, resumeKey);
    if (!s) {
      s = new CustomerStream(channelId, userId, userName, this.clock, resumeKey);
      this.byKey.set(resumeKey, s);
      this.tokensOf.set(s, new Map());
    }
    this.latestOfUser.set(`${channelId}\u0000${userId}`, s);
    return s;
  }

  /** The user's most recently opened stream (QA views and tests; never for authorisation). */
  latestFor(channelId: string, userId: string): CustomerStream | undefined {
    return this.latestOfUser.get(`${channelId}\u0000${userId}`);
  }

  bindToken(s: CustomerStream, token: string): void {
    this.tokensOf.get(s)?.set(token, this.clock.now());
  }

  /**
   * The stream's last kept session, which ended at `endedAt`, was let go by the retention rule.
   * Tokens issued up to then belong to the forgotten conversation and are returned (to be
   * revoked); a token issued later is a customer who came back under the same resume key, and
   * keeps the (now empty) stream. When no token is left the stream is forgotten too.
   */
  sessionsForgotten(s: CustomerStream, endedAt: number): string[] {
    const tokens = this.tokensOf.get(s);
    if (!tokens) return [];
    const stale: string[] = [];
    for (const [token, issuedAt] of tokens) {
      if (issuedAt > endedAt) continue;
      tokens.delete(token);
      stale.push(token);
    }
    if (tokens.size === 0) this.drop(s);
    return stale;
  }

  /** A token of the stream of `resumeKey` was forgotten: the stream goes too when nothing holds it. */
  tokenForgotten(token: string, resumeKey: string): void {
    const s = this.byKey.get(resumeKey);
    if (!s) return;
    const tokens = this.tokensOf.get(s)!;
    tokens.delete(token);
    if (tokens.size === 0 && s.sessionCount === 0) this.drop(s);
  }

  /** Forgets a stream; returns its tokens, which must be revoked. */
  drop(s: CustomerStream): string[] {
    if (this.byKey.get(s.resumeKey) === s) this.byKey.delete(s.resumeKey);
    const userKey = `${s.channelId}\u0000${s.userId}`;
    if (this.latestOfUser.get(userKey) === s) this.latestOfUser.delete(userKey);
    const tokens = [...(this.tokensOf.get(s)?.keys() ?? [])];
    this.tokensOf.delete(s);
    return tokens;
  }
}
