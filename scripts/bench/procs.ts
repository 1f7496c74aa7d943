/**
 * Processes of the connector benchmarks: each part (the mock's real-CEC face, every connector,
 * the load generator) runs in a process of its own, as on separate machines.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type { RouteSummary } from '../lib/stats.js';

const children = new Set<ChildProcess>();
process.on('exit', () => {
  for (const c of children) c.kill('SIGKILL');
});
// Stopped by ^C or a kill: no process of the run is left behind.
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.once(sig, () => {
    for (const c of children) c.kill('SIGKILL');
    process.exit(130);
  });
}

/** Spawns a TypeScript entry point and resolves with the first URL matching `pattern` on its stdout. */
export function startProcess(args: string[], pattern: RegExp, opts: { env?: Record<string, string>; ipc?: boolean; execArgv?: string[] } = {}): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, [...(opts.execArgv ?? []), '--import', 'tsx', ...args], {
    stdio: ['ignore', 'pipe', 'inherit', ...(opts.ipc ? (['ipc'] as const) : [])],
    env: { ...process.env, ...opts.env },
  });
  children.add(child);
  child.once('exit', () => children.delete(child));
  return new Promise((resolve, reject) => {
    let out = '';
    const onData = (d: Buffer) => {
      out += String(d);
      const m = pattern.exec(out);
      if (m) {
        child.stdout!.off('data', onData);
        child.stdout!.resume();
        resolve({ url: m[1]!, child });
      }
    };
    child.stdout!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`${args.join(' ')} exited with ${code}`)));
  });
}

/** SIGTERM, then SIGKILL when it has not exited within 3 s; resolves once it exited. */
export async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  const t = setTimeout(() => child.kill('SIGKILL'), 3000);
  await exited;
  clearTimeout(t);
}

/** What one run printed as its last stdout line. */
export interface LoadResult {
  customers: number;
  /** Customers arriving per second (and leaving per second). */
  rate: number;
  warmup: number;
  /** Wall time of the measured part, seconds. */
  seconds: number;
  /** The most sessions open at once (token taken, not yet left). */
  peakOpen: number;
  routes: RouteSummary[];
  errors: number;
  /** Messages the customers read from their logs (the sum of their last cursors). */
  downlinks: number;
}

/** The calls that must answer at once (a long poll waits by design): the p99 a step is judged by. */
export const QUICK_ROUTES = ['applyToken', 'send CONNECT', 'send CHAT', 'send DISCONNECT'];

export interface LoadOptions {
  customers: number;
  /** Arrivals (and departures) per second. */
  rate: number;
  warmup: number;
  /** Seconds between a connected customer's messages. */
  think: number;
  tag: string;
  /** Called with every measured customer connected, before the first leaves. */
  atPeak?: () => Promise<void>;
}

/** Runs the load generator (scripts/bench/customers.ts) in its own process against `urls`. */
export function runCustomers(urls: string[], o: LoadOptions): Promise<LoadResult & { cpuSeconds: number }> {
  const args = [
    'scripts/bench/customers.ts',
    '--urls',
    urls.join(','),
    '--customers',
    String(o.customers),
    '--rate',
    String(o.rate),
    '--warmup',
    String(o.warmup),
    '--think',
    String(o.think),
    '--tag',
    o.tag,
  ];
  if (o.atPeak) args.push('--pause-at-peak');
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], { stdio: ['pipe', 'pipe', 'inherit'] });
  children.add(child);
  return new Promise((resolve, reject) => {
    let result: LoadResult | null = null;
    let cpu = NaN;
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      if (line === 'PEAK') {
        void (o.atPeak ?? (async () => {}))().then(() => child.stdin!.write('go\n'), reject);
      } else if (line.startsWith('{')) {
        result = JSON.parse(line) as LoadResult;
        cpu = cpuSeconds(child.pid);
      }
    });
    child.once('exit', (code) => {
      children.delete(child);
      if (code === 0 && result) resolve({ ...result, cpuSeconds: cpu });
      else reject(new Error(`the load generator exited with ${code}`));
    });
  });
}

/** CPU seconds (user + system) a process has used so far, from /proc (Linux); NaN elsewhere. */
export function cpuSeconds(pid: number | undefined): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // Fields 14 and 15 of proc(5) (utime, stime), counted after the command name.
    return (Number(f[11]) + Number(f[12])) / 100;
  } catch {
    return NaN;
  }
}
