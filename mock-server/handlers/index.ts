/**
 * The one set of handlers of the mock contact center, served three ways: the MSW browser
 * worker (demo), msw/node (tests) and the plain Node HTTP server (QA, load tests). Whoever
 * serves them says which (`servedBy`): a dropped request is answered differently in a browser
 * page and under Node (see droppedAnswer in http-util.ts).
 */
import type { HttpHandler } from 'msw';
import type { ContactCenter } from '../runtime/contact-center.js';
import { adminHandlers } from './admin.js';
import { agentHandlers } from './agents.js';
import { cecHandlers } from './cec/index.js';
import { channelHandlers } from './channel.js';
import { clickToCallHandlers } from './click-to-call.js';
import { controlHandlers } from './control.js';
import { rejectUndecodablePaths, type ServedBy } from './http-util.js';
import { hideSecretKeys } from './secret-keys.js';

/** Prefix of the mock-only APIs (administration, agents, clock, faults). */
export const MOCK_PATH = '/mock';

export type { ServedBy } from './http-util.js';

export interface HandlerOptions {
  /** `worker`: MSW's browser worker; `node`: msw/node, `getResponse` under Node or the plain HTTP server. */
  servedBy: ServedBy;
  /** The origin the handlers answer on, e.g. `http://cec.test`; default `*` (any origin). */
  origin?: string;
}

/** Every handler of the mock contact center `cc`, for the serving path named in `options`. */
export function createHandlers(cc: ContactCenter, options: HandlerOptions): HttpHandler[] {
  const { servedBy, origin = '*' } = options;
  const prefix = `${origin}${MOCK_PATH}`;
  return [
    rejectUndecodablePaths,
    // The real CEC's REST API under /cec (a second face of the same contact center). Before the
    // channel API: with the origin '*', `*/apiaccess/ccmessaging/send` matches `/cec/apiaccess/…` too.
    ...cecHandlers(cc, origin, prefix, servedBy),
    ...channelHandlers(cc, origin, servedBy),
    // Before the agent routes: /mock/agents/:account/call is a call route, not an action.
    ...clickToCallHandlers(cc, cc.calls, origin, prefix, servedBy),
    ...agentHandlers(cc, prefix),
    ...controlHandlers(cc, prefix),
    // secretKeys never leave the mock unless asked for with ?include=secretKey.
    ...hideSecretKeys(adminHandlers(cc.store, prefix), cc.store),
  ];
}
