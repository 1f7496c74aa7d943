/**
 * How a conversation ends: `session.ended` stored once, the log kept `retainMinutes`, and the
 * CEC told in the background (DISCONNECT), never holding up the customer's answer.
 */
import { refOf, sysMessage, updateCustomer, uplink } from './customers.js';
import type { ConnectorContext, CustomerRecord } from './context.js';

/** Ends the conversation once: stores `session.ended`, expires the log, frees upstream state. */
export async function endConversation(ctx: ConnectorContext, id: string, logId: string, reason: 'customer' | 'idle', sendDisconnect: boolean): Promise<void> {
  let first = false;
  let ended: CustomerRecord | null = null;
  await updateCustomer(ctx, id, (c) => {
    if (c.logId !== logId || c.ended) return null;
    first = true;
    return (ended = { ...c, ended: true, conv: { ...c.conv, phase: 'ended' } });
  });
  if (!first || !ended) return;
  const c: CustomerRecord = ended;
  await ctx.store.append(logId, [sysMessage(ctx, c, { controlType: 'DISCONNECT', event: 'session.ended', data: { endReason: reason } })]);
  if (sendDisconnect && c.connected) disconnectUpstream(ctx, id, c);
  await afterEnd(ctx, id, c);
}

/**
 * Tells the CEC the customer's session ended, in the background: the customer's end is
 * answered once `session.ended` is stored, never held up by the CEC. The call is idempotent (a
 * second DISCONNECT of an ended session changes nothing upstream), so it is retried with
 * backoff up to `upstream.attempts` times; a failure is logged (`disconnect.failed`). Should
 * the process stop (or the connector close) before it is sent, the CEC ends the session by its
 * own idle timeout: nobody polls it for the customer any more. close() waits for it
 * (`ctx.disconnecting`).
 */
export function disconnectUpstream(ctx: ConnectorContext, id: string, c: CustomerRecord): void {
  const { upstream, now, log, disconnecting } = ctx;
  const p = upstream
    .call('send', '/send', { body: uplink(c, 'DISCONNECT', 'TEXT', '', now()), customer: refOf(id, c), idempotent: true, signal: ctx.closing })
    .then(
      () => {},
      (e) => log({ event: 'disconnect.failed', reason: e instanceof Error ? e.message : String(e) }),
    )
    .finally(() => disconnecting.delete(p));
  disconnecting.add(p);
}

/** The conversation ended: its log is kept `retainMinutes`, then the sweeper forgets the customer. */
export async function afterEnd(ctx: ConnectorContext, id: string, c: CustomerRecord): Promise<void> {
  ctx.historyEnd.delete(c.logId);
  await ctx.store.expireLog(c.logId, ctx.times.retainMs);
  await ctx.store.touchActive(id, ctx.now());
}
