/** POST /doLeaveMessage: a message left for the contact center when no agent can chat. */
import { refOf, session, sysMessage } from '../customers.js';
import { readBody, str } from '../http.js';
import type { ConnectorContext } from '../context.js';

export async function leaveMessage(ctx: ConnectorContext, request: Request): Promise<unknown> {
  const { id, c, s } = await session(ctx, request);
  const body = await readBody(request, 'doLeaveMessage');
  const content = str(body, 'content', 'doLeaveMessage', { required: true, max: 2000 });
  const contact = str(body, 'contact', 'doLeaveMessage', { max: 200 });
  // Not idempotent upstream and no id from the widget: one attempt (plus auth refresh).
  await ctx.upstream.call('doLeaveMessage', '/doLeaveMessage', {
    body: { callId: c.userId, caller: contact, leaveMessage: content, channel: 'WEB' },
    customer: refOf(id, c),
    idempotent: false,
  });
  await ctx.store.append(s.logId, [sysMessage(ctx, c, { event: 'message.left' })]);
  return { resultCode: '0' };
}
