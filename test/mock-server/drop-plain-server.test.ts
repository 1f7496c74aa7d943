/**
 * A dropped request on the plain HTTP server is no answer: the socket closes with nothing
 * written (not a truncated 200 read as an empty answer), before and after the resolver ran.
 */
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_PATH } from '../../widget/core/protocol.js';
import { createMockHttpServer } from '../../mock-server/http/server.js';
import { Clock } from '../../mock-server/runtime/clock.js';

describe('a dropped request on the plain HTTP server', () => {
  const { server, cc } = createMockHttpServer({ clock: new Clock('manual', Date.UTC(2026, 0, 5, 10)) });
  let base = '';

  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    cc.clock.clear();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('closes the connection with nothing sent, whichever half of the drop is decided', async () => {
    let flip = 0;
    // Below 0.5: dropped before the resolver; above: after it answered (Faults.decide).
    cc.faults.seed(() => (flip++ % 4 < 2 ? 0.1 : 0.9));
    cc.faults.set({ dropRate: 1 }, 'queryChannelConfig');
    try {
      for (let k = 0; k < 4; k++) {
        const failure = await fetch(`${base}${API_PATH}/queryChannelConfig?channelId=demo`, { signal: AbortSignal.timeout(10_000) })
          .then((res) => res.text())
          .then(
            (text) => `answered: ${text}`,
            (e: unknown) => e,
          );
        expect(failure).toBeInstanceOf(TypeError);
      }
    } finally {
      cc.faults.reset();
    }
    // With the fault off the same request is answered.
    const res = await fetch(`${base}${API_PATH}/queryChannelConfig?channelId=demo`, { signal: AbortSignal.timeout(10_000) });
    expect(res.status).toBe(200);
  });
});
