/**
 * The channel API of docs/channel-api.md, as MSW handlers over the ContactCenter runtime.
 * Every input field is validated here with an error naming the field; the runtime enforces
 * the contact center's rules.
 */
import { http, HttpResponse, type HttpHandler } from 'msw';
import * as v from 'valibot';
import { API_PATH, COMMENT_MAX_CHARS, HISTORY_MAX_LIMIT, TEXT_MAX_BYTES, type SendRequest } from '../../widget/core/protocol.js';
import type { ContactCenter, Identity } from '../runtime/contact-center.js';
import { RESUME_KEY_PATTERN } from '../runtime/customers.js';
import { badRequest } from '../runtime/errors.js';
import {
  choice,
  contentDisposition,
  intParam,
  ok,
  readFields,
  readJson,
  readQuery,
  text,
  withErrors,
  withFaults,
  withToken,
  type Answer,
  type InnerResolver,
  type MockRequest,
  type Resolver,
  type ServedBy,
  urlOf,
  utf8Length,
} from './http-util.js';

const ID = { required: true, max: 64, pattern: /^[\w.@:-]+$/, patternText: 'may contain only letters, digits and . _ - @ :' };
const CONTROL_TYPES = ['CONNECT', 'CHAT', 'TRANS2AGENT', 'INPUT', 'DISCONNECT', 'READ'] as const;
const MEDIA_TYPES = ['TEXT', 'FILE', 'IMAGE'] as const;
const EVALUATIONS = ['1', '2', '3', '4', '5'] as const;
const MAX_WAIT_SECONDS = 25;
const LOCALE = { max: 35, pattern: /^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, patternText: 'must be a BCP 47 language tag' };

// The field tables of the calls, declared once: their schemas are built once, not per request.
const APPLY_TOKEN_FIELDS = {
  channelId: text(ID),
  userId: text(ID),
  userName: text({ max: 64 }),
  locale: text(LOCALE),
  // (ext, contract C1) the key of the stream this browser began; never in a URL.
  resumeKey: text({ pattern: RESUME_KEY_PATTERN, patternText: 'must be 22–128 characters of A–Z, a–z, 0–9, _ and -' }),
};
// (ext) `locale`: the customer's BCP 47 tag; the channel's texts given by language answer in it.
const CHANNEL_CONFIG_QUERY = { channelId: text({ required: true }), locale: text(LOCALE) };
const SEND_KIND_FIELDS = { controlType: choice(CONTROL_TYPES, { required: true }), mediaType: choice(MEDIA_TYPES) };
/** The fields of a send; `content` is required for a CHAT only. */
const sendFields = (contentRequired: boolean) => ({
  content: text({ required: contentRequired }),
  timestamp: v.optional(v.pipe(v.number('invalid must be a number of epoch milliseconds'), v.finite('invalid must be a number of epoch milliseconds'))),
  channel: choice(['WEB']),
  from: text({ max: 64 }),
  to: text({ max: 64 }),
  senderNickname: text({ max: 64 }),
  clientMessageId: text({ required: true, max: 64, pattern: /^[\w-]+$/, patternText: 'may contain only letters, digits, _ and -' }),
});
const SEND_FIELDS = sendFields(false);
const CHAT_FIELDS = sendFields(true);
const POLL_QUERY = { receiverId: text({ required: true }), cursor: intParam(0, Number.MAX_SAFE_INTEGER, 0), wait: intParam(0, MAX_WAIT_SECONDS, 0) };
const SATISFACTION_FIELDS = { evaluation: choice(EVALUATIONS, { required: true }), comment: text({ max: COMMENT_MAX_CHARS }) };
const LEAVE_MESSAGE_FIELDS = { content: text({ required: true, max: 2000 }), contact: text({ max: 200 }) };
const UPLOAD_FIELDS = { fileType: text({ required: true, max: 100 }), fileName: text({ required: true, max: 255 }), fileStream: text({ required: true }), channel: choice(['WEB']) };

/** A JSON integer from `min` to `max`, or left out. */
const jsonInt = (min: number, max: number) => {
  const bad = `invalid must be an integer from ${min} to ${max}`;
  return v.optional(v.pipe(v.number(bad), v.integer(bad), v.minValue(min, bad), v.maxValue(max, bad)));
};
// (ext) Paging: the last `limit` messages before `beforeSeq` (every one when `limit` is left out).
const HISTORY_FIELDS = { limit: jsonInt(1, HISTORY_MAX_LIMIT), beforeSeq: jsonInt(1, Number.MAX_SAFE_INTEGER) };

