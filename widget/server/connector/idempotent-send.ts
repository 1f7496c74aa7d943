/**
 * A customer's CHAT or TRANS2AGENT send, made once upstream whatever the retries.
 *
 * The idempotency record (shared by instances) answers a retry with the first result. A send
 * whose upstream outcome is unknown is never repeated blindly: the connector first looks for it
 * in the CEC's history (`queryHistoryChatMessage`, matched by content); only when the history
 * proves it absent is it sent again. When the history cannot tell, the widget is answered
 * `send.outcomeUnknown` (409) and the message is shown as not sent; a second request for it (the
 * customer pressing Retry) sends it again.
 */
import type { MediaType } from '../../core/protocol.js';
import { refOf, uplink } from './customers.js';
import { HttpError } from './http.js';
import { linkedSignal } from './linked-signal.js';
import { READ_LIMIT, type BrowserSession, type ConnectorContext, type CustomerRecord } from './context.js';
import type { IdempotencyRecord, NewLogMessage } from './store.js';
import { UpstreamError } from './upstream.js';

/**
 * A send that must happen once upstream. The idempotency record (shared by instances) answers
 * a retry with the first result; an unknown outcome is resolved through the CEC's history, by
 * one request at a time (a store lease per message: a retry that finds another resolving waits
 * for its outcome and answers with it, on any instance).
 *
 * `signal` is the browser request's: when it aborts (the browser gave up), a retry waiting for
 * another's resolution stops waiting at once and answers 503 `request.aborted` (nobody reads
 * it). Nothing else listens to it: a send or resolution under way runs to its end, so its
 * outcome is recorded for the next retry.
 */
