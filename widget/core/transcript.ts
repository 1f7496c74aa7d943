/**
 * Reading and updating a long transcript at the cost of what changed, not of its length.
 * The reducer keeps one order (see `inServerOrder`): the messages the server confirmed, by
 * `seq` ascending, then those still unconfirmed (`seq === null`: sending, failed, uploading) in
 * the order they were written. So the newest messages are at the end, and anything about "what
 * came after seq N" is answered by walking back from the end until a seq at or below N.
 * A 10,000-message chat then costs per new message what a 25-message one does.
 */

/** What these functions read of a transcript item (session.ts's TranscriptItem). */
interface Row {
  id: string;
  seq: number | null;
  author: string;
}

type Items = readonly Row[];

/** Index of the first unconfirmed item: the unconfirmed ones are the transcript's tail. O(tail). */
export function pendingFrom(items: Items): number {
  let i = items.length;
  while (i > 0 && items[i - 1]!.seq === null) i--;
  return i;
}

/** Index of the last item matching `test`, searched from the end (where updates happen), or -1. */
export function lastIndexWhere<T extends Row>(items: readonly T[], test: (m: T) => boolean): number {
  for (let i = items.length - 1; i >= 0; i--) if (test(items[i]!)) return i;
  return -1;
}

/**
 * The highest seq of an agent's message at or below `upToSeq` and above `after` (0 if none):
 * what a READ may report. Walks back only over the messages newer than `after`.
 */
export function latestAgentSeq(items: Items, upToSeq: number, after: number): number {
  for (let i = items.length - 1; i >= 0; i--) {
    const m = items[i]!;
    if (m.seq === null) continue;
    if (m.seq <= after) break;
    if (m.author === 'agent' && m.seq <= upToSeq) return m.seq;
  }
  return 0;
}

/**
 * Messages from the bot or an agent with a seq above `seen`: how many (the unread badge) and the
 * highest seq among them (0 if none). Walks back only over the messages newer than `seen`.
 */
export function incomingAfter(items: Items, seen: number): { count: number; latest: number } {
  let count = 0;
  let latest = 0;
  for (let i = items.length - 1; i >= 0; i--) {
    const m = items[i]!;
    if (m.seq === null) continue;
    if (m.seq <= seen) break;
    if (m.author === 'agent' || m.author === 'bot') {
      count++;
      latest ||= m.seq;
    }
  }
  return { count, latest };
}

/**
 * Confirmed messages in the server's order, then those still unconfirmed in the order they were
 * written. Keeps every tab (and a reload) showing the same transcript when several write.
 * `from`: the items before it are known to be in that order already (the part of the transcript
 * a step did not touch), so only the rest is checked, and sorted when needed; `items` is the
 * caller's own array and may be reordered in place.
 */
export function inServerOrder<T extends Row>(items: T[], from = 0): T[] {
  const base = from > 0 ? (items[from - 1]!.seq ?? 0) : 0;
  let last = base;
  let pending = false;
  let sorted = true;
  for (let i = from; i < items.length; i++) {
    const m = items[i]!;
    if (m.seq === null) pending = true;
    else if (pending || m.seq < last) sorted = false;
    else last = m.seq;
  }
  if (sorted) return items;
  const tail = items.slice(from);
  const confirmed = tail.filter((m) => m.seq !== null).sort((a, b) => a.seq! - b.seq!);
  // A confirmed message older than the untouched part: that part is not in order after all.
  if (from && confirmed[0]! && confirmed[0].seq! < base) return inServerOrder(items, 0);
  items.length = from;
  for (const m of confirmed) items.push(m);
  for (const m of tail) if (m.seq === null) items.push(m);
  return items;
}
