/**
 * The mock's clock. Every timer of the contact center (queue reminders, queue timeouts, idle
 * warnings, wrap-up, auto-agents, long polls) is scheduled on it, so tests and QA can move time
 * forward and see a 20-minute timeout in a millisecond.
 *
 * - `manual` mode: time stands still until `advance()`; nothing runs on real timers (tests).
 * - `real` mode: time follows the wall clock plus an offset; `advance()` adds to the offset
 *   and fires whatever became due (demo and HTTP server).
 */
export interface Timer {
  readonly at: number;
  cancel(): void;
}

interface Entry {
  at: number;
  order: number;
  fn: () => void;
  cancelled: boolean;
  /** Taken off the queue (fired, or dropped as cancelled). */
  done: boolean;
}

/** Whether `a` is due before `b`: by time, then in the order they were set. */
const before = (a: Entry, b: Entry): boolean => a.at < b.at || (a.at === b.at && a.order < b.order);

/**
 * The pending timers as a binary min-heap on (at, order): setting one is O(log n), and a
 * cancelled one stays in the heap, marked, until it reaches the top or the heap is compacted
 * (when more than half of it is cancelled), so cancelling is O(1). Under load the mock sets and
 * cancels a few timers per request (idle countdowns, long polls): a sorted array re-sorted on
 * every set and filtered on every cancel cost O(n log n) each.
 */
class TimerHeap {
  private items: Entry[] = [];
  private cancelledCount = 0;

  /** Pending timers that were not cancelled. */
  get live(): number {
    return this.items.length - this.cancelledCount;
  }

  push(e: Entry): void {
    const items = this.items;
    items.push(e);
    let i = items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(e, items[parent]!)) break;
      items[i] = items[parent]!;
      i = parent;
    }
    items[i] = e;
  }

  /** The earliest timer that was not cancelled (cancelled ones on top are dropped), or undefined. */
  peek(): Entry | undefined {
    while (this.items.length && this.items[0]!.cancelled) this.removeTop();
    return this.items[0];
  }

  /** Takes the earliest live timer off the heap. */
  pop(): Entry | undefined {
    const top = this.peek();
    if (top) this.removeTop();
    return top;
  }

  /** Marks a pending timer cancelled; compacts when cancelled ones are the majority. */
  cancel(e: Entry): void {
    if (e.cancelled || e.done) {
      e.cancelled = true;
      return;
    }
    e.cancelled = true;
    this.cancelledCount++;
    if (this.cancelledCount > 32 && this.cancelledCount * 2 > this.items.length) this.compact();
  }

  clear(): void {
    for (const e of this.items) {
      e.cancelled = true;
      e.done = true;
    }
    this.items = [];
    this.cancelledCount = 0;
  }

  private removeTop(): void {
    const items = this.items;
    const top = items[0]!;
    top.done = true;
    if (top.cancelled) this.cancelledCount--;
    const last = items.pop()!;
    if (items.length === 0) return;
    // Sift the last one down from the root.
    let i = 0;
    const n = items.length;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const child = r < n && before(items[r]!, items[l]!) ? r : l;
      if (!before(items[child]!, last)) break;
      items[i] = items[child]!;
      i = child;
    }
    items[i] = last;
  }

  /** Drops every cancelled timer and rebuilds the heap (O(n)). */
  private compact(): void {
    const kept: Entry[] = [];
    for (const e of this.items) {
      if (e.cancelled) e.done = true;
      else kept.push(e);
    }
    this.items = [];
    this.cancelledCount = 0;
    kept.sort((a, b) => a.at - b.at || a.order - b.order); // a sorted array is a valid heap
    this.items = kept;
  }
}

export class Clock {
  private offset = 0;
  private base: number;
  private readonly heap = new TimerHeap();
  private order = 0;
  private realTimer: ReturnType<typeof setTimeout> | undefined;
  /** When the real timer is set to fire (mock-clock time of the timer it was set for). */
  private armedAt = Infinity;

