/**
 * The idle rule: a chat with the chatbot or an agent in which the customer says nothing for
 * `dialogEnd.noReplyMinutes` (default 20) ends; a warning comes shortly before (two minutes,
 * or a quarter of the limit when that is shorter). Runs on the mock clock.
 */
import type { EndReason } from '../../widget/core/protocol.js';
import { DEFAULT_NO_REPLY_MINUTES } from '../config/types.js';
import type { Clock } from './clock.js';
import type { Session } from './session.js';
import type { TenantView } from './tenant-view.js';
import type { Transcript } from './transcript.js';

export class IdleRule {
  constructor(
    private readonly tenant: TenantView,
    private readonly clock: Clock,
    private readonly transcript: Transcript,
    private readonly end: (s: Session, reason: EndReason, content?: string) => void,
  ) {}

  /** (Re)starts the countdown from now. */
  arm(s: Session): void {
    this.clear(s);
    const ch = this.tenant.channelOf(s);
    const limit = (ch.dialogEnd?.noReplyMinutes ?? DEFAULT_NO_REPLY_MINUTES) * 60_000;
    const lead = Math.min(120_000, limit / 4);
    const deadline = this.clock.now() + limit;
    s.idleTimers.push(
      this.clock.setTimeout(() => this.transcript.system(s, 'idle.warning', '', { deadline }), limit - lead),
      this.clock.setTimeout(() => {
        const text = s.phase === 'bot' ? ch.chatbot?.timeoutReply : ch.dialogEnd?.conclusion;
        this.end(s, 'idle', text || undefined);
      }, limit),
    );
  }

  clear(s: Session): void {
    for (const t of s.idleTimers) t.cancel();
    s.idleTimers = [];
  }
}
