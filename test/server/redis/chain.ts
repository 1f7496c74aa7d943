/**
 * The chain of a multi-instance deployment, in one process: the widget's runner (browser side)
 * → a round-robin dispatcher (the load balancer: every request may reach another instance) →
 * N connector instances, each with its own Redis connections, on one real redis-server → the
 * mock's real-CEC face (msw/node, manual mock clock). Faults can be injected on both hops.
 * Not a test file itself.
 */
import { SEED_CEC_APP_KEY, SEED_CEC_APP_SECRET, seedTenant } from '../../../mock-server/config/seed.js';
import type { Clock } from '../../../mock-server/runtime/clock.js';
import type { ContactCenter } from '../../../mock-server/runtime/contact-center.js';
import { seededRandom } from '../../../mock-server/runtime/faults.js';
import type { ConnectorConfigInput } from '../../../widget/server/connector/config.js';
import { createConnector, type ConnectorHandler, type ConnectorOptions } from '../../../widget/server/connector/connector.js';
import { SessionRunner, type RunnerOptions } from '../../../widget/client/runner.js';
import { fastRunner, memoryStorage } from '../../client/helpers.js';
import { startNodeMock } from '../../node-mock.js';
import { until } from '../../wait.js';

export const T0 = Date.parse('2026-11-25T02:00:00Z'); // a Wednesday, 10:00 in Shanghai
export const CEC_ORIGIN = 'http://cec.test';
export const CONNECTOR_ORIGIN = 'http://connector.test';

/** Fault rates of one hop: dropped before it arrives, dropped after it was served, answered 5xx. */
export interface HopFaults {
  dropBefore: number;
  dropAfter: number;
  error: number;
}
export const NO_FAULTS: HopFaults = { dropBefore: 0, dropAfter: 0, error: 0 };

/** The seed tenant's `demo` channel as the connector's config file describes it, on a Redis store. */
export function redisConnectorConfig(redisUrl: string, keyPrefix: string): ConnectorConfigInput {
  const demo = seedTenant().channels.find((c) => c.id === 'demo')!;
  return {
    // The mock's drops happen before or after the CEC processed a call, never later: no grace needed.
    upstream: { baseUrl: `${CEC_ORIGIN}/cec`, timeoutMs: 5000, pollTimeoutMs: 30_000, pollIdleMs: 0, attempts: 6, unknownSendGraceMs: 0 },
    channels: [
      {
        channelId: 'demo',
        useRobot: true,
        toArtificialKeyWord: demo.transferKeywords,
        queueReminder: demo.queueReminder,
        dialogEnd: { noReplyMinutes: 20, conclusion: '' },
        chatbot: { name: demo.chatbot!.name, gender: demo.chatbot!.gender, transferPrompt: demo.chatbot!.transferPrompt, timeoutReply: demo.chatbot!.timeoutReply },
        texts: { agentConnected: ['Connected to an agent.', '已接通座席。'], idleWarning: [], queueTimeout: [], queueBusy: [], noAgents: [] },
      },
    ],
    store: { type: 'redis', url: redisUrl, keyPrefix },
  };
}

export interface MultiChain {
  cc: ContactCenter;
  clock: Clock;
  connectors: ConnectorHandler[];
  /** The browser's fetch: round robin over the live instances, with the browser-side faults. */
  browserFetch: typeof fetch;
  /** Requests each instance served (index = instance). */
  served: number[];
  logs: Array<Record<string, unknown>>;
  browserFaults: HopFaults;
  /**
   * Turns on the CEC face's own fault injection, as the single-instance faults test does: 20%
   * dropped (half after the CEC processed the call) and 10% 503 on every route but `poll`, which
   * gets the 503s only (the real poll is consume-once: an answer lost after the CEC handed it
   * over is lost for any client).
   */
  upstreamFaults(on: boolean): void;
  /** Takes instance `i` out of the rotation (the load balancer's health check saw it die). */
  remove(i: number): void;
  close(): Promise<void>;
}

const UPSTREAM_ROUTES = ['tokenByAkSk', 'applyToken', 'send', 'queryQueueInfo', 'queryHistoryChatMessage', 'getsatisfactionsurveymode'];

const lost = () => new TypeError('fetch failed (fault injected: connection dropped)');

/**
 * A fetch with faults: `dropBefore` never reaches `target`; `dropAfter` reaches it and the answer
 * is lost; `error` is a 502/503/504 from "the proxy".
 */
