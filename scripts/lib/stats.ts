/**
 * What the load and soak scripts share: latency samples per route with percentiles, a plain
 * text table, and a bounded wait for a condition (every loop of these scripts ends in count
 * and in time).
 */

/** The value at quantile `q` (0..1) of sorted `values`, by nearest rank; NaN when empty. */
export function percentile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil(q * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}

export interface RouteSummary {
  route: string;
  count: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  errors: number;
}

/** Latency samples (ms) and error counts, per route. */
export class LatencyRecorder {
  private samples = new Map<string, number[]>();
  private errorCounts = new Map<string, number>();

  record(route: string, ms: number, error = false): void {
    let list = this.samples.get(route);
    if (!list) this.samples.set(route, (list = []));
    list.push(ms);
    if (error) this.errorCounts.set(route, (this.errorCounts.get(route) ?? 0) + 1);
  }

  get requests(): number {
    let n = 0;
    for (const list of this.samples.values()) n += list.length;
    return n;
  }

  get errors(): number {
    let n = 0;
    for (const e of this.errorCounts.values()) n += e;
    return n;
  }

  /** Every sample of every route together. */
  overall(): RouteSummary {
    return summarize('all', [...this.samples.values()].flat(), this.errors);
  }

  routes(): RouteSummary[] {
    return [...this.samples.entries()].map(([route, list]) => summarize(route, list, this.errorCounts.get(route) ?? 0)).sort((a, b) => a.route.localeCompare(b.route));
  }
}

function summarize(route: string, list: number[], errors: number): RouteSummary {
  const sorted = [...list].sort((a, b) => a - b);
  return {
    route,
    count: sorted.length,
    p50: percentile(sorted, 0.5),
    p90: percentile(sorted, 0.9),
    p99: percentile(sorted, 0.99),
    max: sorted.length ? sorted[sorted.length - 1]! : NaN,
    errors,
  };
}

/** Milliseconds with one decimal, or "-" for no data. */
export const ms = (v: number): string => (Number.isFinite(v) ? v.toFixed(1) : '-');

/** A left-aligned first column and right-aligned others, separated by two spaces. */
export function table(header: string[], rows: Array<Array<string | number>>): string {
  const cells = [header, ...rows.map((r) => r.map(String))];
  const widths = header.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(cells[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join('\n');
}

export function latencyTable(summaries: RouteSummary[]): string {
  return table(
    ['route', 'count', 'p50 ms', 'p90 ms', 'p99 ms', 'max ms', 'errors'],
    summaries.map((s) => [s.route, s.count, ms(s.p50), ms(s.p90), ms(s.p99), ms(s.max), s.errors]),
  );
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Checks `pred` every `everyMs` until it holds (true) or `timeoutMs` has passed or `signal`
 * aborted (false).
 */
export async function waitFor(pred: () => boolean | Promise<boolean>, timeoutMs: number, everyMs = 10, signal?: AbortSignal): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    if (await pred()) return true;
    if (Date.now() >= end || signal?.aborted) return false;
    await sleep(Math.min(everyMs, Math.max(0, end - Date.now())));
  }
}

/** A positive integer flag, or exits with a usage error. */
export function intFlag(values: Record<string, unknown>, name: string, min = 1): number {
  const raw = values[name];
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) {
    console.error(`--${name} must be an integer of at least ${min} (got "${String(raw)}")`);
    process.exit(2);
  }
  return n;
}
