/**
 * Every string the widget shows, as one typed table per language. Functions take the values
 * they interpolate, so word order and plurals stay with the translation.
 */
import type { CallEndCause } from '../../core/call.js';
import type { EndReason } from '../../core/protocol.js';

export interface Translation {
  $code: string;
  $dir: 'ltr' | 'rtl';
  openChat: string;
  closeChat: string;
  minimise: string;
  unread: (n: number) => string;
  title: string;
  endChat: string;
  confirmEnd: string;
  tooLong: (maxBytes: number) => string;
  send: string;
  messagePlaceholder: string;
  messageLabel: string;
  transfer: string;
  transferring: string;
  connecting: string;
  reconnecting: string;
  online: string;
  you: string;
  sending: string;
  sent: string;
  read: string;
  failed: string;
  retry: string;
  typing: (name: string) => string;
  withBot: (name: string) => string;
  withAgent: (name: string) => string;
  queueTitle: string;
  queuePosition: (n: number) => string;
  queueWait: (minutes: number) => string;
  queueTransferred: (queue: string) => string;
  agentJoined: (name: string, employeeId?: string) => string;
  offHoursTitle: string;
  nextOpening: (when: string) => string;
  leaveMessage: string;
  leaveMessageLabel: string;
  contactLabel: string;
  messageLeft: string;
  idleWarning: (seconds: number) => string;
  stillHere: string;
  stillHereText: string;
  ended: Record<EndReason, string>;
  newChat: string;
  rateTitle: string;
  rateAgain: string;
  rateLabel: string;
  commentLabel: string;
  charsLeft: (n: number) => string;
  submitRating: string;
  ratingSaved: string;
  ratingFailed: string;
  errors: { start: string; auth: string; network: string; generic: string };
  tryAgain: string;
  transcriptLabel: string;
  earlier: (n: number) => string;
  attach: string;
  fileType: string;
  fileTooLarge: (mb: number) => string;
  callVoice: string;
  callVideo: string;
  callPermission: string;
  callCalling: string;
  callRinging: string;
  callConnected: (duration: string) => string;
  hangUp: string;
  callEnded: Record<CallEndCause, string>;
  dismiss: string;
}
