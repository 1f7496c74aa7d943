/** The mock under msw/node, for Node tests: `fetch` in the test process reaches the handlers. */
import { setupServer } from 'msw/node';
import { createHandlers } from './handlers/index.js';
import { ContactCenter, type ContactCenterOptions } from './runtime/contact-center.js';

export function startNodeMock(opts: ContactCenterOptions = {}) {
  const cc = new ContactCenter(opts);
  cc.desk.startAutoAgents();
  const server = setupServer(...createHandlers(cc));
  server.listen({ onUnhandledRequest: 'error' });
  return { cc, server };
}
