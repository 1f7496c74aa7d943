/**
 * The instance that owns a customer's upstream poll loop is SIGKILLed in the middle of a chat
 * (a connector in a child process, killed by the OS: no release, no goodbye). Another instance
 * takes the customer over once the lease lapses; the agent's messages sent meanwhile stay in the
 * CEC (its poll takes nothing for a client that has gone) and arrive once, in order; the widget
 * shows no error and sends nothing twice.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { seedTenant } from '../../../mock-server/config/seed.js';
import { TenantStore } from '../../../mock-server/config/store.js';
import { cecFaceOf } from '../../../mock-server/handlers/cec/index.js';
import { createMockHttpServer } from '../../../mock-server/http/server.js';
import { Clock } from '../../../mock-server/runtime/clock.js';
import type { SessionState } from '../../../widget/core/session.js';
import { SEED_CEC_APP_KEY, SEED_CEC_APP_SECRET } from '../../../mock-server/config/seed.js';
import { createConnector, type ConnectorHandler } from '../../../widget/server/connector/connector.js';
import { chainRunner, reachAgent, redisConnectorConfig, T0, until } from './chain.js';
import { freshPrefix, useRedisServer } from './helpers.js';

const LEASE_MS = 1500;
const SWEEP_MS = 300;
const server = useRedisServer();
const cleanup: Array<() => unknown> = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

/** Starts `connector-child.ts` and resolves with its URL once it listens; collects its log. */
function startChild(config: unknown, instanceId: string): Promise<{ child: ChildProcess; url: string; logs: Array<Record<string, unknown>> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./connector-child.ts', import.meta.url)), JSON.stringify(config), instanceId], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  cleanup.push(() => child.kill('SIGKILL'));
  const logs: Array<Record<string, unknown>> = [];
  return new Promise((resolve, reject) => {
    let buf = '';
    child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      buf += d;
      for (let nl = buf.indexOf('\n'); nl >= 0; nl = buf.indexOf('\n')) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        if (line.startsWith('listening ')) resolve({ child, url: line.slice('listening '.length), logs });
        else if (line.startsWith('{')) logs.push(JSON.parse(line));
      }
    });
    child.once('exit', (code) => reject(new Error(`connector child exited (${code}) before listening`)));
  });
}

const agentTexts = (s: SessionState) => s.transcript.filter((m) => m.author === 'agent' && !m.event).map((m) => m.text);

