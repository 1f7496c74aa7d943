/**
 * The history of a customer's latest session, indexed by seq so that one page of
 * `queryHistoryChatMessage` costs the page, not every message ever sent: the rows a history
 * shows (everything but INPUT and READ) in seq order, and per kind of state-setting message
 * (each `event`, and the customer's own messages) the positions of its rows, so the `context` of
 * a page (see HistoryResponse.context) is a few binary searches.
 *
 * The index of a stream is brought up to date on each history call with only the messages
 * appended since the last one (the stream's seqs never change; trimming only drops sessions
 * other than the latest).
 */
import { stateKind, type DownlinkMessage, type HistoryResponse } from '../../widget/core/protocol.js';
import type { CustomerStream } from './stream.js';

interface SessionRows {
  /** Shown rows of the session, by seq ascending. */
  rows: DownlinkMessage[];
  /** Per state-setting kind, the indexes in `rows` of its messages, ascending. */
  kinds: Map<string, number[]>;
}

interface StreamIndex {
  /** The stream's seq up to which messages were indexed. */
  scanned: number;
  sessions: Map<string, SessionRows>;
}

const indexes = new WeakMap<CustomerStream, StreamIndex>();

function indexOf(stream: CustomerStream, sessionId: string): SessionRows {
  let ix = indexes.get(stream);
  if (!ix) indexes.set(stream, (ix = { scanned: 0, sessions: new Map() }));
  if (stream.lastSeq > ix.scanned) {
    for (const m of stream.since(ix.scanned)) {
      if (m.controlType === 'INPUT' || m.controlType === 'READ' || !m.sessionId) continue;
      let rows = ix.sessions.get(m.sessionId);
      if (!rows) ix.sessions.set(m.sessionId, (rows = { rows: [], kinds: new Map() }));
      const kind = stateKind(m);
      if (kind) {
        let at = rows.kinds.get(kind);
        if (!at) rows.kinds.set(kind, (at = []));
        at.push(rows.rows.length);
      }
      rows.rows.push(m);
    }
    ix.scanned = stream.lastSeq;
  }
  // Only the latest session is ever asked for: the others' rows are let go.
  for (const id of ix.sessions.keys()) if (id !== sessionId) ix.sessions.delete(id);
  let rows = ix.sessions.get(sessionId);
  if (!rows) ix.sessions.set(sessionId, (rows = { rows: [], kinds: new Map() }));
  return rows;
}

/** The first index in ascending `xs` whose value by `key` is at least `v` (xs.length when none). */
function lowerBound<T>(xs: readonly T[], v: number, key: (x: T) => number): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (key(xs[mid]!) < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * One page of the session `sessionId` of `stream`: the last `limit` shown messages with
 * `seq < beforeSeq` (all of them when `limit` is undefined; the newest when `beforeSeq` is),
 * oldest first, with `hasMore`, `earlierCount` and, for a page that does not start at the
 * session's first message, its `context`. `cursor` is the stream's last seq. O(page + log n).
 */
export function historyPage(stream: CustomerStream, sessionId: string, limit?: number, beforeSeq?: number): HistoryResponse {
  const { rows, kinds } = indexOf(stream, sessionId);
  const end = beforeSeq === undefined ? rows.length : lowerBound(rows, beforeSeq, (m) => m.seq);
  const start = limit === undefined ? 0 : Math.max(0, end - limit);
  const res: HistoryResponse = { resultCode: '0', messages: rows.slice(start, end), cursor: stream.lastSeq, hasMore: start > 0, earlierCount: start };
  if (start > 0) {
    const context: number[] = [];
    for (const at of kinds.values()) {
      const k = lowerBound(at, start, (i) => i) - 1;
      if (k >= 0) context.push(at[k]!);
    }
    res.context = context.sort((a, b) => a - b).map((i) => rows[i]!);
  }
  return res;
}
