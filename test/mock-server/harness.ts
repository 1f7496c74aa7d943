/**
 * The mock contact center as its tests drive it through the HTTP contract: a manual clock, the
 * seed tenant (edited per test), the MSW handlers, and `call()` answered by them (`getResponse`,
 * no network); a customer of our contract on it (`contractCustomer`) and a chat with an agent
 * (`chatWithAgent`). Not a test file itself.
 */
import { getResponse } from 'msw';
import { seedTenant } from '../../mock-server/config/seed.js';
import { TenantStore } from '../../mock-server/config/store.js';
import type { Tenant } from '../../mock-server/config/types.js';
import { createHandlers } from '../../mock-server/handlers/index.js';
import { Clock } from '../../mock-server/runtime/clock.js';
import { ContactCenter } from '../../mock-server/runtime/contact-center.js';
import { customerSend, type SendRequest } from '../../mock-server/runtime/customer-send.js';
import { API_PATH } from '../../widget/core/protocol.js';

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

/** Every customer send of this module gets its own clientMessageId (a repeated one is answered from the first). */
let sends = 0;

/**
 * A customer of channel `demo` on our contract, through the harness's `call`: applyToken, then
 * `send`, `poll` (no wait unless asked) and `history` (`queryHistoryChatMessage`, extra body fields such as
 * `limit`) with its token. Each answers `{status, headers, body}` as `call` does.
 */
export async function contractCustomer(h: Pick<MockHarness, 'call' | 'clock'>, userId: string) {
  const token = (await h.call('POST', `${API_PATH}/applyToken`, { channelId: 'demo', userId })).body.token as string;
  const auth = { 'ccmessaging-token': token };
  return {
    userId,
    send: (controlType: SendRequest['controlType'], content = '') =>
      h.call('POST', `${API_PATH}/send`, customerSend({ userId, controlType, content, timestamp: h.clock.now(), clientMessageId: `${userId}-${++sends}` }), auth),
    poll: (cursor = 0, waitSeconds = 0) => h.call('GET', `${API_PATH}/poll?receiverId=${userId}&channel=WEB&cursor=${cursor}&wait=${waitSeconds}`, undefined, auth),
    history: (body: Record<string, unknown> = {}) => h.call('POST', `${API_PATH}/queryHistoryChatMessage`, { userId, channelId: 'demo', ...body }, auth),
  };
}

export type ContractCustomer = Awaited<ReturnType<typeof contractCustomer>>;

/** `customer` asks for an agent (CONNECT, TRANS2AGENT) and `account`, signed in and ready, accepts. */
export async function chatWithAgent(h: Pick<MockHarness, 'cc'>, customer: Pick<ContractCustomer, 'send'>, account = 'alice'): Promise<void> {
  h.cc.desk.signIn(account);
  h.cc.desk.setReady(account, true);
  for (const step of ['CONNECT', 'TRANS2AGENT'] as const) {
    const res = await customer.send(step);
    if (res.status !== 200) throw new Error(`${step} answered ${res.status}: ${JSON.stringify(res.body)}`);
  }
  h.cc.desk.accept(account);
}
