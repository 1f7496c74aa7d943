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
}

export class Clock {
  private offset = 0;
  private base: number;
  private entries: Entry[] = [];
  private order = 0;
  private realTimer: ReturnType<typeof setTimeout> | undefined;

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
    const entry: Entry = { at: this.now() + Math.max(0, ms), order: this.order++, fn, cancelled: false };
    this.entries.push(entry);
    this.entries.sort((a, b) => a.at - b.at || a.order - b.order);
    this.arm();
    return {
      at: entry.at,
      cancel: () => {
        entry.cancelled = true;
        this.entries = this.entries.filter((e) => e !== entry);
        this.arm();
      },
    };
  }

  /** Moves time forward by `ms`, firing due timers in order (each sees its own due time). */
  advance(ms: number): void {
    if (!(ms >= 0)) throw new RangeError('advance: ms must be a non-negative number');
    const target = this.now() + ms;
    for (;;) {
      const next = this.entries[0];
      if (!next || next.at > target) break;
      this.entries.shift();
      if (this.now() < next.at) this.offset += next.at - this.now();
      if (!next.cancelled) next.fn();
    }
    if (this.now() < target) this.offset += target - this.now();
    this.arm();
  }

  /** Time of the next pending timer, if any. */
  nextTimerAt(): number | undefined {
    return this.entries[0]?.at;
  }

  pendingTimers(): number {
    return this.entries.length;
  }

  /** Cancels every pending timer (reset, shutdown). */
  clear(): void {
    for (const e of this.entries) e.cancelled = true;
    this.entries = [];
    if (this.realTimer) clearTimeout(this.realTimer);
    this.realTimer = undefined;
  }

  private arm(): void {
    if (this.mode !== 'real') return;
    if (this.realTimer) clearTimeout(this.realTimer);
    this.realTimer = undefined;
    const next = this.entries[0];
    if (!next) return;
    const delay = Math.min(Math.max(0, next.at - this.now()), 2 ** 31 - 1);
    this.realTimer = setTimeout(() => {
      this.realTimer = undefined;
      this.advance(0);
    }, delay);
  }
}

/**
 * Long polls on the mock clock: `wait()` resolves at the next `notify()`, after `ms` on the
 * clock, or when the request is aborted — whichever comes first.
 */
export class Waiters {
  private waiting = new Set<() => void>();

  constructor(private readonly clock: Clock) {}

  notify(): void {
    for (const w of [...this.waiting]) w();
  }

  wait(ms: number, signal?: AbortSignal): Promise<void> {
    if (ms <= 0 || signal?.aborted) return Promise.resolve();
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