export function faulty(target: (input: RequestInfo | URL, init?: RequestInit) => Promise<Response>, faults: HopFaults, random: () => number): typeof fetch {
  return (async (input: RequestInfo | URL, init?: RequestInit) => {
    const roll = random();
    if (roll < faults.dropBefore) throw lost();
    if (roll < faults.dropBefore + faults.error) {
      return new Response('<html>Bad gateway</html>', { status: [502, 503, 504][Math.floor(random() * 3)]!, headers: { 'content-type': 'text/html' } });
    }
    const res = await target(input, init);
    if (roll < faults.dropBefore + faults.error + faults.dropAfter) {
      await res.body?.cancel();
      throw lost();
    }
    return res;
  }) as typeof fetch;
}

/** Starts the mock under msw/node and `n` connector instances on the Redis at `redisUrl`. */
export function startMultiChain(n: number, redisUrl: string, keyPrefix: string, opts: { seed?: number; connector?: Partial<ConnectorOptions> } = {}): MultiChain {
  const mock = startNodeMock({ at: T0, origin: CEC_ORIGIN });
  const { cc, clock } = mock;
  const logs: Array<Record<string, unknown>> = [];
  const random = seededRandom(opts.seed ?? 7);
  const browserFaults = { ...NO_FAULTS };
  const cfg = redisConnectorConfig(redisUrl, keyPrefix);
  const connectors = Array.from({ length: n }, (_, i) =>
    createConnector(cfg, {
      env: { CEC_APP_KEY: SEED_CEC_APP_KEY, CEC_APP_SECRET: SEED_CEC_APP_SECRET },
      log: (r) => logs.push({ instance: i, ...r }),
      instanceId: `instance-${i}`,
      ...opts.connector,
    }),
  );
  const served = connectors.map(() => 0);
  const live = connectors.map((_, i) => i);
  let next = 0;
  const dispatch = (input: RequestInfo | URL, init?: RequestInit) => {
    const i = live[next++ % live.length]!;
    served[i]!++;
    return connectors[i]!(new Request(input, init));
  };
  return {
    cc,
    clock,
    connectors,
    browserFetch: faulty(dispatch, browserFaults, random),
    served,
    logs,
    browserFaults,
    upstreamFaults(on) {
      cc.faults.reset();
      if (!on) return;
      cc.faults.seed(seededRandom((opts.seed ?? 7) * 101));
      for (const route of UPSTREAM_ROUTES) cc.faults.set({ dropRate: 0.2, errorRate: 0.1, latencyMs: 0, jitterMs: 2 }, route);
      cc.faults.set({ dropRate: 0, errorRate: 0.1, latencyMs: 0, jitterMs: 2 }, 'poll');
    },
    remove(i) {
      const at = live.indexOf(i);
      if (at >= 0) live.splice(at, 1);
    },
    close: async () => {
      await Promise.allSettled(connectors.map((c) => c.close()));
      mock.close();
    },
  };
}

/** Waits on a condition (vi.waitFor), never a fixed sleep. */
export { until };

/**
 * The customer's runner (browser side) reaching the connectors through `fetch`: fast backoff
 * timers, storage in memory, 25 s long polls, English. `extra` adds or overrides options.
 */
export function chainRunner(fetch: typeof globalThis.fetch, userId: string, extra: Partial<RunnerOptions> = {}): SessionRunner {
  return new SessionRunner({ baseUrl: CONNECTOR_ORIGIN, channelId: 'demo', userId, userName: userId, locale: 'en', storage: memoryStorage(), ...fastRunner, pollWaitSeconds: 25, fetch, ...extra });
}

/** Starts `r`, asks the chatbot for an agent, and has `alice` (signed in, ready) accept: resolves in the agent phase. */
export async function reachAgent(cc: ContactCenter, r: SessionRunner, userId: string): Promise<void> {
  cc.desk.signIn('alice');
  cc.desk.setReady('alice', true);
  r.start();
  await until('bot', () => r.state.phase === 'bot');
  r.dispatch({ type: 'message.submit', id: r.newId(), text: 'I need an AGENT please', now: r.now(), name: userId });
  await until('queued', () => cc.desk.snapshot('alice').waiting.some((w) => w.customerName.includes(userId)));
  cc.desk.accept('alice', cc.desk.snapshot('alice').waiting.find((w) => w.customerName.includes(userId))!.sessionId);
  await until('agent', () => r.state.phase === 'agent');
}
