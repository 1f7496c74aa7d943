/**
 * What the CEC's consume-once poll gave, turned into the browser's downlink (`deriveDownlink`)
 * and stored BEFORE anything else happens, so a browser that is gone loses nothing (issue 15).
 */
import type { MediaType } from '../../core/protocol.js';
import { afterEnd } from './conversation-end.js';
import { updateCustomer } from './customers.js';
import { deriveDownlink, type UpstreamMessage } from './derive.js';
import { fileKeyFor } from './files.js';
import type { ConnectorContext, CustomerRecord } from './context.js';
import type { NewLogMessage } from './store.js';
import { backoff, sleep } from './upstream.js';

/**
 * What the consume-once upstream poll gave exists nowhere else: keep trying until it is stored,
 * through a store outage (Redis stopped or unreachable) of any length. The message ids of one
 * batch are the same on every try, so a try whose reply was lost stores nothing twice.
 */
export async function takeUntilStored(ctx: ConnectorContext, id: string, list: UpstreamMessage[]): Promise<void> {
  const batch = ctx.newId();
  for (let attempt = 1; ; attempt++) {
    try {
      return await take(ctx, id, list, batch);
    } catch (e) {
      if (ctx.closed) throw e;
      ctx.log({ event: 'store.retry', attempt, reason: e instanceof Error ? e.message : String(e) });
      await sleep(ctx.timers, backoff(Math.min(attempt, 5), ctx.random), ctx.closing);
    }
  }
}

/** Stores what the upstream poll gave (before anything else), then records the new state. */
async function take(ctx: ConnectorContext, id: string, list: UpstreamMessage[], batch: string): Promise<void> {
  const { store, channels, now } = ctx;
  let n = 0;
  const batchId = () => `${batch}.${n++}`;
  const c = (await store.getCustomer<CustomerRecord>(id))!.value;
  const ch = channels.get(c.channelId)!;
  let state = c.conv;
  const toStore: NewLogMessage[] = [];
  // An agent's READ covers what the customer can read, not a message of theirs whose place is
  // still held (its /send under way: the CEC may not have it yet).
  const lastSeq = await store.readableEnd(c.logId);
  for (const m of list) {
    const mediaType: MediaType | null =
      m.content && String(m.mediaType ?? 'TEXT').toUpperCase() !== 'TEXT' && String(m.mediaType).toUpperCase() !== 'LOCATE' ? (String(m.mediaType).toUpperCase() === 'IMAGE' ? 'IMAGE' : 'FILE') : null;
    const key = mediaType ? await fileKeyFor(ctx, id, m, mediaType) : '';
    const r = deriveDownlink(state, m, { channel: ch, userId: c.userId, logId: c.logId, now: now(), lastSeq, newId: batchId, fileKey: () => key });
    state = r.state;
    toStore.push(...r.messages);
  }
  if (toStore.length) await store.append(c.logId, toStore);
  const endedNow = state.phase === 'ended' && !c.ended;
  await updateCustomer(ctx, id, (cur) => (cur.logId !== c.logId ? null : { ...cur, conv: cur.ended ? { ...state, phase: 'ended' } : state, ended: cur.ended || state.phase === 'ended' }));
  if (endedNow) await afterEnd(ctx, id, c);
}
