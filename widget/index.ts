/**
 * The npm entry: the element class (no side effects on import), its registration, the session
 * machine and the client for integrators who build their own UI.
 */
export { CecChatElement } from './ui/chat/cec-chat.component.js';
export { defineCecChat, VERSION, TAG } from './ui/define.js';
export type { CecChatEventMap, HostEvents, HostEventName } from './core/host-events.js';
export { registerTranslation, translationFor, type Translation } from './ui/i18n/index.js';
export { SessionRunner, type RunnerOptions } from './client/runner.js';
export { ChannelClient, type Authorization, type ClientOptions } from './client/channel-client.js';
export { systemClock, type Clock } from './client/clock.js';
export { ApiCallError, NetworkError } from './client/errors.js';
export { transition, initialState, type SessionState, type SessionEventIn, type Effect, type Phase } from './core/session.js';
export type * from './core/protocol.js';
