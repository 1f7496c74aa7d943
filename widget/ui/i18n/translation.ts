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
  /** "Show earlier" when the server did not say how many there are. */
  earlierMore: string;
  /** While the previous page of the history is on its way. */
  earlierLoading: string;
  /** The previous page of the history could not be had (a "Try again" button follows). */
  earlierFailed: string;
  attach: string;
  fileType: string;
  fileTooLarge: (mb: number) => string;
  callVoice: string;
  callVideo: string;
  callPermission: string;
  callCalling: string;
  callRinging: string;
  callConnected: (duration: string) => string;
  /** Video call switches (aria-pressed: on means off) and what the status line says is off. */
  callMute: string;
  callCameraOff: string;
  callMuted: string;
  callCameraIsOff: string;
  /** The remote tile without a picture: before the call connects, and after. */
  callVideoConnecting: string;
  callVideoPaused: string;
  /** The caption of the generated picture shown when the contact center sends no video (the mock). */
  callTestPicture: string;
  hangUp: string;
  callEnded: Record<CallEndCause, string>;
  dismiss: string;
  /** Header status once the chat is over. */
  chatEnded: string;
  /** The transcript's line when the customer joins a queue (the queue card shows position and wait). */
  queueJoined: string;
  /** A text field holds more than its limit (nothing is cut; sending waits until it fits). */
  charsOver: (n: number) => string;
  /** Leave-a-message: the contact is neither an email address nor a phone number. */
  contactInvalid: string;
  /** The pill shown when messages arrive while the reader is scrolled up. */
  newMessages: (n: number) => string;
  /** A picked file whose bytes are not the type its name or label says (a text file named .png). */
  fileContent: string;
  /** The server refused a file (its reason is not one the widget knows). */
  fileFailed: string;
}