export async function idempotentSend(
  ctx: ConnectorContext,
  id: string,
  c: CustomerRecord,
  s: BrowserSession,
  clientMessageId: string,
  controlType: 'CHAT' | 'TRANS2AGENT',
  mediaType: MediaType,
  content: string,
  upContent: string | null,
  signal?: AbortSignal,
): Promise<unknown> {
  const { store, upstream, config, now, newId, instanceId } = ctx;
  const { idempotencyTtlMs: IDEMPOTENCY_TTL_MS, sendHoldMs: SEND_HOLD_MS } = ctx.times;
  const key = `send:${s.logId}:${clientMessageId}`;
  const t = now();
  const claim = await store.claimIdempotencyKey(key, { state: 'pending', since: t, owner: instanceId }, IDEMPOTENCY_TTL_MS);
  let timestamp = t;
  let attempt = 1;

  /** Sends it (the key is ours, `pending`): at a reserved place, then confirmed there or appended anew. */
  const sendNow = async (): Promise<unknown> => {
    // The customer's message takes its place in the log BEFORE the CEC hears of it: an answer
    // the upstream poll takes while /send is under way is stored after it (readers wait for the
    // place to be settled). TRANS2AGENT shows nothing, so it needs no place.
    const place = controlType === 'CHAT' ? await store.reserve(s.logId, echoOf(ctx, c, s, clientMessageId, mediaType, content, timestamp), SEND_HOLD_MS) : null;
    try {
      await upstream.call('send', '/send', { body: uplink(c, controlType, mediaType, upContent ?? content, timestamp), customer: refOf(id, c), idempotent: false });
    } catch (e) {
      if (e instanceof UpstreamError && e.kind === 'unknown') {
        // Maybe in the CEC: the place stays reserved until a retry finds out (or its hold lapses).
        await store.setIdempotencyRecord(key, { state: 'unknown', since: now(), attempt, timestamp, ...(place ? { place: { seq: place.seq, messageId: place.messageId } } : {}) }, IDEMPOTENCY_TTL_MS);
        throw new HttpError(503, 'send.outcomeUnknown', 'The contact center did not answer; the message will be checked before it is sent again.', undefined, 1);
      }
      // Certainly not in the CEC: the place is withdrawn. A retry that gets through is shown at
      // its own, later place (see ConnectorStore.reserve).
      if (place) await store.settle(s.logId, place.seq, 'withdrawn');
      await store.deleteIdempotencyKey(key);
      throw e;
    }
    if (!place) {
      const result = { messageId: newId(), seq: 0 };
      await store.setIdempotencyRecord(key, { state: 'done', result }, IDEMPOTENCY_TTL_MS);
      return { resultCode: '0', ...result };
    }
    // Confirmed in its place; a place that lapsed meanwhile (the send outlived SEND_HOLD_MS) was
    // already read past, so the message is appended anew.
    if (await store.settle(s.logId, place.seq, 'confirmed')) return done(ctx, key, { messageId: place.messageId, seq: place.seq });
    return finish(ctx, key, c, s, clientMessageId, mediaType, content, timestamp);
  };

  if (claim.claimed) return sendNow();
  const r = claim.record;
  if (r.state === 'done') {
    // Still asked for: keep the answer as long again (see ConnectorTimes.idempotencyTtlMs).
    await store.setIdempotencyRecord(key, r, IDEMPOTENCY_TTL_MS);
    return { resultCode: '0', ...r.result };
  }
  const stale = r.state === 'pending' && t - r.since > SEND_HOLD_MS;
  if (r.state === 'pending' && !stale) throw new HttpError(503, 'send.inProgress', 'This message is being sent; ask again in a moment.', undefined, 1);

  // One resolution at a time per message, across instances: a second retry waits for the
  // first's outcome instead of asking the CEC (and maybe sending) again.
  const lease = `resolve:${key}`;
  const owner = newId();
  if (!(await store.acquireLease(lease, owner, ctx.times.resolveHoldMs))) return awaitResolution(ctx, key, lease, r, sendNow, signal);
  try {
    // The record may have moved on between our read and our lease (a resolution just ended).
    const latest = await store.claimIdempotencyKey(key, { state: 'pending', since: t, owner: instanceId }, IDEMPOTENCY_TTL_MS);
    if (latest.claimed) return await sendNow();
    if (!sameRecord(latest.record, r)) return await answerFrom(ctx, key, r, latest.record);

    // The instance that sent it may have stored the echo and died before recording the result.
    const last = await store.lastSeq(s.logId);
    const echo = (await store.read(s.logId, Math.max(0, last - READ_LIMIT), READ_LIMIT)).find((m) => m.clientMessageId === clientMessageId && m.sourceType === 'CUSTOMER');
    if (echo) {
      const result = { messageId: echo.messageId, seq: echo.seq };
      await store.setIdempotencyRecord(key, { state: 'done', result }, IDEMPOTENCY_TTL_MS);
      return { resultCode: '0', ...result };
    }
    const unknown = r.state === 'unknown' ? r : { state: 'unknown' as const, since: r.since, attempt: 1, timestamp: r.since, asked: false };
    // Resolve the unknown outcome: was it carried out?
    const found = controlType === 'CHAT' ? await findInHistory(ctx, id, c, upContent ?? '', unknown.timestamp) : 'unverifiable';
    const place = 'place' in unknown ? unknown.place : undefined;
    if (found === 'present') {
      // It arrived: shown at the place it took before the send (an answer to it already
      // stored stays after it), unless that place lapsed meanwhile.
      if (place && (await store.settle(s.logId, place.seq, 'confirmed'))) return await done(ctx, key, place);
      return await finish(ctx, key, c, s, clientMessageId, mediaType, content, unknown.timestamp);
    }
    if (found === 'unreachable') throw new HttpError(503, 'send.outcomeUnknown', 'Checking whether the message arrived; ask again in a moment.', undefined, 1);
    const askedBefore = (unknown as { asked?: boolean }).asked === true;
    if (found === 'unverifiable' && !askedBefore) {
      // The customer decides: nothing waits for this message any more.
      if (place) await store.settle(s.logId, place.seq, 'withdrawn');
      await store.setIdempotencyRecord(key, { ...unknown, place: undefined, asked: true } as never, IDEMPOTENCY_TTL_MS);
      throw new HttpError(409, 'send.outcomeUnknown', UNCONFIRMED);
    }
    if (found === 'absent' && t - unknown.since < config.upstream.unknownSendGraceMs) {
      throw new HttpError(503, 'send.outcomeUnknown', 'Checking whether the message arrived; ask again in a moment.', undefined, 1);
    }
    // Proven absent (or the customer asked again): send it once more, same timestamp, at a new place.
    if (place) await store.settle(s.logId, place.seq, 'withdrawn');
    timestamp = unknown.timestamp;
    attempt = unknown.attempt + 1;
    await store.setIdempotencyRecord(key, { state: 'pending', since: t, owner: instanceId }, IDEMPOTENCY_TTL_MS);
    return await sendNow();
  } finally {
    await store.releaseLease(lease, owner).catch(() => {});
  }
}

