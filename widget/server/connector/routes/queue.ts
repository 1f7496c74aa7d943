/** POST /queryQueueInfo: the customer's place in the queue, as the poll loop last learnt it. */
import { sameConversation, session } from '../customers.js';
import type { ConnectorContext } from '../context.js';

export async function queueInfo(ctx: ConnectorContext, request: Request): Promise<unknown> {
  const { c, s } = await session(ctx, request);
  const phase = sameConversation(c, s) ? c.conv.phase : 'ended';
  const info = { position: c.conv.queue?.position ?? 0, estimateWaitTime: c.conv.queue?.estimateWaitSeconds ?? 0, configMaxcWaitTime: 0, totalWaitTime: 0 };
  const resultCode = phase === 'queue' || phase === 'transferring' ? '0' : phase === 'agent' ? '160021' : phase === 'bot' ? '160022' : '5';
  return { resultCode, ...info };
}
