/**
 * Click-to-dial routes: the customer's `createClickToCall`, `getClickToCallEvents` (long poll)
 * and `dropClickToCall`; the agent's `GET /mock/agents/:account/call` and
 * `POST /mock/agents/:account/call/{answer|reject|hang-up}`.
 */
import { http, type HttpHandler } from 'msw';
import { API_PATH } from '../../widget/core/protocol.js';
import type { CallCenter } from '../runtime/click-to-call.js';
import type { ContactCenter, Identity } from '../runtime/contact-center.js';
import { choice, intParam, ok, readFields, readJson, readQuery, text, withErrors, urlOf, withToken, type Answer, type MockRequest, type ServedBy } from './http-util.js';

/** The click-to-dial routes (customer and agent side); a dropped request is answered as `servedBy` needs. */
export function clickToCallHandlers(cc: ContactCenter, calls: CallCenter, origin: string, prefix: string, servedBy: ServedBy): HttpHandler[] {
  const base = `${origin}${API_PATH}`;
  const authed = (route: string, fn: (id: Identity, request: MockRequest) => Promise<Response | Answer> | Response | Answer) => withToken(cc, route, servedBy, fn);
  const view = (c: ReturnType<CallCenter['agentCall']>) => c && { callId: c.callId, status: c.status, media: c.media, customerName: c.customerName };
  const agentAction = (name: string, fn: (account: string) => unknown) =>
    http.post(
      `${prefix}/agents/:account/call/${name}`,
      withErrors(({ params }) => ok({ call: fn(String(params.account)) && view(calls.agentCall(String(params.account))) })),
    );

  return [
    http.post(
      `${base}/createClickToCall`,
      authed('createClickToCall', async (id, request) => {
        const { mediaAbility } = readFields(await readJson(request), 'createClickToCall', { mediaAbility: choice(['0', '1'], { required: true }) });
        const call = calls.create(id, mediaAbility);
        return call ? ok({ callId: call.callId }) : ok({ resultCode: '13', exceptionInfo: 'No agent can take the call right now.' });
      }),
    ),
    http.get(
      `${base}/getClickToCallEvents`,
      authed('getClickToCallEvents', async (id, request) => {
        const url = urlOf(request);
        const call = calls.owned(id, url.searchParams.get('callId') ?? '');
        const { cursor, wait } = readQuery(url, 'getClickToCallEvents', { cursor: intParam(0, 1000, 0), wait: intParam(0, 25, 0) });
        return ok(await calls.events(call, cursor, wait * 1000, request.signal));
      }),
    ),
    http.post(
      `${base}/dropClickToCall`,
      authed('dropClickToCall', async (id, request) => {
        const { callId } = readFields(await readJson(request), 'dropClickToCall', { callId: text({ required: true, max: 64 }) });
        calls.drop(calls.owned(id, callId));
        return ok({});
      }),
    ),
    http.get(
      `${prefix}/agents/:account/call`,
      withErrors(({ params }) => ok({ call: view(calls.agentCall(String(params.account))) ?? null })),
    ),
    agentAction('answer', (a) => calls.answer(a)),
    agentAction('reject', (a) => calls.reject(a)),
    agentAction('hang-up', (a) => calls.hangUp(a)),
  ];
}
