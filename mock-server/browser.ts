/**
 * The mock in a browser page (the demo): MSW's service worker forwards the page's requests to
 * handlers running in this page, so the contact center lives in the page that started it.
 */
import { setupWorker } from 'msw/browser';
import { createHandlers } from './handlers/index.js';
import { ContactCenter, type ContactCenterOptions } from './runtime/contact-center.js';

export async function startBrowserMock(opts: ContactCenterOptions & { quiet?: boolean } = {}) {
  const cc = new ContactCenter(opts);
  cc.desk.startAutoAgents();
  const worker = setupWorker(...createHandlers(cc, { servedBy: 'worker' }));
  await worker.start({ onUnhandledRequest: 'bypass', quiet: opts.quiet ?? true });
  return { cc, worker };
}