/** The channel API's handlers on `origin`; a dropped request is answered as `servedBy` needs. */
export function channelHandlers(cc: ContactCenter, origin: string, servedBy: ServedBy): HttpHandler[] {
  const base = `${origin}${API_PATH}`;
  const authed = (route: string, fn: (id: Identity, request: MockRequest) => Promise<Response | Answer> | Response | Answer) => withToken(cc, route, servedBy, fn);
  const open = (route: string, fn: InnerResolver): Resolver => withFaults(cc.faults, route, servedBy, withErrors(fn));

  return [
    http.post(
      `${base}/applyToken`,
      open('applyToken', async ({ request }) => {
        const req = readFields(await readJson(request), 'applyToken', APPLY_TOKEN_FIELDS);
        return ok(await cc.applyToken({ ...req, resumeKey: req.resumeKey || undefined }, request.headers.get('authorization')));
      }),
    ),

    http.get(
      `${base}/queryChannelConfig`,
      open('queryChannelConfig', ({ request }) => {
        const { channelId, locale } = readQuery(urlOf(request), 'queryChannelConfig', CHANNEL_CONFIG_QUERY);
        return ok(cc.channelConfig(channelId, locale || undefined));
      }),
    ),

    http.post(
      `${base}/send`,
      authed('send', async (id, request) => {
        const body = await readJson(request);
        const { controlType, mediaType: given } = readFields(body, 'send', SEND_KIND_FIELDS);
        const mediaType = given || 'TEXT';
        const f = readFields(body, 'send', controlType === 'CHAT' ? CHAT_FIELDS : SEND_FIELDS);
        const content = f.content;
        if (mediaType === 'TEXT' && utf8Length(content) > TEXT_MAX_BYTES) {
          throw badRequest('send.content.tooLong', `content must be at most ${TEXT_MAX_BYTES} bytes of text.`, 'content');
        }
        if (controlType === 'READ' && !/^[1-9]\d{0,14}$/.test(content)) {
          throw badRequest('send.content.invalid', 'content of a READ must be the seq of the latest agent message read (a positive integer).', 'content');
        }
        if (controlType === 'CHAT' && mediaType === 'TEXT' && !content.trim()) {
          throw badRequest('send.content.missing', 'content must not be blank.', 'content');
        }
        const req: SendRequest = {
          channel: 'WEB',
          controlType: controlType as SendRequest['controlType'],
          mediaType,
          content,
          from: f.from || id.userId,
          to: f.to,
          senderNickname: f.senderNickname,
          sourceType: 'CUSTOMER',
          timestamp: f.timestamp ?? cc.clock.now(),
          clientMessageId: f.clientMessageId,
        };
        if (req.from !== id.userId) throw badRequest('send.from.mismatch', 'from must be the user id of the session token.', 'from');
        if (mediaType !== 'TEXT') cc.files.get(content); // an IMAGE or FILE message carries the objectKey of an upload
        return ok(cc.send(id, req));
      }),
    ),

    http.get(
      `${base}/poll`,
      authed('poll', async (id, request) => {
        const { receiverId, cursor, wait } = readQuery(urlOf(request), 'poll', POLL_QUERY);
        return ok(await cc.poll(id, receiverId, cursor, wait, () => request.signal));
      }),
    ),

    http.post(
      `${base}/queryQueueInfo`,
      authed('queryQueueInfo', (id) => ok(cc.queueInfo(id))),
    ),

    http.get(
      `${base}/getsatisfactionsurveymode`,
      authed('getsatisfactionsurveymode', (id) => ok({ surveyType: 'WEB', satisfactionLevel: cc.channelConfig(id.channelId).satisfactionLevels })),
    ),

    http.post(
      `${base}/saveSatisfaction`,
      authed('saveSatisfaction', async (id, request) => {
        const { evaluation, comment } = readFields(await readJson(request), 'saveSatisfaction', SATISFACTION_FIELDS);
        cc.saveSatisfaction(id, { userId: id.userId, channelId: id.channelId, evaluation: evaluation as '1', comment });
        return ok({});
      }),
    ),

    http.post(
      `${base}/doLeaveMessage`,
      authed('doLeaveMessage', async (id, request) => {
        const { content, contact } = readFields(await readJson(request), 'doLeaveMessage', LEAVE_MESSAGE_FIELDS);
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
        const { channel: _, ...upload } = readFields(await readJson(request), 'uploadFileStream', UPLOAD_FIELDS);
        const objectKey = cc.files.upload(upload);
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
            'content-disposition': contentDisposition(f.fileType.startsWith('image/') ? 'inline' : 'attachment', f.fileName),
            'x-content-type-options': 'nosniff',
            'cache-control': 'private, max-age=3600',
          },
        });
      }),
    ),

    http.post(
      `${base}/queryHistoryChatMessage`,
      authed('queryHistoryChatMessage', async (id, request) => {
        const { limit, beforeSeq } = readFields(await readJson(request), 'queryHistoryChatMessage', HISTORY_FIELDS);
        return ok(cc.history(id, { limit, beforeSeq }));
      }),
    ),
  ];
}
