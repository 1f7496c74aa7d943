/**
 * Click-to-dial: POST /createClickToCall (the connector issues the `callId` the CEC lacks),
 * GET /getClickToCallEvents (a long poll of the call's own event log, fed by one lease-owned
 * loop over the CEC's getClickToCallEvents) and POST /dropClickToCall.
 */
import type { CallEvent } from '../../../core/call.js';
import { refOf, session, updateCustomer } from '../customers.js';
import { HttpError, intParam, readBody, str } from '../http.js';
import { waitWhileConnected } from '../poll-loop.js';
import { MAX_WAIT_S, type ConnectorContext, type CustomerRecord } from '../context.js';
import type { NewLogMessage } from '../store.js';
import { backoff, pickNumber, pickString, sleep } from '../upstream.js';

const callLog = (callId: string) => `call:${callId}`;
const encodeCall = (ctx: ConnectorContext, callId: string, ev: Omit<CallEvent, 'seq' | 'callId'>): NewLogMessage => ({
  messageId: ctx.newId(),
  sessionId: callId,
  from: 'cec',
  to: '',
  channel: 'WEB',
  controlType: 'CHAT',
  mediaType: 'TEXT',
  content: JSON.stringify(ev),
  sourceType: 'SYSTEM',
  senderNickname: '',
  timestamp: ev.at,
  queueFlag: 'N',
});

export async function createCall(ctx: ConnectorContext, request: Request): Promise<unknown> {
  const { id, c } = await session(ctx, request);
  const body = await readBody(request, 'createClickToCall');
  const mediaAbility = str(body, 'mediaAbility', 'createClickToCall', { required: true, oneOf: ['0', '1'] });
  const res = await ctx.upstream.call('createClickToCall', '/v1/createClickToCall', {
    body: { channel: 'WEB', mediaAbility },
    customer: refOf(id, c),
    idempotent: false,
    acceptCodes: ['7', '12', '13'],
  });
  const code = pickString(res, ['resultCode', 'returnCode']) ?? '0';
  if (code !== '0')
    return { resultCode: '13', exceptionInfo: code === '12' ? 'Agents are outside work hours.' : code === '7' ? 'This channel has no click-to-dial.' : 'No agent can take the call right now.' };
  // The CEC has no call id: the connector issues its own.
  const callId = ctx.newId();
  await updateCustomer(ctx, id, (x) => ({ ...x, call: { callId, ended: false, media: mediaAbility } }));
  ensureCallLoop(ctx, id, callId);
  return { resultCode: '0', callId };
}

/** Starts the call's event loop in this instance unless it runs here already (or the lease is another's). */
function ensureCallLoop(ctx: ConnectorContext, id: string, callId: string): void {
  const { store, upstream, config, now, timers, random, instanceId, callLoops } = ctx;
  const { leaseMs, retainMs } = ctx.times;
  if (ctx.closed || callLoops.has(callId)) return;
  const p = (async () => {
    if (!(await store.acquireLease(`call:${callId}`, instanceId, leaseMs))) return;
    try {
      let failures = 0;
      while (!ctx.closed) {
        if (!(await store.acquireLease(`call:${callId}`, instanceId, leaseMs))) return;
        const c = (await store.getCustomer<CustomerRecord>(id))?.value;
        if (!c?.call || c.call.callId !== callId || c.call.ended) return;
        let res: Record<string, unknown>;
        try {
          res = await upstream.call('getClickToCallEvents', '/v1/getClickToCallEvents', {
            method: 'GET',
            query: { channel: 'WEB' },
            customer: refOf(id, c),
            idempotent: true,
            signal: ctx.closing,
          });
          failures = 0;
        } catch {
          failures++;
          await sleep(timers, backoff(Math.min(failures, 6), random), ctx.closing);
          continue;
        }
        const ev = callEventOf(res);
        if (ev) {
          await store.append(callLog(callId), [encodeCall(ctx, callId, { ...ev, at: now() })]);
          if (ev.type === 'ended') {
            await updateCustomer(ctx, id, (x) => (x.call?.callId === callId ? { ...x, call: { ...x.call, ended: true } } : null));
            await store.expireLog(callLog(callId), retainMs);
            return;
          }
        } else await sleep(timers, Math.max(config.upstream.pollIdleMs, 50), ctx.closing);
      }
    } finally {
      await store.releaseLease(`call:${callId}`, instanceId).catch(() => {});
    }
  })()
    .catch((e) => ctx.log({ event: 'call.loop.failed', reason: e instanceof Error ? e.message : String(e) }))
    .finally(() => callLoops.delete(callId));
  callLoops.set(callId, p);
}

/** getClickToCallEvents (§1.11): the event is told by eventId 168101 or by resultDesc. */
function callEventOf(res: Record<string, unknown>): Omit<CallEvent, 'seq' | 'callId' | 'at'> | null {
  const desc = String(res.resultDesc ?? '').toLowerCase();
  const eventId = pickNumber(res, ['eventId']);
  if (eventId === 168101 || desc.includes('call connected')) return { type: 'connected' };
  if (desc.includes('call in queue')) return { type: 'ringing' };
  if (desc.includes('queued timeout')) return { type: 'ended', cause: 'noAnswer' };
  if (desc.includes('call disconnected')) return { type: 'ended', cause: 'agent' };
  if (desc.includes('call failed')) return { type: 'ended', cause: 'failed' };
  return null;
}

export async function callEvents(ctx: ConnectorContext, request: Request): Promise<unknown> {
  const { id, c } = await session(ctx, request);
  const url = new URL(request.url);
  const callId = url.searchParams.get('callId') ?? '';
  if (!c.call || c.call.callId !== callId) throw new HttpError(404, 'call.notFound', 'No such call for this customer.', 'callId');
  const cursor = intParam(url, 'cursor', 'getClickToCallEvents', 0, 1000);
  const wait = intParam(url, 'wait', 'getClickToCallEvents', 0, MAX_WAIT_S);
  if (!c.call.ended) ensureCallLoop(ctx, id, callId);
  await waitWhileConnected(ctx, callLog(callId), cursor, wait, request.signal);
  const msgs = await ctx.store.read(callLog(callId), cursor, 100);
  const events = msgs.map((m) => ({ ...(JSON.parse(m.content) as Omit<CallEvent, 'seq' | 'callId'>), seq: m.seq, callId }));
  return { resultCode: '0', events, cursor: cursor + events.length };
}

export async function dropCall(ctx: ConnectorContext, request: Request): Promise<unknown> {
  const { store, now } = ctx;
  const { id, c } = await session(ctx, request);
  const body = await readBody(request, 'dropClickToCall');
  const callId = str(body, 'callId', 'dropClickToCall', { required: true, max: 64 });
  if (!c.call || c.call.callId !== callId) throw new HttpError(404, 'call.notFound', 'No such call for this customer.', 'callId');
  if (c.call.ended) return { resultCode: '0' };
  await ctx.upstream.call('dropClickToCall', '/v1/dropClickToCall', { body: { channel: 'WEB' }, customer: refOf(id, c), idempotent: true });
  const r = await updateCustomer(ctx, id, (x) => (x.call?.callId === callId && !x.call.ended ? { ...x, call: { ...x.call, ended: true } } : null));
  if (r?.call?.ended) {
    await store.append(callLog(callId), [encodeCall(ctx, callId, { type: 'ended', cause: 'customer', at: now() })]);
    await store.expireLog(callLog(callId), ctx.times.retainMs);
  }
  return { resultCode: '0' };
}
