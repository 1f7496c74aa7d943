/**
 * One upstream poll loop per active customer, owned through a store lease, so that several
 * instances never consume one customer's messages twice (the CEC's poll is consume-once; issue
 * 16 builds on this). Each round also ends a silent customer's chat, gives the idle warning the
 * CEC does not send, and asks for queue facts while the customer waits.
 */
import { afterEnd, endConversation } from './conversation-end.js';
import { refOf, updateCustomer } from './customers.js';
import { deriveIdle, deriveQueueInfo, type UpstreamMessage } from './derive.js';
import { linkedSignal } from './linked-signal.js';
import type { ConnectorContext, CustomerRecord } from './context.js';
import type { NewLogMessage } from './store.js';
import { takeUntilStored } from './upstream-events.js';
import { backoff, pickNumber, pickString, sleep } from './upstream.js';

/** Starts the customer's poll loop in this instance unless one runs here already (or the lease is another's). */
export function ensureLoop(ctx: ConnectorContext, id: string): void {
  const { store, timers, instanceId, loops } = ctx;
  const { pollLeaseMs } = ctx.times;
  if (ctx.closed || loops.has(id)) return;
  const p = (async () => {
    const acquiredAt = performance.now();
    if (!(await store.acquireLease(`poll:${id}`, instanceId, pollLeaseMs))) return;
    // The lease is renewed on its own beat, not once per upstream poll, so it can be short: a
    // dead instance's customers are taken over within pollLeaseMs. A lease found lost stops
    // this loop at once (another instance polls now).
    const lost = new AbortController();
    const held = { at: acquiredAt };
    let beat: unknown = null;
    const renew = () => {
      beat = timers.setTimeout(() => {
        const asked = performance.now();
        store.renewLease(`poll:${id}`, instanceId, pollLeaseMs).then(
          (ok) => (lost.signal.aborted ? undefined : ok ? ((held.at = asked), renew()) : lost.abort()),
          () => (lost.signal.aborted ? undefined : renew()),
        );
      }, pollLeaseMs / 3);
    };
    renew();
    try {
      await runLoop(ctx, id, lost.signal, held);
    } finally {
      lost.abort();
      timers.clearTimeout(beat);
      await store.releaseLease(`poll:${id}`, instanceId).catch(() => {});
    }
  })()
    .catch((e) => ctx.log({ event: 'loop.failed', reason: e instanceof Error ? e.message : String(e) }))
    .finally(() => loops.delete(id));
  loops.set(id, p);
}

/**
 * The upstream poll loop of one customer, run by the lease holder. `held.at` is when the lease
 * was last confirmed (real time: the store's lease expiry is real time); only its holder
 * writes it, so within half the lease time it is still ours without asking the store.
 */
async function runLoop(ctx: ConnectorContext, id: string, lost: AbortSignal, held: { at: number }): Promise<void> {
  const linked = linkedSignal(ctx.closing, lost);
  const stop = linked.signal;
  try {
    await pollUpstream(ctx, id, lost, held, stop);
  } finally {
    linked.dispose();
  }
}

