/** The mock's plain Node HTTP server (`npm run mock`) for the tests of one file or describe. */
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll } from 'vitest';
import { createMockHttpServer, type MockHttpServerOptions } from '../../mock-server/http/server.js';

/**
 * Creates the server with `options`, listens on 127.0.0.1 port 0 before the tests and, after
 * them, drops the mock clock's timers and closes every connection and the server. `port()` and
 * `base()` (`http://127.0.0.1:PORT`) are known once the tests run.
 */
export function usePlainMockServer(options: MockHttpServerOptions) {
  const { server, cc } = createMockHttpServer(options);
  let port = 0;
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    cc.clock.clear();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return { server, cc, port: () => port, base: () => `http://127.0.0.1:${port}` };
}
