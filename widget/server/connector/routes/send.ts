/**
 * POST /send: the customer's uplink — CONNECT (upstream once per conversation, then the poll
 * loop), INPUT and READ (transient, one attempt), DISCONNECT (ends the chat; the CEC is told in
 * the background), TRANS2AGENT and CHAT (made once upstream: `idempotentSend`).
 */
import { TEXT_MAX_BYTES, type MediaType } from '../../../core/protocol.js';
import { endConversation } from '../conversation-end.js';
import { refOf, sameConversation, session, updateCustomer, uplink } from '../customers.js';
import { customerWrote } from '../derive.js';
import { EXT } from '../files.js';
import { HttpError, readBody, str } from '../http.js';
import { idempotentSend } from '../idempotent-send.js';
import { ensureLoop } from '../poll-loop.js';
import { READ_LIMIT, type ConnectorContext, type FileRecord } from '../context.js';
import { surveyLevels } from './satisfaction.js';

/** How long a conversation's log lives while it is open (an ended one is kept `retainMinutes`). */
const LOG_LIFETIME_MS = 30 * 24 * 3600_000;

export async function send(ctx: ConnectorContext, request: Request): Promise<unknown> {
  const { store, upstream, channels, now, newId } = ctx;
  const { id, c, s } = await session(ctx, request);
  const body = await readBody(request, 'send', 16 * 1024);
  const controlType = str(body, 'controlType', 'send', { required: true, oneOf: ['CONNECT', 'CHAT', 'TRANS2AGENT', 'INPUT', 'DISCONNECT', 'READ'] });
  const mediaType = (str(body, 'mediaType', 'send', { oneOf: ['TEXT', 'FILE', 'IMAGE'] }) || 'TEXT') as MediaType;
  const content = str(body, 'content', 'send', { required: controlType === 'CHAT' });
  const clientMessageId = str(body, 'clientMessageId', 'send', { required: true, max: 64, pattern: /^[\w-]+$/ });
  if (mediaType === 'TEXT' && new TextEncoder().encode(content).length > TEXT_MAX_BYTES)
    throw new HttpError(400, 'send.content.tooLong', `content must be at most ${TEXT_MAX_BYTES} bytes of text.`, 'content');
  if (controlType === 'CHAT' && mediaType === 'TEXT' && !content.trim()) throw new HttpError(400, 'send.content.missing', 'content must not be blank.', 'content');
  const from = str(body, 'from', 'send', { max: 64 });
  if (from && from !== c.userId) throw new HttpError(400, 'send.from.mismatch', 'from must be the user id of the session token.', 'from');
  if (!sameConversation(c, s)) throw new HttpError(409, 'session.replaced', 'This chat was continued in another browser.');
  const ref = refOf(id, c);

  switch (controlType) {
    case 'CONNECT': {
      let cur = c;
      if (cur.ended) {
        // A new chat in the same conversation log (the widget's "start again").
        cur = (await updateCustomer(ctx, id, (x) => (x.logId === s.logId && x.ended ? { ...x, ended: false, connected: false, conv: { phase: 'new', botMessages: 0 } } : null)))!;
        await store.expireLog(cur.logId, LOG_LIFETIME_MS);
      }
      if (!cur.connected) {
        await upstream.call('send', '/send', { body: uplink(cur, 'CONNECT', 'TEXT', '', now()), customer: ref, idempotent: true });
        const ch = channels.get(cur.channelId)!;
        const startsQueued = !(ch.useRobot && ch.chatbot);
        await updateCustomer(ctx, id, (x) => (x.logId === s.logId ? { ...x, connected: true, conv: startsQueued && x.conv.phase === 'new' ? { ...x.conv, phase: 'transferring' } : x.conv } : null));
        surveyLevels(ctx, id, cur).catch(() => {});
      }
      ensureLoop(ctx, id);
      return { resultCode: '0', messageId: newId(), seq: 0 };
    }
    case 'INPUT':
      // Transient: one attempt, no retry; a lost typing notice is harmless.
      if (c.connected && !c.ended) await upstream.call('send', '/send', { body: uplink(c, 'INPUT', 'TEXT', content ? 'typing' : '', now()), customer: ref, idempotent: false }).catch(() => {});
      return { resultCode: '0', messageId: newId(), seq: 0 };
    case 'READ': {
      // content: the seq (in this connector's log) of the latest agent message the customer read.
      if (!/^[1-9]\d{0,14}$/.test(content)) throw new HttpError(400, 'send.content.invalid', 'content of a READ must be the seq of the latest agent message read (a positive integer).', 'content');
      if (c.connected && !c.ended) {
        // The CEC's READ names no message ("read what you gave me"), so it goes up only once the
        // customer has read the latest agent message this connector holds. Transient like INPUT:
        // one attempt; the next READ makes good a lost one.
        const last = await store.lastSeq(s.logId);
        const recent = await store.read(s.logId, Math.max(0, last - READ_LIMIT), READ_LIMIT);
        let latestAgent = 0;
        for (const m of recent) if (m.sourceType === 'AGENT' && m.controlType === 'CHAT') latestAgent = m.seq;
        if (latestAgent > 0 && Number(content) >= latestAgent) {
          await upstream.call('send', '/send', { body: uplink(c, 'READ', 'TEXT', '', now()), customer: ref, idempotent: false }).catch(() => {});
        }
      }
      return { resultCode: '0', messageId: newId(), seq: 0 };
    }
    case 'DISCONNECT':
      await endConversation(ctx, id, s.logId, 'customer', true);
      return { resultCode: '0', messageId: newId(), seq: 0 };
    case 'TRANS2AGENT': {
      if (c.ended) throw new HttpError(409, 'session.ended', 'The chat has ended.');
      const r = await idempotentSend(ctx, id, c, s, clientMessageId, 'TRANS2AGENT', 'TEXT', '', null, request.signal);
      await updateCustomer(ctx, id, (x) => (x.logId === s.logId && (x.conv.phase === 'bot' || x.conv.phase === 'new') ? { ...x, conv: { ...x.conv, phase: 'transferring' } } : null));
      ensureLoop(ctx, id);
      return r;
    }
    default: {
      if (c.ended) throw new HttpError(409, 'session.ended', 'The chat has ended; start a new one to write again.');
      let upContent = content;
      if (mediaType !== 'TEXT') {
        const [random] = content.split('/');
        const raw = random && (await store.getToken(`file:${random}`));
        if (!raw) throw new HttpError(400, 'send.content.unknownFile', 'content must be the objectKey of an upload.', 'content');
        const f = JSON.parse(raw) as FileRecord;
        upContent = mediaType === 'FILE' ? [f.fileName.replace(/,/g, '_'), f.size, f.upstreamKey, EXT[f.mime] ?? 'bin'].join(',') : f.upstreamKey;
      }
      const r = await idempotentSend(ctx, id, c, s, clientMessageId, 'CHAT', mediaType, content, upContent, request.signal);
      // The customer wrote: the CEC's no-reply countdown starts again (an answered warning included).
      const at = now();
      await updateCustomer(ctx, id, (x) => (x.logId === s.logId && !x.ended && (x.conv.phase === 'bot' || x.conv.phase === 'agent') ? { ...x, conv: customerWrote(x.conv, at) } : null));
      return r;
    }
  }
}
