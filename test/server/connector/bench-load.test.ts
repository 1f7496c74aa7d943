/**
 * The capacity benchmarks' load generator (scripts/bench/customers.ts), run as the benchmarks run
 * it: the mock's real-CEC face, a connector and the load generator in three processes on
 * loopback. It must make customers arrive at the stated rate (not a burst), have all of them
 * connected at once at the peak, and let every one of them leave.
 */
import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCustomers, startProcess, stopProcess } from '../../../scripts/bench/procs.js';

let mock: { url: string; child: ChildProcess };
let connector: { url: string; child: ChildProcess };

const ask = <T>(message: Record<string, unknown>): Promise<T> =>
  new Promise((resolve) => {
    connector.child.once('message', (m) => resolve(m as T));
    connector.child.send(message);
  });

beforeAll(async () => {
  mock = await startProcess(['mock-server/http/cli.ts', '--port', '0', '--host', '127.0.0.1'], /on (http:\/\/[\d.]+:\d+)/);
  connector = await startProcess(['scripts/bench/connector-process.ts', mock.url], /listening on (http:\/\/[\d.]+:\d+)/, { ipc: true, execArgv: ['--expose-gc'] });
}, 60_000);

afterAll(async () => {
  if (connector) await stopProcess(connector.child);
  if (mock) await stopProcess(mock.child);
}, 30_000);

describe('bench load generator', () => {
  it('brings customers at the stated rate, all connected at once at the peak, then lets every one leave', async () => {
    const customers = 6;
    const rate = 10;
    let atPeak: { heapUsed: number; sockets: number } | null = null;
    const result = await runCustomers([connector.url], {
      customers,
      rate,
      warmup: 2,
      think: 1,
      tag: 'test',
      atPeak: async () => {
        atPeak = await ask<{ heapUsed: number; sockets: number }>({ type: 'heap' });
      },
    });
    expect(result.errors).toBe(0);
    expect(result.peakOpen).toBe(customers);
    // Arrivals spread over (N - 1) / rate seconds, and departures as well: not a burst.
    expect(result.seconds).toBeGreaterThanOrEqual((2 * (customers - 1)) / rate);
    const count = (route: string) => result.routes.find((r) => r.route === route)?.count ?? 0;
    expect(count('applyToken')).toBe(customers);
    expect(count('send CONNECT')).toBe(customers);
    expect(count('send DISCONNECT')).toBe(customers);
    expect(count('question → answer seen')).toBe(customers);
    // The warm-up customers are not measured; every customer read its chat (greeting, answer…).
    expect(result.warmup).toBe(2);
    expect(result.downlinks).toBeGreaterThanOrEqual(customers * 2);
    // At the peak the connector held the customers' connections (browser and upstream).
    expect(atPeak).not.toBeNull();
    expect(atPeak!.sockets).toBeGreaterThanOrEqual(customers);
    // They left: after the retention passed the connector keeps none of them.
    const left = await ask<{ store: Record<string, number> }>({ type: 'leave', skewMs: 25 * 3600_000 });
    expect(left.store.active).toBe(0);
    expect(left.store.messages).toBe(0);
  }, 60_000);
});
