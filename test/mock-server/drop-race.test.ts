/**
 * A dropped request whose client gives up in the same tick (a runner aborting its poll from a
 * promise continuation) must stay a "no answer" for that client and leave nothing unhandled
 * behind in msw/node. A network-error Response (`HttpResponse.error()`) makes the interceptor
 * reject its pending response promise at once; an abort that lands before the interceptor has
 * finished the request then trips its "already handled" invariant, fetch rejects with that
 * error instead, and the first rejection is never awaited: "Unhandled Rejection: TypeError:
 * Failed to fetch". Every microtask depth of the abort is tried, so the window is hit whatever
 * the library's exact number of steps.
 */
import { http, type HttpHandler } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { droppedAnswer, withFaults } from '../../mock-server/handlers/http-util.js';
import { Faults } from '../../mock-server/runtime/faults.js';

const URL_ = 'http://drop-race.test/poll';
/** Microtask depths at which the client aborts, counted from the moment the handler is called. */
const DEPTHS = 60;

/** Where the test sets the next abort: the handler calls it as MSW hands it the request. */
let onHandled: () => void = () => {};

/** A route whose every request is dropped, half before the resolver runs and half after (random alternates below/above 0.5). */
function droppingHandler(): HttpHandler {
  let flip = 0;
  const faults = new Faults(() => (flip++ % 4 < 2 ? 0.1 : 0.9));
  faults.set({ dropRate: 1 });
  const resolver = withFaults(faults, 'poll', 'node', () => new Response('{"answer":true}', { headers: { 'content-type': 'application/json' } }));
  return http.get(URL_, (info) => {
    onHandled();
    return resolver(info);
  });
}

const server = setupServer();

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterAll(() => server.close());

/** Resolves after `n` microtasks. */
async function microtasks(n: number): Promise<void> {
  for (let i = 0; i < n; i++) await Promise.resolve();
}

/** Every rejection nobody handled while `run` and the macrotasks after it ran. */
async function unhandledDuring(run: () => Promise<void>): Promise<unknown[]> {
  const seen: unknown[] = [];
  const listener = (reason: unknown) => void seen.push(reason);
  process.on('unhandledRejection', listener);
  try {
    await run();
    // Unhandled rejections are reported after the microtask drain: let a few macrotasks pass.
    for (let i = 0; i < 3; i++) await new Promise((r) => setImmediate(r));
  } finally {
    process.off('unhandledRejection', listener);
  }
  return seen;
}

describe('a dropped request aborted by its client in the same tick', () => {
  it('is a failed fetch for the client at every abort depth, with no unhandled rejection', async () => {
    server.use(droppingHandler());
    const outcomes = new Set<string>();
    const unhandled = await unhandledDuring(async () => {
      for (let depth = 0; depth < DEPTHS; depth++) {
        for (let k = 0; k < 2; k++) {
          // k alternates the drop before and after the resolver (see droppingHandler's random).
          const abort = new AbortController();
          onHandled = () => void microtasks(depth).then(() => abort.abort());
          try {
            const res = await fetch(URL_, { signal: abort.signal });
            // Under Node a drop answers with a body that fails on its first read.
            await res.text();
            outcomes.add('answered');
          } catch (e) {
            outcomes.add(e instanceof Error ? e.name : typeof e);
          }
        }
      }
    });
    onHandled = () => {};
    expect(unhandled.map(String)).toEqual([]);
    // No drop reached its client as an answer it could read.
    expect(outcomes.has('answered')).toBe(false);
  });

  it('is a failed fetch when nobody aborts, before and after the resolver', async () => {
    server.use(droppingHandler());
    for (let k = 0; k < 4; k++) {
      const failure = await fetch(URL_)
        .then((res) => res.text())
        .then(
          () => null,
          (e: unknown) => e,
        );
      expect(failure).toBeInstanceOf(TypeError);
    }
  });
});

describe('the answer of a drop follows the serving path its creator names', () => {
  it("'worker' (MSW's browser worker) is a network error; 'node' a 200 whose body fails on its first read", async () => {
    expect(droppedAnswer('worker').type).toBe('error');
    const node = droppedAnswer('node');
    expect([node.type, node.status]).toEqual(['default', 200]);
    await expect(node.text()).rejects.toBeInstanceOf(TypeError);
  });
});