  constructor(
    readonly mode: 'manual' | 'real' = 'real',
    start = Date.now(),
  ) {
    this.base = mode === 'manual' ? start : 0;
    if (mode === 'real') this.offset = start - Date.now();
  }

  now(): number {
    return this.mode === 'manual' ? this.base + this.offset : Date.now() + this.offset;
  }

  /** Runs `fn` when the clock reaches `now() + ms`. */
  setTimeout(fn: () => void, ms: number): Timer {
    const entry: Entry = { at: this.now() + Math.max(0, ms), order: this.order++, fn, cancelled: false, done: false };
    this.heap.push(entry);
    // Only a timer due before the one the real timer waits for moves it.
    if (entry.at < this.armedAt) this.arm();
    return {
      at: entry.at,
      cancel: () => {
        this.heap.cancel(entry);
        // The real timer follows the earliest live timer (none left: none pending, so a process may exit).
        if (entry.at === this.armedAt) this.arm();
      },
    };
  }

  /** Moves time forward by `ms`, firing due timers in order (each sees its own due time). */
  advance(ms: number): void {
    if (!(ms >= 0)) throw new RangeError('advance: ms must be a non-negative number');
    const target = this.now() + ms;
    for (;;) {
      const next = this.heap.peek();
      if (!next || next.at > target) break;
      this.heap.pop();
      if (this.now() < next.at) this.offset += next.at - this.now();
      next.fn();
    }
    if (this.now() < target) this.offset += target - this.now();
    this.arm();
  }

  /** Time of the next pending timer, if any. */
  nextTimerAt(): number | undefined {
    return this.heap.peek()?.at;
  }

  pendingTimers(): number {
    return this.heap.live;
  }

  /** Cancels every pending timer (reset, shutdown). */
  clear(): void {
    this.heap.clear();
    if (this.realTimer) clearTimeout(this.realTimer);
    this.realTimer = undefined;
    this.armedAt = Infinity;
  }

  /** Sets the one real timer (real mode) for the earliest pending timer. */
  private arm(): void {
    if (this.mode !== 'real') return;
    if (this.realTimer) clearTimeout(this.realTimer);
    this.realTimer = undefined;
    this.armedAt = Infinity;
    const next = this.heap.peek();
    if (!next) return;
    const delay = Math.min(Math.max(0, next.at - this.now()), 2 ** 31 - 1);
    this.armedAt = next.at;
    this.realTimer = setTimeout(() => {
      this.realTimer = undefined;
      this.armedAt = Infinity;
      this.advance(0);
    }, delay);
  }
}

/**
 * What a long poll is aborted by: an AbortSignal, or a function that gives it, called only when
 * a wait really begins — a poll answered at once makes no AbortController (the plain server's
 * requests create theirs when first asked for).
 */
export type SignalSource = AbortSignal | (() => AbortSignal | undefined);

/**
 * Long polls on the mock clock: `wait()` resolves at the next `notify()`, after `ms` on the
 * clock, or when the request is aborted — whichever comes first.
 */
export class Waiters {
  private waiting = new Set<() => void>();

  constructor(private readonly clock: Clock) {}

  notify(): void {
    // Every message and every desk change notifies: with nobody waiting (the usual case) nothing is copied.
    if (this.waiting.size === 0) return;
    for (const w of [...this.waiting]) w();
  }

  wait(ms: number, source?: SignalSource): Promise<void> {
    if (ms <= 0) return Promise.resolve();
    const signal = typeof source === 'function' ? source() : source;
    if (signal?.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        this.waiting.delete(done);
        timer.cancel();
        signal?.removeEventListener('abort', done);
        resolve();
      };
      const timer = this.clock.setTimeout(done, ms);
      this.waiting.add(done);
      signal?.addEventListener('abort', done);
    });
  }
}
