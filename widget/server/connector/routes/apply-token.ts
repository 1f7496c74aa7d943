/**
 * POST /applyToken: who the browser is (the channel signature, or the integrator's own
 * `authenticate`), its customer record (resumed by C1's `resumeKey`, else a new conversation),
 * and a browser token for the other routes.
 */
import { disconnectUpstream } from '../conversation-end.js';
import { customerIdOf, refOf, sysMessage } from '../customers.js';
import { HttpError, ID, readBody, str } from '../http.js';
import { verifySignature } from '../signature.js';
import type { BrowserSession, ConnectorContext, CustomerRecord } from '../context.js';

const BROWSER_TOKEN_TTL_MS = 3600_000;

export async function applyToken(ctx: ConnectorContext, request: Request): Promise<unknown> {
  const { store, upstream, channels, secretKeys, now, newId } = ctx;
  const { silenceMs, retainMs } = ctx.times;
  const body = await readBody(request, 'applyToken');
  const channelId = str(body, 'channelId', 'applyToken', ID);
  let userId = str(body, 'userId', 'applyToken', { ...ID, max: 32 });
  let userName = str(body, 'userName', 'applyToken', { max: 64 });
  const locale = str(body, 'locale', 'applyToken', { max: 35, pattern: /^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/ }) || 'en';
  const resumeKey = str(body, 'resumeKey', 'applyToken', { pattern: /^[A-Za-z0-9_-]{22,128}$/ });
  const ch = channels.get(channelId);
  if (!ch) throw new HttpError(404, 'channel.notFound', 'No such channel on this connector.', 'channelId');
  if (ctx.authenticate) {
    const who = await ctx.authenticate(request);
    if (!who) throw new HttpError(401, 'auth.denied', 'The integrator did not recognise this customer.');
    if (who.userId !== userId) throw new HttpError(401, 'auth.signature.userMismatch', 'The signed-in customer is not the userId of the request.', 'userId');
    userId = who.userId;
    userName = who.userName ?? userName;
  } else {
    const secretKey = secretKeys.get(channelId);
    if (secretKey) {
      const verdict = await verifySignature(store, { authorization: request.headers.get('authorization'), secretKey, channelId, userId, now: Date.now() });
      if (!verdict.ok) throw new HttpError(401, verdict.errorCode, verdict.exceptionInfo);
      userName = verdict.name ?? userName;
    }
  }
  const id = customerIdOf(channelId, userId);
  let result: CustomerRecord | null = null;
  let previous: CustomerRecord | null = null;
  for (let i = 0; i < 50 && !result; i++) {
    const cur = await store.getCustomer<CustomerRecord>(id);
    previous = cur?.value ?? null;
    const resumes = cur && resumeKey && cur.value.resumeKey === resumeKey;
    const next: CustomerRecord = resumes
      ? { ...cur.value, userName: userName || cur.value.userName, locale }
      : {
          channelId,
          userId,
          userName: userName || userId,
          locale,
          resumeKey: newId() + newId().slice(0, 6),
          logId: `${id}:${newId()}`,
          connected: false,
          ended: false,
          conv: { phase: 'new', botMessages: 0 },
        };
    if ((await store.putCustomer(id, next, cur?.version ?? 0)) !== null) result = next;
  }
  if (!result) throw new HttpError(503, 'connector.busy', 'Try again.', undefined, 1);
  // A new key for a user whose earlier conversation is still open upstream: that one ends.
  if (previous && previous.logId !== result.logId && previous.connected && !previous.ended) {
    await store.append(previous.logId, [sysMessage(ctx, previous, { controlType: 'DISCONNECT', event: 'session.ended', data: { endReason: 'customer' } })]);
    await store.expireLog(previous.logId, retainMs);
    disconnectUpstream(ctx, id, previous);
  }
  // The widget sends CONNECT right after its token: get the customer's ccmessaging token from
  // the CEC now, in the background, so that CONNECT makes one upstream round trip, not two.
  if (!result.connected || result.ended) upstream.customerToken(refOf(id, result)).catch(() => {});
  const token = newId() + newId();
  await store.setToken(`browser:${token}`, JSON.stringify({ customerId: id, logId: result.logId } satisfies BrowserSession), BROWSER_TOKEN_TTL_MS);
  await store.setToken(`seen:${id}`, String(now()), silenceMs);
  return { resultCode: '0', token, expiresIn: BROWSER_TOKEN_TTL_MS / 1000, resumeKey: result.resumeKey };
}
