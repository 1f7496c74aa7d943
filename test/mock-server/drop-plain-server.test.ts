/**
 * A dropped request on the plain HTTP server is no answer: the socket closes with nothing
 * written (not a truncated 200 read as an empty answer), before and after the resolver ran.
 */
import { describe, expect, it } from 'vitest';
import { API_PATH } from '../../widget/core/protocol.js';
import { Clock } from '../../mock-server/runtime/clock.js';
import { usePlainMockServer } from './plain-server.js';

describe('a dropped request on the plain HTTP server', () => {
  const { cc, base } = usePlainMockServer({ clock: new Clock('manual', Date.UTC(2026, 0, 5, 10)) });

  it('closes the connection with nothing sent, whichever half of the drop is decided', async () => {
    let flip = 0;
    // Below 0.5: dropped before the resolver; above: after it answered (Faults.decide).
    cc.faults.seed(() => (flip++ % 4 < 2 ? 0.1 : 0.9));
    cc.faults.set({ dropRate: 1 }, 'queryChannelConfig');
    try {
      for (let k = 0; k < 4; k++) {
        const failure = await fetch(`${base()}${API_PATH}/queryChannelConfig?channelId=demo`, { signal: AbortSignal.timeout(10_000) })
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
    const res = await fetch(`${base()}${API_PATH}/queryChannelConfig?channelId=demo`, { signal: AbortSignal.timeout(10_000) });
    expect(res.status).toBe(200);
  });
});