const UNCONFIRMED = 'The contact center did not confirm this message; send it again if it did not arrive.';

/**
 * Another request is resolving this message's unknown outcome (it holds the lease `lease`):
 * waits until it lets go (or its lease lapses, `resolveHoldMs`), then answers with what it left in
 * the idempotency record. Nothing is asked of the CEC here. The store wakes the wait when the
 * lease is released or lapses, on whichever instance (`waitForLeaseRelease`), so the answer
 * follows the first's at once and the store is not asked again and again meanwhile. A key
 * found gone (the first learnt the send certainly failed) is claimed and sent afresh, as any new
 * retry would. The wait also ends at once when the connector closes (503 `connector.closing`) or
 * the browser request's `signal` aborts (503 `request.aborted`): the store's waiter and the
 * listeners on both signals are let go then.
 */
async function awaitResolution(ctx: ConnectorContext, key: string, lease: string, seen: IdempotencyRecord, sendNow: () => Promise<unknown>, signal?: AbortSignal): Promise<unknown> {
  const linked = signal ? linkedSignal(signal, ctx.closing) : null;
  try {
    await ctx.store.waitForLeaseRelease(lease, ctx.times.resolveHoldMs, linked?.signal ?? ctx.closing);
  } finally {
    linked?.dispose();
  }
  if (ctx.closed) throw new HttpError(503, 'connector.closing', 'The connector is shutting down; try again.', undefined, 1);
  if (signal?.aborted) throw new HttpError(503, 'request.aborted', 'The request was cancelled before the message was checked; ask again.', undefined, 1);
  const latest = await ctx.store.claimIdempotencyKey(key, { state: 'pending', since: ctx.now(), owner: ctx.instanceId }, ctx.times.idempotencyTtlMs);
  if (latest.claimed) return sendNow();
  return answerFrom(ctx, key, seen, latest.record);
}

/**
 * The answer a retry gives from what another request's resolution left (`after`; `before` is what
 * this retry first found): the result, or the same "in progress" / "unknown" the first gave.
 */
async function answerFrom(ctx: ConnectorContext, key: string, before: IdempotencyRecord, after: IdempotencyRecord): Promise<unknown> {
  if (after.state === 'done') {
    await ctx.store.setIdempotencyRecord(key, after, ctx.times.idempotencyTtlMs);
    return { resultCode: '0', ...after.result };
  }
  if (after.state === 'pending') throw new HttpError(503, 'send.inProgress', 'This message is being sent; ask again in a moment.', undefined, 1);
  const asked = (x: IdempotencyRecord) => (x as { asked?: boolean }).asked === true;
  if (asked(after) && !asked(before)) throw new HttpError(409, 'send.outcomeUnknown', UNCONFIRMED);
  throw new HttpError(503, 'send.outcomeUnknown', 'Checking whether the message arrived; ask again in a moment.', undefined, 1);
}

/** Two reads of one idempotency record are the same (nobody changed it between them). */
function sameRecord(a: IdempotencyRecord, b: IdempotencyRecord): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** The browser's copy of its own message, as stored in the log (with its clientMessageId). */
function echoOf(ctx: ConnectorContext, c: CustomerRecord, s: BrowserSession, clientMessageId: string, mediaType: MediaType, content: string, timestamp: number): NewLogMessage {
  return {
    messageId: ctx.newId(),
    sessionId: s.logId,
    from: c.userId,
    to: c.channelId,
    channel: 'WEB',
    controlType: 'CHAT',
    mediaType,
    content,
    sourceType: 'CUSTOMER',
    senderNickname: c.userName,
    timestamp,
    queueFlag: c.conv.phase === 'queue' ? 'Y' : 'N',
    clientMessageId,
  };
}

