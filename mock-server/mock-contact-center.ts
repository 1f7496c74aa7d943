/**
 * `cec-web-chat/mock`: the mock contact center for integrators' own tests. Hand its `handlers`
 * to MSW (`setupServer` from `msw/node` in Vitest or Jest, `setupWorker` from `msw/browser` in a
 * Playwright-driven page, then created with `servedBy: 'worker'`) and drive the contact center
 * with the controls below: move the clock, sign agents in, accept and answer a customer, inject
 * faults.
 *
 * ```ts
 * const cc = createMockContactCenter();
 * const server = setupServer(...cc.handlers);
 * server.listen();
 * // … the page or code under test starts a chat on channel "demo" and asks for an agent …
 * cc.agents.signIn('alice');
 * cc.agents.accept('alice');
 * cc.agents.send('alice', 'Hello, I am Alice.');
 * cc.clock.advance(20 * 60_000); // the idle rule, in a millisecond
 * ```
 *
 * The channel API is served at `/apiaccess/ccmessaging/*` and the mock's own APIs at `/mock/*`
 * on any origin (see the README, "The mock contact center"). `msw` is a peer dependency of this
 * entry only.
 */
import type { HttpHandler } from 'msw';
import { seedTenant } from './config/seed.js';
import { TenantStore } from './config/store.js';
import type { Tenant } from './config/types.js';
import type { AgentSnapshot } from './runtime/agents.js';
import { Clock } from './runtime/clock.js';
import { ContactCenter } from './runtime/contact-center.js';
import { type FaultSettings, seededRandom } from './runtime/faults.js';
import { createHandlers, type ServedBy } from './handlers/index.js';

export { DEMO_SECRET_KEY, seedTenant } from './config/seed.js';
export type { Tenant } from './config/types.js';
export type { AgentSnapshot } from './runtime/agents.js';
export type { FaultSettings } from './runtime/faults.js';
export type { ServedBy } from './handlers/index.js';

export interface MockContactCenterOptions {
  /**
   * The tenant (channels, skill queues, agents, chatbot…), or a function that makes a fresh one
   * for every `reset()`. Default: the seeded demo tenant (channel `demo`, agents `alice` and `bob`).
   */
  tenant?: Tenant | (() => Tenant);
  /**
   * `manual` (default): time stands still until `clock.advance()`, so a test decides when a queue
   * reminder or an idle timeout happens. `real`: time follows the wall clock (a dev server).
   */
  clock?: 'manual' | 'real';
  /** Epoch ms the clock starts at (default: now). Pick a weekday morning to be inside work time. */
  startAt?: number;
  /** Start the tenant's auto-agents (agents that accept and answer by themselves). Default false. */
  autoAgents?: boolean;
  /** Seed for the random choices of fault injection, so a faulty run can be replayed. */
  faultSeed?: number;
  /**
   * Who serves `handlers`: `node` (default) for `setupServer` from `msw/node`, `worker` for
   * `setupWorker` from `msw/browser`. It decides how an injected drop reaches the client: a
   * network error in a page, an answer whose body breaks off under Node.
   */
  servedBy?: ServedBy;
}

/** What `createMockContactCenter` returns: MSW handlers plus the controls of a test. */
export interface MockContactCenter {
  /** MSW request handlers for `setupServer(...handlers)` or `setupWorker(...handlers)`. */
  readonly handlers: HttpHandler[];
  readonly clock: {
    /** The contact center's time, epoch ms. */
    now(): number;
    /** Moves time forward by `ms`, firing every reminder, timeout and reply that falls due. */
    advance(ms: number): void;
  };
  readonly agents: {
    /** Signs the agent in and makes them ready (idle), so queued customers can be accepted. */
    signIn(account: string): AgentSnapshot;
    signOut(account: string): AgentSnapshot;
    setReady(account: string, ready: boolean): AgentSnapshot;
    /** Accepts the longest-waiting customer of the agent's queues, or the given session. */
    accept(account: string, sessionId?: string): AgentSnapshot;
    /** Sends a text message from the agent to the customer they are serving. */
    send(account: string, text: string): AgentSnapshot;
    typing(account: string, typing: boolean): AgentSnapshot;
    /** Moves the agent's customer to another skill queue. */
    transfer(account: string, queueName: string): AgentSnapshot;
    /** Ends the agent's chat (the customer is offered the rating). */
    end(account: string): AgentSnapshot;
    /** The agent's status, current customer and transcript. */
    snapshot(account: string): AgentSnapshot;
  };
  readonly faults: {
    /** Injects latency, dropped requests or 5xx answers, on every route or on one (e.g. `send`). */
    set(settings: Partial<FaultSettings>, route?: string): void;
    reset(): void;
  };
  /** Forgets every session, token and agent state and restores the tenant; the clock keeps its time. */
  reset(): void;
  /** The runtime itself, for what the controls above do not cover. */
  readonly contactCenter: ContactCenter;
}

/**
 * Creates a mock contact center for tests. Each call is independent: two in one process do not
 * share sessions, agents or time.
 * @throws {RangeError} when `startAt` is not a finite number, or `servedBy` is neither `node` nor `worker`.
 */
export function createMockContactCenter(options: MockContactCenterOptions = {}): MockContactCenter {
  const startAt = options.startAt ?? Date.now();
  if (!Number.isFinite(startAt)) throw new RangeError('createMockContactCenter: startAt must be a finite number (epoch ms)');
  const servedBy = options.servedBy ?? 'node';
  if (servedBy !== 'node' && servedBy !== 'worker') throw new RangeError('createMockContactCenter: servedBy must be "node" (msw/node) or "worker" (msw/browser)');
  const tenant = options.tenant ?? seedTenant;
  const makeTenant = typeof tenant === 'function' ? tenant : () => structuredClone(tenant);
  const cc = new ContactCenter({ store: new TenantStore(makeTenant), clock: new Clock(options.clock ?? 'manual', startAt) });
  if (options.faultSeed !== undefined) cc.faults.seed(seededRandom(options.faultSeed));
  if (options.autoAgents) cc.desk.startAutoAgents();
  const desk = cc.desk;
  return {
    handlers: createHandlers(cc, { servedBy }),
    clock: { now: () => cc.clock.now(), advance: (ms) => cc.clock.advance(ms) },
    agents: {
      signIn: (account) => {
        desk.signIn(account);
        return desk.setReady(account, true);
      },
      signOut: (account) => desk.signOut(account),
      setReady: (account, ready) => desk.setReady(account, ready),
      accept: (account, sessionId) => desk.accept(account, sessionId),
      send: (account, text) => desk.send(account, text),
      typing: (account, typing) => desk.typing(account, typing),
      transfer: (account, queueName) => desk.transfer(account, queueName),
      end: (account) => desk.end(account),
      snapshot: (account) => desk.snapshot(account),
    },
    faults: { set: (settings, route) => cc.faults.set(settings, route), reset: () => cc.faults.reset() },
    reset: () => {
      cc.store.reset();
      cc.resetRuntime();
      if (options.autoAgents) cc.desk.startAutoAgents();
    },
    contactCenter: cc,
  };
}
