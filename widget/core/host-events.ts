/**
 * The `cec-*` events `<cec-chat>` fires on the host page (bubbling, composed), each name written
 * once, here, with the shape of its `detail`. This map types the session's `emit` effect,
 * derives `HTMLElementEventMap` for typed listeners (`el.addEventListener('cec-agent-joined', e =>
 * e.detail.agentName)`), and documents the events in `custom-elements.json` (its doc comments are
 * copied there by the manifest build).
 */
import type { EndReason } from './protocol.js';

/** A phase of the customer's session (the same as session.ts's `Phase`). */
export type HostPhase = 'closed' | 'starting' | 'offHours' | 'bot' | 'queue' | 'agent' | 'ended' | 'failed';

export interface HostEvents {
  /** The session moved to another phase. */
  'cec-state-change': { phase: HostPhase; previous: HostPhase };
  /** A message from the bot, an agent or the system arrived (never empty: a notice without text is not a message). */
  'cec-message': { author: 'agent' | 'bot' | 'system'; text: string; seq: number };
  /** The customer's position in the queue or the estimated wait changed. */
  'cec-queue-position': { position: number; estimateWaitSeconds: number; queueName?: string; reminder?: string };
  /** An agent took the chat. */
  'cec-agent-joined': { agentName?: string; employeeId?: string };
  /** The session ended, and why. */
  'cec-session-end': { reason: EndReason };
  /** The customer's rating was saved. */
  'cec-evaluation': { score: number; comment: string };
  /** The chat could not start or continue; `error` is a machine code (`network`, `auth.*`, `http.503`, …). */
  'cec-error': { error: string };
  /** The panel opened. */
  'cec-open': undefined;
  /** The panel closed. */
  'cec-close': undefined;
}

export type HostEventName = keyof HostEvents;

/** The events the session machine emits (the element itself fires `cec-open` and `cec-close`). */
export type SessionEventName = Exclude<HostEventName, 'cec-open' | 'cec-close'>;

/** An `emit` effect: one of the session's host events with its detail, checked against the map. */
export type EmitEffect = { [K in SessionEventName]: { type: 'emit'; name: K; detail: HostEvents[K] } }[SessionEventName];

/** `HostEvents` as DOM events, for `HTMLElementEventMap`. */
export type CecChatEventMap = { [K in HostEventName]: CustomEvent<HostEvents[K]> };
