/** POST /queryHistoryChatMessage: the conversation so far, for a reload or a second tab. */
import type { DownlinkMessage } from '../../../core/protocol.js';
import { session } from '../customers.js';
import { READ_LIMIT, type ConnectorContext } from '../context.js';

export async function history(ctx: ConnectorContext, request: Request): Promise<unknown> {
  const { store } = ctx;
  const { s } = await session(ctx, request);
  const messages: DownlinkMessage[] = [];
  let after = 0;
  for (;;) {
    const page = await store.read(s.logId, after, READ_LIMIT);
    messages.push(...page.filter((m) => m.controlType !== 'INPUT' && m.controlType !== 'READ'));
    if (page.length) after = page[page.length - 1]!.seq;
    if (page.length < READ_LIMIT) break;
  }
  // The last seq read, not the log's last: a place still held (and what is behind it) comes by poll.
  return { resultCode: '0', messages, cursor: after };
}
