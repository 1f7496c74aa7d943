/**
 * The one set of handlers of the mock contact center, served three ways: the MSW browser
 * worker (demo), msw/node (tests) and the plain Node HTTP server (QA, load tests).
 */
import type { HttpHandler } from 'msw';
import type { ContactCenter } from '../runtime/contact-center.js';
import { adminHandlers } from './admin.js';
import { agentHandlers } from './agents.js';
import { cecHandlers } from './cec/index.js';
import { channelHandlers } from './channel.js';
import { clickToCallHandlers } from './click-to-call.js';
import { controlHandlers } from './control.js';
import { rejectUndecodablePaths } from './http-util.js';

/** Prefix of the mock-only APIs (administration, agents, clock, faults). */
export const MOCK_PATH = '/mock';

export function createHandlers(cc: ContactCenter, origin = '*'): HttpHandler[] {
  const prefix = `${origin}${MOCK_PATH}`;
  return [
    rejectUndecodablePaths,
    // The real CEC's REST API under /cec (a second face of the same contact center). Before the
    // channel API: with the origin '*', `*/apiaccess/ccmessaging/send` matches `/cec/apiaccess/…` too.
    ...cecHandlers(cc, origin, prefix),
    ...channelHandlers(cc, origin),
    // Before the agent routes: /mock/agents/:account/call is a call route, not an action.
    ...clickToCallHandlers(cc, cc.calls, origin, prefix),
    ...agentHandlers(cc, prefix),
    ...controlHandlers(cc, prefix),
    ...adminHandlers(cc.store, prefix),
  ];
}