describe('lease takeover', () => {
  it('the owner of the upstream poll is SIGKILLed mid-chat: another instance takes over within the lease time, nothing lost, no error shown', async () => {
    const clock = new Clock('manual', T0);
    const { server: mock, cc } = createMockHttpServer({ clock, store: new TenantStore(() => seedTenant()) });
    await new Promise<void>((resolve) => mock.listen(0, '127.0.0.1', resolve));
    cleanup.push(() => new Promise((resolve) => mock.close(resolve)));
    cleanup.push(() => mock.closeAllConnections());
    const mockUrl = `http://127.0.0.1:${(mock.address() as AddressInfo).port}`;
    const keyPrefix = freshPrefix();
    const config = redisConnectorConfig(server().url, keyPrefix);
    config.upstream.baseUrl = `${mockUrl}/cec`;
    config.upstream.leaseMs = LEASE_MS;

    const a = await startChild(config, 'instance-A');
    const b: ConnectorHandler = createConnector(config, { env: { CEC_APP_KEY: SEED_CEC_APP_KEY, CEC_APP_SECRET: SEED_CEC_APP_SECRET }, instanceId: 'instance-B', sweepMs: SWEEP_MS, log: () => {} });
    cleanup.push(() => b.close());

    // The load balancer: A alone at first (so A owns the loop), then A and B in turn; once A is
    // dead its health check takes it out.
    const live: Array<'A' | 'B'> = ['A'];
    let next = 0;
    const browserFetch = ((input: RequestInfo | URL, init?: RequestInit) => {
      const target = live[next++ % live.length]!;
      if (target === 'B') return b(new Request(input, init));
      const url = new URL(String(input instanceof Request ? input.url : input));
      return fetch(a.url + url.pathname + url.search, init);
    }) as typeof fetch;

    const userId = 'takeover-1';
    const r = chainRunner(browserFetch, userId, { maxSendAttempts: 10_000 });
    cleanup.push(() => r.destroy());
    await reachAgent(cc, r, userId);

    const raw = new Redis(server().url);
    cleanup.push(() => raw.disconnect());
    const owner = () => raw.get(`${keyPrefix}lease:poll:demo:${userId}`);
    expect(await owner()).toBe('instance-A');
    live.push('B');
    const atCec = () =>
      cc
        .findStream('demo', userId)
        ?.messages.filter((m) => m.sourceType === 'CUSTOMER' && m.content.startsWith('c-'))
        .map((m) => m.content) ?? [];
    for (let i = 0; i < 5; i++) {
      r.dispatch({ type: 'message.submit', id: r.newId(), text: `c-${i}`, now: r.now(), name: userId });
      cc.desk.send('alice', `a-${i}`);
    }
    await until('first half', () => atCec().length === 5 && agentTexts(r.state).length === 5);
    expect(await owner()).toBe('instance-A');
    // A's upstream poll is held at the CEC right now; kill A there.
    a.child.kill('SIGKILL');
    await new Promise((resolve) => a.child.once('exit', resolve));
    const killedAt = Date.now();
    live.splice(live.indexOf('A'), 1);
    // The CEC learns that A's held poll has no client once the TCP connection closes; a message
    // handed over before that would be lost for any client (the real poll is consume-once too).
    await until('the CEC saw the dead poll go', () => cecFaceOf(cc).heldPolls === 0, 10_000);
    for (let i = 5; i < 10; i++) {
      cc.desk.send('alice', `a-${i}`);
      r.dispatch({ type: 'message.submit', id: r.newId(), text: `c-${i}`, now: r.now(), name: userId });
    }
    let takenAt = 0;
    await until(
      'B owns the loop',
      () => {
        void owner().then((o) => o === 'instance-B' && !takenAt && (takenAt = Date.now()));
        return takenAt > 0;
      },
      20_000,
    );
    const takeoverMs = takenAt - killedAt;
    await until('every agent message in the widget', () => agentTexts(r.state).length === 10, 15_000).catch((e) => {
      console.log('took', JSON.stringify({ agent: agentTexts(r.state), instanceA: a.logs.slice(-8) }));
      throw e;
    });
    await until('every customer message at the CEC', () => atCec().length === 10, 30_000);
    await until('every customer message acknowledged', () => r.state.transcript.filter((m) => m.author === 'customer' && m.text.startsWith('c-') && m.status === 'sent').length === 10, 30_000);
    const expected = (p: string) => Array.from({ length: 10 }, (_, i) => `${p}-${i}`);
    expect(agentTexts(r.state)).toEqual(expected('a'));
    expect(atCec()).toEqual(expected('c'));
    expect(r.state.error).toBeNull();
    expect(r.state.phase).toBe('agent');
    expect(r.state.transcript.filter((m) => m.author === 'customer' && m.text.startsWith('c-')).every((m) => m.status === 'sent')).toBe(true);
    // The lease lapses at most LEASE_MS after A's last renewal (before the kill); B's sweep
    // (every SWEEP_MS) or the customer's next poll takes it; the rest is scheduling slack.
    expect(takeoverMs).toBeLessThanOrEqual(LEASE_MS + SWEEP_MS + 500);
    console.log(`takeover ${takeoverMs} ms after SIGKILL (lease ${LEASE_MS} ms, sweep every ${SWEEP_MS} ms); upstream poll loops: A had the customer, B has ${b.loops}`);
  }, 60_000);
});