/** Records a send's answer under its idempotency key (a retry gets the same), and gives it. */
async function done(ctx: ConnectorContext, key: string, result: { messageId: string; seq: number }): Promise<unknown> {
  await ctx.store.setIdempotencyRecord(key, { state: 'done', result }, ctx.times.idempotencyTtlMs);
  return { resultCode: '0', ...result };
}

/** The message is in the CEC: store the echo at the end of the log (the browser's copy, with its clientMessageId), then answer. */
async function finish(ctx: ConnectorContext, key: string, c: CustomerRecord, s: BrowserSession, clientMessageId: string, mediaType: MediaType, content: string, timestamp: number): Promise<unknown> {
  const [stored] = await ctx.store.append(s.logId, [echoOf(ctx, c, s, clientMessageId, mediaType, content, timestamp)]);
  return done(ctx, key, { messageId: stored!.messageId, seq: stored!.seq });
}

const HISTORY_PAGE = 100;

/**
 * Was a customer message with this content carried out? A conversation's sends are sequential
 * (the widget's outbox waits for each answer), so if it was, it is the CEC history's latest
 * customer message: the run of customer messages with this content at the end of the history
 * (oldest first, offset/limit, §1.8) is then longer than the same run at the end of what the
 * connector confirmed. The history is read from its end backwards, a page at a time. Elements
 * without `sourceType`/`content` (the shape is undocumented) make the answer `unverifiable`.
 */
async function findInHistory(ctx: ConnectorContext, id: string, c: CustomerRecord, content: string, _timestamp: number): Promise<'present' | 'absent' | 'unverifiable' | 'unreachable'> {
  const { store, upstream, historyEnd } = ctx;
  const page = async (offset: number) => {
    const res = await upstream.call('queryHistoryChatMessage', '/queryHistoryChatMessage', {
      body: { channelId: c.channelId, userId: c.userId, limit: HISTORY_PAGE, offset, channel: 'WEB' },
      customer: refOf(id, c),
      idempotent: true,
    });
    return Array.isArray(res.messageList) ? (res.messageList as Array<Record<string, unknown>>) : [];
  };
  let upstreamRun = 0;
  try {
    // Find the end, from the last known one.
    let offset = Math.floor((historyEnd.get(c.logId) ?? 0) / HISTORY_PAGE) * HISTORY_PAGE;
    let list = await page(offset);
    while (list.length === HISTORY_PAGE) {
      offset += HISTORY_PAGE;
      const next = await page(offset);
      if (next.length === 0) break;
      list = next;
    }
    if (list.length < HISTORY_PAGE && list.length === 0 && offset > 0) {
      offset -= HISTORY_PAGE;
      list = await page(offset);
    }
    historyEnd.set(c.logId, offset + list.length);
    // Walk back over the customer's messages until one with other content.
    for (;;) {
      if (list.some((m) => typeof m.sourceType !== 'string' || typeof m.content !== 'string')) return 'unverifiable';
      let stop = false;
      for (let i = list.length - 1; i >= 0; i--) {
        const m = list[i]!;
        if (m.sourceType !== 'CUSTOMER') continue;
        if (m.content === content) upstreamRun++;
        else {
          stop = true;
          break;
        }
      }
      if (stop || offset === 0) break;
      offset -= HISTORY_PAGE;
      list = await page(offset);
    }
  } catch {
    return 'unreachable';
  }
  let confirmedRun = 0;
  for (let upto = await store.lastSeq(c.logId); upto > 0; upto -= READ_LIMIT) {
    const chunk = await store.read(c.logId, Math.max(0, upto - READ_LIMIT), Math.min(READ_LIMIT, upto));
    let stop = false;
    for (let i = chunk.length - 1; i >= 0; i--) {
      const m = chunk[i]!;
      if (m.sourceType !== 'CUSTOMER' || m.controlType !== 'CHAT') continue;
      if (m.mediaType === 'TEXT' && m.content === content) confirmedRun++;
      else {
        stop = true;
        break;
      }
    }
    if (stop) break;
  }
  return upstreamRun > confirmedRun ? 'present' : 'absent';
}
