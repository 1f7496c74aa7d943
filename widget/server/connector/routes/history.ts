/**
 * POST /queryHistoryChatMessage: the conversation so far, for a reload or a second tab (INPUT and
 * READ left out), never past a place still held (that place, and what is behind it, comes by poll).
 */
import { HISTORY_MAX_LIMIT, type DownlinkMessage } from '../../../core/protocol.js';
import { session } from '../customers.js';
import { READ_LIMIT, type ConnectorContext } from '../context.js';
import { HttpError, readBody } from '../http.js';

const ROUTE = 'queryHistoryChatMessage';
const shown = (m: DownlinkMessage) => m.controlType !== 'INPUT' && m.controlType !== 'READ';

/**
 * The history. (ext) Paged like the mock: `limit` (1–HISTORY_MAX_LIMIT) answers the last `limit`
 * messages with `seq < beforeSeq` (default: the readable end), read backwards from there by seq
 * range, so a page costs the page whatever the log's length. `hasMore`: something is shown before
 * the page (looked for in one range before it; a longer run of typing signals and read receipts
 * counts as more, and the next page then comes back empty with `hasMore` false). The newest page
 * carries `context` from the store's index of state-setting messages (ConnectorStore.stateContext).
 * No `earlierCount`: counting would read the whole log. Without `limit`, every message before
 * `beforeSeq` (older callers: the whole log). `cursor` is the readable end: polling goes on from it.
 * A bad `limit` or `beforeSeq` is a 400 naming it.
 */
export async function history(ctx: ConnectorContext, request: Request): Promise<unknown> {
  const { store } = ctx;
  const { s } = await session(ctx, request);
  const body = request.body ? await readBody(request, ROUTE) : {};
  const limit = optionalInt(body, 'limit', 1, HISTORY_MAX_LIMIT);
  const beforeSeq = optionalInt(body, 'beforeSeq', 1, Number.MAX_SAFE_INTEGER);
  const cursor = await store.readableEnd(s.logId);
  const last = Math.min(cursor, (beforeSeq ?? Infinity) - 1);
  if (limit === undefined) {
    const messages: DownlinkMessage[] = [];
    for (let after = 0; after < last; after += READ_LIMIT) messages.push(...(await store.read(s.logId, after, Math.min(READ_LIMIT, last - after))).filter(shown));
    return { resultCode: '0', messages, cursor };
  }
  // Backwards from the page's end, a range of seqs at a time, until `limit` shown messages.
  let messages: DownlinkMessage[] = [];
  let from = last;
  let left = false;
  while (from > 0 && messages.length < limit) {
    const size = Math.min(READ_LIMIT, from);
    const range = (await store.read(s.logId, from - size, size)).filter(shown);
    const take = Math.min(range.length, limit - messages.length);
    messages = [...range.slice(range.length - take), ...messages];
    left = take < range.length;
    from -= size;
  }
  if (!left && from > 0) left = from > READ_LIMIT || (await store.read(s.logId, from - Math.min(READ_LIMIT, from), Math.min(READ_LIMIT, from))).some(shown);
  const res: Record<string, unknown> = { resultCode: '0', messages, cursor, hasMore: left };
  if (beforeSeq === undefined && left) res.context = await store.stateContext(s.logId, messages[0]?.seq ?? last + 1);
  return res;
}

/** An optional JSON integer field from `min` to `max` (a 400 naming it otherwise). */
function optionalInt(body: Record<string, unknown>, name: string, min: number, max: number): number | undefined {
  const v = body[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) throw new HttpError(400, `${ROUTE}.${name}.invalid`, `${name} must be an integer from ${min} to ${max}.`, name);
  return v;
}
