/**
 * The real Huawei CEC web-channel REST API (shared/docs/cec-real-api.md §0–2), served under the
 * prefix `/cec` by the same handlers as the rest of the mock (browser worker, msw/node, plain
 * HTTP server):
 *
 * `POST /cec/apigovernance/api/oauth/tokenByAkSk`     `{app_key, app_secret}` → `{AccessToken, Expires, …}`
 * `POST /cec/apiaccess/ccmessaging/applyToken`          `{userId, userName, channelId, locale}` → `{resultCode, token}`
 * `POST /cec/apiaccess/ccmessaging/send` | `/sendAsync` → `{resultCode, resultDesc}`
 * `GET  /cec/apiaccess/ccmessaging/poll?receiverId&channel=WEB&isNeedRead` → `{resultCode, resultDesc, downlinkMessages}`
 * `POST …/queryQueueInfo`, `…/getsatisfactionsurveymode`, `…/saveSatisfaction`, `…/doLeaveMessage`,
 * `…/queryHistoryChatMessage`, `…/uploadFileStream`, `…/downloadFileStream`
 * `GET  …/v1/checkClickToCallSupport`, `POST …/v1/createClickToCall`, `GET …/v1/getClickToCallEvents`,
 * `POST …/v1/dropClickToCall`
 * `GET  /cec/files/:ticket`                             the temporary `fileUrl` of a download (24 h)
 * Mock-only: `GET|PUT /mock/cec/config` (AK/SK — the app_secret shown only with
 * `?include=appSecret` —, poll hold, texts, limits), `GET /mock/cec/ratings`.
 *
 * Every call needs `x-app-key` + `Authorization: Bearer <AccessToken>` (401, or 403 on applyToken,
 * with `{errorCode, exceptionInfo}`); all but applyToken and queryQueueInfo need the
 * `ccmessaging-token`. Business failures are HTTP 200 with a non-zero resultCode/returnCode.
 */
import { HttpResponse, http, type HttpHandler } from 'msw';
import { API_PATH } from '../../../widget/core/protocol.js';
import type { ContactCenter } from '../../runtime/contact-center.js';
import { CecCalls } from '../../runtime/cec/calls.js';
import { CEC_TOKEN_HEADER, CecFace, type CecUser } from '../../runtime/cec/face.js';
import type { CecFaceConfig } from '../../config/types.js';
import { readJson, urlOf, withFaults, type MockRequest, type Resolver, type ServedBy } from '../http-util.js';
import { HIDDEN_SECRET_KEY } from '../secret-keys.js';

/** Where the real face is served. */
export const CEC_PREFIX = '/cec';
/** The real API's base, under the prefix. */
export const CEC_API_PATH = `${CEC_PREFIX}${API_PATH}`;
export const CEC_TOKEN_PATH = `${CEC_PREFIX}/apigovernance/api/oauth/tokenByAkSk`;

const faces = new WeakMap<ContactCenter, CecFace>();

/** The real face of a contact center (one per runtime, made on first use). */
export function cecFaceOf(cc: ContactCenter): CecFace {
  let face = faces.get(cc);
  if (!face) {
    face = new CecFace(cc);
    faces.set(cc, face);
  }
  return face;
}

type TokenRule = 'required' | 'optional' | 'none';
interface CallInfo {
  request: MockRequest;
  user: CecUser | null;
}

/** `{errorCode, exceptionInfo}` with a status: the real service's non-200 body (no `field`). */
function refusal(status: number, errorCode: string, exceptionInfo: string): Response {
  return HttpResponse.json({ errorCode, exceptionInfo }, { status });
}

function isFailure(e: unknown): e is { status: number; errorCode: string; message: string } {
  return typeof e === 'object' && e !== null && typeof (e as { status?: unknown }).status === 'number' && typeof (e as { errorCode?: unknown }).errorCode === 'string';
}

