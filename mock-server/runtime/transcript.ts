/**
 * Writes into a session's transcript: every downlink message (chatbot, system, agent or the
 * customer's own echo) is appended to the customer's stream here, with the sender's name and
 * the queue flag, and the agents' workbench is told.
 */
import type { DownlinkData, DownlinkMessage, SessionEvent, SourceType } from '../../widget/core/protocol.js';
import type { Clock } from './clock.js';
import { customerDisplayName } from './names.js';
import type { IdSource, Session } from './session.js';
import type { TenantView } from './tenant-view.js';

/** What the transcript needs from the agents' side. */
export interface TranscriptWatcher {
  displayName(account: string): string;
  changed(): void;
}

export class Transcript {
  constructor(
    private readonly tenant: TenantView,
    private readonly clock: Clock,
    private readonly ids: IdSource,
    private readonly desk: TranscriptWatcher,
  ) {}

  post(s: Session, sourceType: SourceType, controlType: DownlinkMessage['controlType'], content: string, extra: Partial<DownlinkMessage> = {}): DownlinkMessage {
    const ch = this.tenant.channelOf(s);
    const nickname =
      sourceType === 'ROBOT' ? (ch.chatbot?.name ?? 'Bot') : sourceType === 'SYSTEM' ? 'System' : sourceType === 'AGENT' && s.agent ? this.desk.displayName(s.agent) : this.customerName(s);
    const toCustomer = sourceType !== 'CUSTOMER';
    const msg = s.stream.append({
      messageId: this.ids.next('m'),
      sessionId: s.id,
      from: toCustomer ? (sourceType === 'AGENT' && s.agent ? s.agent : sourceType.toLowerCase()) : s.stream.userId,
      to: toCustomer ? s.stream.userId : (s.agent ?? ch.id),
      channel: 'WEB',
      controlType,
      mediaType: 'TEXT',
      content,
      sourceType,
      senderNickname: nickname,
      senderAvatar: sourceType === 'ROBOT' ? ch.chatbot?.avatar || undefined : undefined,
      timestamp: this.clock.now(),
      queueFlag: s.phase === 'queue' ? 'Y' : 'N',
      ...extra,
    });
    this.desk.changed();
    return msg;
  }

  /** The customer's name as the agent side shows it (see names.ts). */
  customerName(s: Session): string {
    return customerDisplayName(s.stream.userName, s.stream.nameVerified, this.tenant);
  }

  /** A system line carrying a session event (queue position, idle warning, …). */
  system(s: Session, event: SessionEvent, content: string, data?: DownlinkData): DownlinkMessage {
    return this.post(s, 'SYSTEM', 'CHAT', content, { event, data });
  }
}