/** runLoop's rounds: `stop` ends its waits (the connector closing or the lease lost). */
async function pollUpstream(ctx: ConnectorContext, id: string, lost: AbortSignal, held: { at: number }, stop: AbortSignal): Promise<void> {
  const { store, upstream, channels, config, now, timers, random, log, instanceId } = ctx;
  const { pollLeaseMs } = ctx.times;
  let failures = 0;
  let lastQueueCheck = 0;
  while (!ctx.closed && !lost.aborted) {
    // acquire = renew while held, or take back a lapsed lease nobody else took.
    if (performance.now() - held.at >= pollLeaseMs / 2) {
      const asked = performance.now();
      if (!(await store.acquireLease(`poll:${id}`, instanceId, pollLeaseMs))) return;
      held.at = asked;
    }
    const c = (await store.getCustomer<CustomerRecord>(id))?.value;
    if (!c || c.ended || !c.connected) return;
    const ch = channels.get(c.channelId)!;
    if (!(await store.getToken(`seen:${id}`))) {
      log({ event: 'customer.silent', channelId: c.channelId });
      await endConversation(ctx, id, c.logId, 'customer', true);
      return;
    }
    await giveIdleWarning(ctx, id, c);
    // Queue facts, while queueing (at the reminder interval) or just after a transfer request.
    const queueEvery = c.conv.phase === 'transferring' ? Math.min(2000, ch.queueReminder.intervalSeconds * 1000) : ch.queueReminder.intervalSeconds * 1000;
    if ((c.conv.phase === 'queue' || c.conv.phase === 'transferring') && now() - lastQueueCheck >= queueEvery) {
      lastQueueCheck = now();
      await checkQueue(ctx, id).catch((e) => log({ event: 'queue.check.failed', reason: e instanceof Error ? e.message : String(e) }));
    }
    const started = now();
    let res: Record<string, unknown>;
    try {
      res = await upstream.call('poll', '/poll', {
        method: 'GET',
        query: { receiverId: c.userId, channel: 'WEB', isNeedRead: 'true' },
        customer: refOf(id, c),
        idempotent: true,
        timeoutMs: config.upstream.pollTimeoutMs,
        // Not cut when the lease is lost: what a poll in flight takes is still stored here.
        signal: ctx.closing,
      });
      failures = 0;
    } catch {
      if (ctx.closed || lost.aborted) return;
      failures++;
      await sleep(timers, backoff(Math.min(failures, 6), random), stop);
      continue;
    }
    const list = Array.isArray(res.downlinkMessages) ? (res.downlinkMessages as UpstreamMessage[]) : [];
    if (list.length) await takeUntilStored(ctx, id, list);
    else if (now() - started < 200 && config.upstream.pollIdleMs > 0) await sleep(timers, config.upstream.pollIdleMs, stop);
  }
}

/**
 * The idle warning the CEC does not send, once it is due (`deriveIdle`): claimed in the
 * customer record first (compare-and-set, so one instance gives it once), then stored.
 */
async function giveIdleWarning(ctx: ConnectorContext, id: string, c: CustomerRecord): Promise<void> {
  const ch = ctx.channels.get(c.channelId)!;
  let messages: NewLogMessage[] = [];
  await updateCustomer(ctx, id, (cur) => {
    messages = [];
    if (cur.logId !== c.logId || cur.ended) return null;
    const r = deriveIdle(cur.conv, { channel: ch, userId: cur.userId, logId: cur.logId, now: ctx.now(), newId: ctx.newId });
    if (!r.messages.length) return null;
    messages = r.messages;
    return { ...cur, conv: r.state };
  });
  if (messages.length) await ctx.store.append(c.logId, messages);
}

/** Asks the CEC for the customer's queue position and stores what it tells (`deriveQueueInfo`). */
async function checkQueue(ctx: ConnectorContext, id: string): Promise<void> {
  const { store, upstream, channels, now, newId } = ctx;
  const c = (await store.getCustomer<CustomerRecord>(id))!.value;
  const ch = channels.get(c.channelId)!;
  const res = await upstream.call('queryQueueInfo', '/queryQueueInfo', {
    body: { userId: c.userId, channelConfigId: c.channelId, channel: 'WEB' },
    customer: refOf(id, c),
    idempotent: true,
    acceptCodes: ['4', '5', '6', '160004', '160021', '160022'],
  });
  const info = { resultCode: pickString(res, ['resultCode', 'returnCode']) ?? '0', position: pickNumber(res, ['position']), estimateWaitTime: pickNumber(res, ['estimateWaitTime']) };
  const r = deriveQueueInfo(c.conv, info, { channel: ch, userId: c.userId, logId: c.logId, now: now(), newId, locale: c.locale });
  if (r.messages.length) await store.append(c.logId, r.messages);
  await updateCustomer(ctx, id, (cur) => (cur.logId !== c.logId || cur.ended ? null : { ...cur, conv: r.state, ended: r.state.phase === 'ended' }));
  if (r.state.phase === 'ended' && c.conv.phase !== 'ended') await afterEnd(ctx, id, c);
}

/** A long poll's wait: ends with a message past `cursor`, after `wait` s, or when the browser or the connector goes. */
export async function waitWhileConnected(ctx: ConnectorContext, logId: string, cursor: number, wait: number, browser: AbortSignal): Promise<void> {
  const linked = linkedSignal(browser, ctx.closing);
  try {
    await ctx.store.waitForMessages(logId, cursor, wait * 1000, linked.signal);
  } finally {
    linked.dispose();
  }
}