/** The face's settings as shown: the app_secret stays in the mock unless `?include=appSecret` (like the channels' secretKeys). */
function shown(config: CecFaceConfig, request: MockRequest): CecFaceConfig {
  const include = urlOf(request).searchParams.getAll('include');
  return include.includes('appSecret') ? config : { ...config, appSecret: HIDDEN_SECRET_KEY };
}

/** The JSON object of a request; no body at all reads as `{}` (getsatisfactionsurveymode's body is optional). */
async function readBody(request: MockRequest): Promise<Record<string, unknown>> {
  if ((await request.clone().text()).trim() === '') return {};
  return readJson(request);
}

/** The real CEC face's handlers on `origin` (its `/mock/reset` under `mockPrefix`); a dropped request is answered as `servedBy` needs. */
export function cecHandlers(cc: ContactCenter, origin: string, mockPrefix: string, servedBy: ServedBy): HttpHandler[] {
  const face = cecFaceOf(cc);
  const calls = new CecCalls(cc, face);
  const api = `${origin}${CEC_API_PATH}`;

  /** Faults, the gateway check, the ccmessaging-token and the error shape around one call. */
  const call = (route: string, tokenRule: TokenRule, fn: (info: CallInfo) => Promise<Response> | Response): Resolver =>
    withFaults(cc.faults, route, servedBy, async ({ request }) => {
      try {
        const denied = face.gateway.check(request.headers.get('x-app-key'), request.headers.get('authorization'), route);
        if (denied) return refusal(denied.status, denied.errorCode, denied.exceptionInfo);
        const token = request.headers.get(CEC_TOKEN_HEADER);
        let user: CecUser | null = null;
        let rotated: string | undefined;
        if (tokenRule === 'required' || (tokenRule === 'optional' && token)) {
          const auth = face.authenticate(token);
          user = auth.user;
          rotated = auth.rotated;
        }
        const res = await fn({ request, user });
        if (rotated) res.headers.set(CEC_TOKEN_HEADER, rotated);
        return res;
      } catch (e) {
        if (isFailure(e)) return refusal(e.status, e.errorCode, e.message);
        return refusal(500, 'mock.internal', `The mock contact center failed: ${e instanceof Error ? e.message : String(e)}`);
      }
    });
  const json = (body: object) => HttpResponse.json(body);
  /** A POST call; the fault route is the call's name without `v1/` (the same names as the mock's own face). */
  const post = (name: string, tokenRule: TokenRule, fn: (user: CecUser | null, body: Record<string, unknown>, request: MockRequest) => object | Promise<object>) =>
    http.post(
      `${api}/${name}`,
      call(name.replace(/^v1\//, ''), tokenRule, async ({ request, user }) => json(await fn(user, await readBody(request), request))),
    );

  return [
    // The mock's reset also forgets the face's tokens and customers, then falls through to the control handler.
    http.post(`${mockPrefix}/reset`, () => {
      face.reset();
      calls.reset();
      return undefined;
    }),

    http.post(
      `${origin}${CEC_TOKEN_PATH}`,
      withFaults(cc.faults, 'tokenByAkSk', servedBy, async ({ request }) => {
        try {
          const out = face.gateway.tokenByAkSk(await readJson(request), request.headers.get('x-token-expire'));
          return 'AccessToken' in out ? json(out) : refusal(out.status, out.errorCode, out.exceptionInfo);
        } catch (e) {
          if (isFailure(e)) return refusal(e.status, e.errorCode, e.message);
          throw e;
        }
      }),
    ),

    post('applyToken', 'none', (_u, body) => face.applyToken(body)),
    post('send', 'required', (user, body) => face.send(user!, body)),
    // Asynchronous on the real service; the mock has processed the message when it answers.
    post('sendAsync', 'required', (user, body) => face.send(user!, body)),

    http.get(
      `${api}/poll`,
      call('poll', 'required', async ({ request, user }) => {
        const url = urlOf(request);
        const receiverId = url.searchParams.get('receiverId');
        if (!receiverId) return refusal(400, 'poll.receiverId.missing', 'receiverId is required.');
        if (receiverId !== user!.userId) return refusal(400, 'poll.receiverId.invalid', 'receiverId must be the userId the ccmessaging-token was applied for.');
        if (url.searchParams.get('channel') !== 'WEB') return refusal(400, 'poll.channel.invalid', 'channel must be "WEB".');
        const isNeedRead = url.searchParams.get('isNeedRead');
        if (isNeedRead !== null && isNeedRead !== 'true' && isNeedRead !== 'false') return refusal(400, 'poll.isNeedRead.invalid', 'isNeedRead must be "true" or "false".');
        const downlinkMessages = await face.poll(user!, isNeedRead === 'true', request.signal);
        return json({ resultCode: '0', resultDesc: 'query user messages success.', downlinkMessages });
      }),
    ),

    post('queryQueueInfo', 'none', (_u, body, request) => face.queue.queryQueueInfo(body, request.headers.get(CEC_TOKEN_HEADER))),
    post('getsatisfactionsurveymode', 'required', (user, body) => face.records.surveyMode(user!, body)),
    post('saveSatisfaction', 'required', (user, body) => face.records.saveSatisfaction(user!, body)),
    post('doLeaveMessage', 'required', (user, body) => face.records.doLeaveMessage(user!, body)),
    post('queryHistoryChatMessage', 'required', (user, body) => face.records.history(user!, body)),
    post('uploadFileStream', 'required', (_u, body) => face.files.upload(body)),
    post('downloadFileStream', 'optional', (user, body, request) => {
      const out = face.files.download(body, user !== null);
      if (out.resultCode !== '0' || !('ticket' in out)) return out;
      const { ticket, ...rest } = out;
      return { ...rest, fileUrl: `${urlOf(request).origin}${CEC_PREFIX}/files/${ticket}` };
    }),

    // The temporary link of a download: the unguessable ticket is the credential, as with a signed URL.
    http.get(`${origin}${CEC_PREFIX}/files/:ticket`, ({ params }) => {
      const f = face.files.byTicket(String(params.ticket));
      if (!f) return refusal(404, 'file.notFound', 'This file link is unknown or has expired.');
      return new HttpResponse(f.bytes, { headers: { 'content-type': f.contentType, 'x-content-type-options': 'nosniff', 'cache-control': 'private, max-age=3600' } });
    }),

    http.get(
      `${api}/v1/checkClickToCallSupport`,
      call('checkClickToCallSupport', 'required', ({ request, user }) => json(calls.support(user!, urlOf(request).searchParams.get('channel')))),
    ),
    post('v1/createClickToCall', 'required', (user, body) => calls.create(user!, body)),
    http.get(
      `${api}/v1/getClickToCallEvents`,
      call('getClickToCallEvents', 'required', ({ request, user }) => json(calls.events(user!, urlOf(request).searchParams.get('channel')))),
    ),
    post('v1/dropClickToCall', 'required', (user, body) => calls.drop(user!, body)),

    http.get(`${mockPrefix}/cec/config`, ({ request }) => json({ resultCode: '0', config: shown(face.config, request) })),
    http.put(`${mockPrefix}/cec/config`, async ({ request }) => {
      try {
        const patch = await readJson(request);
        // A form that loaded the settings and saves them sends the placeholder back: keep the secret.
        if (patch.appSecret === HIDDEN_SECRET_KEY) delete patch.appSecret;
        return json({ resultCode: '0', config: shown(face.setConfig(patch), request) });
      } catch (e) {
        if (isFailure(e)) return HttpResponse.json({ errorCode: e.errorCode, exceptionInfo: e.message, field: (e as { field?: string }).field }, { status: e.status });
        throw e;
      }
    }),
    http.get(`${mockPrefix}/cec/ratings`, () => json({ resultCode: '0', items: face.ratings })),
  ];
}
