/**
 * The channel API of docs/channel-api.md, as MSW handlers over the ContactCenter runtime.
 * Every input field is validated here with an error naming the field; the runtime enforces
 * the contact center's rules.
 */
import { http, HttpResponse, type HttpHandler } from 'msw';
import { API_PATH, COMMENT_MAX_CHARS, TEXT_MAX_BYTES, type SendRequest } from '../../widget/core/protocol.js';
import type { ContactCenter, Identity } from '../runtime/contact-center.js';
import { RESUME_KEY_PATTERN } from '../runtime/customers.js';
import { badRequest } from '../runtime/errors.js';
import { intParam, ok, readJson, str, withErrors, withFaults, withToken, type Resolver } from './http-util.js';

const ID = { required: true, max: 64, pattern: /^[\w.@:-]+$/, patternText: 'may contain only letters, digits and . _ - @ :' };
const CONTROL_TYPES = ['CONNECT', 'CHAT', 'TRANS2AGENT', 'INPUT', 'DISCONNECT'] as const;
const MEDIA_TYPES = ['TEXT', 'FILE', 'IMAGE'] as const;
const EVALUATIONS = ['1', '2', '3', '4', '5'] as const;
const MAX_WAIT_SECONDS = 25;

export function channelHandlers(cc: ContactCenter, origin = '*'): HttpHandler[] {
  const base = `${origin}${API_PATH}`;
  const authed = (route: string, fn: (id: Identity, request: Request) => Promise<Response> | Response) => withToken(cc, route, fn);
  const open = (route: string, fn: Resolver): Resolver => withFaults(cc.faults, route, withErrors(fn));

  return [
    http.post(
      `${base}/applyToken`,
      open('applyToken', async ({ request }) => {
        const body = await readJson(request);
        const req = {
          channelId: str(body, 'channelId', 'applyToken', ID),
          userId: str(body, 'userId', 'applyToken', ID),
          userName: str(body, 'userName', 'applyToken', { max: 64 }),
          locale: str(body, 'locale', 'applyToken', { max: 35, pattern: /^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, patternText: 'must be a BCP 47 language tag' }),
          // (ext, contract C1) the key of the stream this browser began; never in a URL.
          resumeKey: str(body, 'resumeKey', 'applyToken', { pattern: RESUME_KEY_PATTERN, patternText: 'must be 22–128 characters of A–Z, a–z, 0–9, _ and -' }) || undefined,
        };
        return ok(await cc.applyToken(req, request.headers.get('authorization')));
      }),
    ),

    http.get(
      `${base}/queryChannelConfig`,
      open('queryChannelConfig', ({ request }) => {
        const channelId = new URL(request.url).searchParams.get('channelId');
        if (!channelId) throw badRequest('queryChannelConfig.channelId.missing', 'channelId is required.', 'channelId');
        return ok(cc.channelConfig(channelId));
      }),
    ),

    http.post(
      `${base}/send`,
      authed('send', async (id, request) => {
        const body = await readJson(request);
        const controlType = str(body, 'controlType', 'send', { required: true, oneOf: CONTROL_TYPES }) as SendRequest['controlType'];
        const mediaType = (str(body, 'mediaType', 'send', { oneOf: MEDIA_TYPES }) || 'TEXT') as SendRequest['mediaType'];
        const content = str(body, 'content', 'send', { required: controlType === 'CHAT' });
        if (mediaType === 'TEXT' && new TextEncoder().encode(content).length > TEXT_MAX_BYTES) {
          throw badRequest('send.content.tooLong', `content must be at most ${TEXT_MAX_BYTES} bytes of text.`, 'content');
        }
        if (controlType === 'CHAT' && mediaType === 'TEXT' && !content.trim()) {
          throw badRequest('send.content.missing', 'content must not be blank.', 'content');
        }
        const timestamp = body.timestamp;
        if (timestamp !== undefined && (typeof timestamp !== 'number' || !Number.isFinite(timestamp))) {
          throw badRequest('send.timestamp.invalid', 'timestamp must be a number of epoch milliseconds.', 'timestamp');
        }
        str(body, 'channel', 'send', { oneOf: ['WEB'] });
        const req: SendRequest = {
          channel: 'WEB',
          controlType,
          mediaType,
          content,
          from: str(body, 'from', 'send', { max: 64 }) || id.userId,
          to: str(body, 'to', 'send', { max: 64 }),
          senderNickname: str(body, 'senderNickname', 'send', { max: 64 }),
          sourceType: 'CUSTOMER',
          timestamp: (timestamp as number | undefined) ?? cc.clock.now(),
          clientMessageId: str(body, 'clientMessageId', 'send', { required: true, max: 64, pattern: /^[\w-]+$/, patternText: 'may contain only letters, digits, _ and -' }),
        };
        if (req.from !== id.userId) throw badRequest('send.from.mismatch', 'from must be the user id of the session token.', 'from');
        if (mediaType !== 'TEXT') cc.files.get(content); // an IMAGE or FILE message carries the objectKey of an upload
        return ok(cc.send(id, req));
      }),
    ),

    http.get(
      `${base}/poll`,
      authed('poll', async (id, request) => {
        const url = new URL(request.url);
        const receiverId = url.searchParams.get('receiverId');
        if (!receiverId) throw badRequest('poll.receiverId.missing', 'receiverId is required.', 'receiverId');
        const cursor = intParam(url, 'cursor', 'poll', 0, Number.MAX_SAFE_INTEGER, 0);
        const wait = intParam(url, 'wait', 'poll', 0, MAX_WAIT_SECONDS, 0);
        return ok(await cc.poll(id, receiverId, cursor, wait, request.signal));
      }),
    ),

    http.post(
      `${base}/queryQueueInfo`,
      authed('queryQueueInfo', (id) => ok(cc.queueInfo(id))),
    ),

    http.get(
      `${base}/getsatisfactionsurveymode`,
      authed('getsatisfactionsurveymode', (id) =>
        ok({ surveyType: 'WEB', satisfactionLevel: cc.channelConfig(id.channelId).satisfactionLevels }),
      ),
    ),

    http.post(
      `${base}/saveSatisfaction`,
      authed('saveSatisfaction', async (id, request) => {
        const body = await readJson(request);
        const evaluation = str(body, 'evaluation', 'saveSatisfaction', { required: true, oneOf: EVALUATIONS }) as '1';
        const comment = str(body, 'comment', 'saveSatisfaction', { max: COMMENT_MAX_CHARS });
        cc.saveSatisfaction(id, { userId: id.userId, channelId: id.channelId, evaluation, comment });
        return ok({});
      }),
    ),

    http.post(
      `${base}/doLeaveMessage`,
      authed('doLeaveMessage', async (id, request) => {
        const body = await readJson(request);
        const content = str(body, 'content', 'doLeaveMessage', { required: true, max: 2000 });
        const contact = str(body, 'contact', 'doLeaveMessage', { max: 200 });
        cc.leaveMessage(id, { userId: id.userId, channelId: id.channelId, content, contact });
        return ok({});
      }),
    ),

    http.post(
      `${base}/uploadFileStream`,
      authed('uploadFileStream', async (_id, request) => {
        if (Number(request.headers.get('content-length') ?? 0) > 8 * 1024 * 1024) {
          throw badRequest('upload.fileStream.tooLarge', 'Files may be at most 5 MB.', 'fileStream');
        }
        const body = await readJson(request);
        const objectKey = cc.files.upload({
          fileType: str(body, 'fileType', 'uploadFileStream', { required: true, max: 100 }),
          fileName: str(body, 'fileName', 'uploadFileStream', { required: true, max: 255 }),
          fileStream: str(body, 'fileStream', 'uploadFileStream', { required: true }),
        });
        str(body, 'channel', 'uploadFileStream', { oneOf: ['WEB'] });
        return ok({ objectKey });
      }),
    ),

    // (ext) The bytes of an upload, by its unguessable key: what an <img> or a download link uses.
    http.get(
      `${base}/file/:random/:name`,
      withErrors(({ params }) => {
        const f = cc.files.get(`${params.random}/${params.name}`);
        return new HttpResponse(f.bytes, {
          headers: {
            'content-type': f.fileType,
            'content-disposition': `${f.fileType.startsWith('image/') ? 'inline' : 'attachment'}; filename*=UTF-8''${encodeURIComponent(f.fileName)}`,
            'x-content-type-options': 'nosniff',
            'cache-control': 'private, max-age=3600',
          },
        });
      }),
    ),

    http.post(
      `${base}/queryHistoryChatMessage`,
      authed('queryHistoryChatMessage', (id) => ok(cc.history(id))),
    ),
  ];
}
