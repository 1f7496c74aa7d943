/**
 * The sweeper each instance runs: it restarts the poll loop of a connected customer nobody polls
 * for (an instance died: takeover), drops customers whose browser left before connecting, and
 * forgets an ended customer once the log's retention is over.
 */
import { ensureLoop } from './poll-loop.js';
import type { ConnectorContext, CustomerRecord } from './context.js';

/** One sweep over the active set; resolves when done. */
export async function sweep(ctx: ConnectorContext): Promise<void> {
  const { store } = ctx;
  for (const { customerId } of await store.listActive(10_000)) {
    const c = (await store.getCustomer<CustomerRecord>(customerId))?.value;
    if (!c) {
      await store.removeActive(customerId);
      continue;
    }
    if (c.ended) {
      // Retention over (the log is gone) and no browser around: forget the customer.
      if ((await store.lastSeq(c.logId)) === 0 && !(await store.getToken(`seen:${customerId}`))) {
        await store.deleteCustomer(customerId);
        await store.removeActive(customerId);
      }
      continue;
    }
    if (c.connected) ensureLoop(ctx, customerId);
    else if (!(await store.getToken(`seen:${customerId}`))) await store.removeActive(customerId);
  }
}

/** Sweeps every `sweepMs` (0 = never) until the connector closes or `stop()` is called. */
export function startSweeper(ctx: ConnectorContext, sweepMs: number): { stop(): void } {
  let sweepTimer: unknown = null;
  const scheduleSweep = () => {
    if (ctx.closed || sweepMs <= 0) return;
    sweepTimer = ctx.timers.setTimeout(() => {
      sweep(ctx)
        .catch((e) => ctx.log({ event: 'sweep.failed', reason: e instanceof Error ? e.message : String(e) }))
        .finally(scheduleSweep);
    }, sweepMs);
  };
  scheduleSweep();
  return {
    stop: () => {
      if (sweepTimer !== null) ctx.timers.clearTimeout(sweepTimer);
    },
  };
}
