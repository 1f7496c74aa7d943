/**
 * Customers and their browsers: the customer record (read, compare-and-set update), the browser
 * token check every route starts with, and the shapes of what the connector writes for them.
 */
import { systemLogMessage } from './derive.js';
import { HttpError } from './http.js';
import type { BrowserSession, ConnectorContext, CustomerRecord } from './context.js';
import type { NewLogMessage } from './store.js';
import type { CustomerRef } from './upstream.js';

/** A customer's id: one per user of a channel. */
export const customerIdOf = (channelId: string, userId: string) => `${channelId}:${userId}`;

/** Who the customer is, as the upstream client needs it. */
export const refOf = (id: string, c: CustomerRecord): CustomerRef => ({ customerId: id, channelId: c.channelId, userId: c.userId, userName: c.userName, locale: c.locale });

/** The customer's record; 401 when the store no longer has it. */
export async function readCustomer(ctx: ConnectorContext, id: string): Promise<CustomerRecord> {
  const r = await ctx.store.getCustomer<CustomerRecord>(id);
  if (!r) throw new HttpError(401, 'auth.token.invalid', 'The session is unknown; apply for a new token.');
  return r.value;
}

/**
 * Read-modify-write with compare-and-set; `fn` may run more than once and returns null to change
 * nothing. Resolves the record as written (or as found when `fn` declined), null when absent.
 */
export async function updateCustomer(ctx: ConnectorContext, id: string, fn: (c: CustomerRecord) => CustomerRecord | null): Promise<CustomerRecord | null> {
  const { store } = ctx;
  for (let i = 0; i < 50; i++) {
    const cur = await store.getCustomer<CustomerRecord>(id);
    if (!cur) return null;
    const next = fn(cur.value);
    if (!next) return cur.value;
    if ((await store.putCustomer(id, next, cur.version)) !== null) return next;
  }
  throw new HttpError(503, 'connector.busy', 'The session is changing too fast; try again.', undefined, 1);
}

/**
 * The browser behind a request, by its `ccmessaging-token` header (401 when missing, expired or
 * unknown). Marks the customer seen (the silence rule) and active (the sweeper).
 */
export async function session(ctx: ConnectorContext, request: Request): Promise<{ id: string; c: CustomerRecord; s: BrowserSession }> {
  const { store, now } = ctx;
  const token = request.headers.get('ccmessaging-token');
  if (!token) throw new HttpError(401, 'auth.token.missing', 'Send the session token in the ccmessaging-token header.');
  const raw = await store.getToken(`browser:${token}`);
  if (!raw) throw new HttpError(401, 'auth.token.expired', 'The session token has expired; apply for a new one.');
  const s = JSON.parse(raw) as BrowserSession;
  const c = await readCustomer(ctx, s.customerId);
  const t = now();
  await Promise.all([store.setToken(`seen:${s.customerId}`, String(t), ctx.times.silenceMs), store.touchActive(s.customerId, t)]);
  return { id: s.customerId, c, s };
}

/** The customer's current conversation must be the token's (C1: a token only sees its own). */
export function sameConversation(c: CustomerRecord, s: BrowserSession): boolean {
  return c.logId === s.logId;
}

/** A system message of the customer's current conversation. */
export function sysMessage(ctx: ConnectorContext, c: CustomerRecord, over: Partial<NewLogMessage>): NewLogMessage {
  return systemLogMessage({ messageId: ctx.newId(), sessionId: c.logId, to: c.userId, now: ctx.now() }, over);
}

/** The body of an uplink `/send` to the CEC (cec-real-api.md), from the customer to their channel. */
export function uplink(c: CustomerRecord, controlType: string, mediaType: string, content: string, timestamp: number) {
  return {
    channel: 'WEB',
    content,
    controlType,
    from: c.userId,
    mediaType,
    senderNickname: c.userName || c.userId,
    sourceType: 'CUSTOMER',
    timestamp: String(timestamp),
    to: c.channelId,
  };
}
