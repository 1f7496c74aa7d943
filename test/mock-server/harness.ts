/**
 * The mock contact center as its tests drive it through the HTTP contract: a manual clock, the
 * seed tenant (edited per test), the MSW handlers, and `call()` answered by them (`getResponse`,
 * no network). Not a test file itself.
 */
import { getResponse } from 'msw';
import { seedTenant } from '../../mock-server/config/seed.js';
import { TenantStore } from '../../mock-server/config/store.js';
import type { Tenant } from '../../mock-server/config/types.js';
import { createHandlers } from '../../mock-server/handlers/index.js';
import { Clock } from '../../mock-server/runtime/clock.js';
import { ContactCenter } from '../../mock-server/runtime/contact-center.js';

/** A Wednesday, 10:00 in Shanghai: work time. */
export const T0 = Date.parse('2026-11-25T02:00:00Z');

export interface MockHarnessOptions {
  /** Changes the seed tenant before the contact center starts. */
  edit?: (t: Tenant) => void;
  /** The contact center's wall clock (signatures); default the real one. */
  wallClock?: () => number;
}

/** A fresh contact center on a manual clock at T0, and `call(method, path, body?, headers?)` through its handlers. */
export function mockHarness(o: MockHarnessOptions = {}) {
  const clock = new Clock('manual', T0);
  const cc = new ContactCenter({
    clock,
    ...(o.wallClock ? { wallClock: o.wallClock } : {}),
    store: new TenantStore(() => {
      const t = seedTenant();
      o.edit?.(t);
      return t;
    }),
  });
  const handlers = createHandlers(cc, { servedBy: 'node' });
  /** Answers a request at `http://mock.test{path}`; a JSON body gets its content-type; a network error's body is null. */
  async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
    const init: RequestInit = { method, headers: { ...headers } };
    if (body !== undefined) {
      init.body = JSON.stringify(body);
      (init.headers as Record<string, string>)['content-type'] = 'application/json';
    }
    const res = (await getResponse(handlers, new Request(`http://mock.test${path}`, init)))!;
    return { status: res.status, headers: res.headers, body: res.type === 'error' ? null : await res.json() };
  }
  return { clock, cc, handlers, call };
}

export type MockHarness = ReturnType<typeof mockHarness>;
