/** GET /poll: the browser's long poll of its conversation's log, from `cursor`, up to `wait` s. */
import { sameConversation, session } from '../customers.js';
import { HttpError, intParam } from '../http.js';
import { ensureLoop, waitWhileConnected } from '../poll-loop.js';
import { MAX_WAIT_S, READ_LIMIT, type ConnectorContext } from '../context.js';

export async function poll(ctx: ConnectorContext, request: Request): Promise<unknown> {
  const { store } = ctx;
  const { id, c, s } = await session(ctx, request);
  const url = new URL(request.url);
  const receiverId = url.searchParams.get('receiverId');
  if (!receiverId) throw new HttpError(400, 'poll.receiverId.missing', 'receiverId is required.', 'receiverId');
  if (receiverId !== c.userId) throw new HttpError(403, 'poll.receiverId.mismatch', 'receiverId must be the user id of the session token.', 'receiverId');
  const cursor = intParam(url, 'cursor', 'poll', 0, Number.MAX_SAFE_INTEGER);
  const wait = intParam(url, 'wait', 'poll', 0, MAX_WAIT_S);
  const last = await store.lastSeq(s.logId);
  if (cursor > last) throw new HttpError(400, 'poll.cursor.ahead', `cursor ${cursor} is past the last message (${last}); the conversation was reset.`, 'cursor');
  if (c.connected && !c.ended && sameConversation(c, s)) ensureLoop(ctx, id);
  // Nothing to read (also while a customer message's place is held: what lies behind it waits
  // for it): the long poll waits for news.
  let downlinkMessages = cursor < last ? await store.read(s.logId, cursor, READ_LIMIT) : [];
  if (!downlinkMessages.length && wait > 0) {
    await waitWhileConnected(ctx, s.logId, cursor, wait, request.signal);
    downlinkMessages = await store.read(s.logId, cursor, READ_LIMIT);
  }
  return { resultCode: '0', downlinkMessages, cursor: cursor + downlinkMessages.length };
}
