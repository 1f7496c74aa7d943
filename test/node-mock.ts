/**
 * The mock contact center under msw/node for Node tests: `fetch` in the test process reaches its
 * handlers (both faces: our contract and the real-CEC `/cec` face), session timing follows a
 * manual mock clock that only the test moves. Not a test file itself.
 *
 * - `useNodeMock(opts)` — for a test file: call it once at module level; it starts listening in
 *   `beforeAll`, resets per-test handler overrides (`server.use`) in `afterEach` and closes in
 *   `afterAll`.
 * - `startNodeMock(opts)` — for a builder that starts a mock inside a test (a chain per test):
 *   listens at once; the caller calls `close()`.
 */
import { type SetupServer, setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { seedTenant } from '../mock-server/config/seed.js';
import { TenantStore } from '../mock-server/config/store.js';
import type { Tenant } from '../mock-server/config/types.js';
import { cecFaceOf } from '../mock-server/handlers/cec/index.js';
import { createHandlers } from '../mock-server/handlers/index.js';
import { Clock } from '../mock-server/runtime/clock.js';
import { ContactCenter } from '../mock-server/runtime/contact-center.js';

export interface NodeMockOptions {
  /** Where the manual mock clock starts (epoch ms). Default: 2026-11-25T02:00:00Z, a Wednesday, 10:00 in Shanghai. */
  at?: number;
  /** Edits the seed tenant before the mock reads it (and again on every reset of the tenant). */
  edit?: (t: Tenant) => void;
  /** The origin the handlers answer on, e.g. `http://cec.test`; default `*` (any origin). */
  origin?: string;
  /** Whether the seed's auto-agents start (default true, as in the demo). */
  autoAgents?: boolean;
}

export interface NodeMock {
  cc: ContactCenter;
  /** The manual mock clock: `advance(ms)` moves session timing (queues, idle rule, tokens). */
  clock: Clock;
  /** The real-CEC face's test hooks (the tenant's AK/SK, tokens). */
  face: ReturnType<typeof cecFaceOf>;
  server: SetupServer;
  close(): void;
}

/** The default start of the mock clock: a Wednesday, 10:00 in Shanghai (work time in the seed). */
export const MOCK_T0 = Date.parse('2026-11-25T02:00:00Z');

function build(opts: NodeMockOptions): NodeMock {
  const clock = new Clock('manual', opts.at ?? MOCK_T0);
  const edit = opts.edit;
  const store = edit
    ? new TenantStore(() => {
        const t = seedTenant();
        edit(t);
        return t;
      })
    : new TenantStore();
  const cc = new ContactCenter({ clock, store });
  if (opts.autoAgents !== false) cc.desk.startAutoAgents();
  const server = setupServer(...createHandlers(cc, { servedBy: 'node', origin: opts.origin }));
  return { cc, clock, face: cecFaceOf(cc), server, close: () => server.close() };
}

/** Starts the mock now (listening, unhandled requests are errors); the caller closes it. */
export function startNodeMock(opts: NodeMockOptions = {}): NodeMock {
  const mock = build(opts);
  mock.server.listen({ onUnhandledRequest: 'error' });
  return mock;
}

/**
 * The mock for one test file, its life wired to the file's hooks: listen in beforeAll,
 * resetHandlers in afterEach, close in afterAll. Call at module level.
 */
export function useNodeMock(opts: NodeMockOptions = {}): NodeMock {
  const mock = build(opts);
  beforeAll(() => mock.server.listen({ onUnhandledRequest: 'error' }));
  afterEach(() => mock.server.resetHandlers());
  afterAll(() => mock.server.close());
  return mock;
}
