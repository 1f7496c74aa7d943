/**
 * The host page's helper: starts the mock contact center in this page (MSW worker) with a
 * manual clock, so screenshots and CSP tests can put the widget in any state through `/mock`.
 */
import { startBrowserMock } from '../mock-server/browser.js';
import { Clock } from '../mock-server/runtime/clock.js';

const params = new URLSearchParams(location.search);
// ?mock=http: talk to the demo server's own mock instead of one in this page.
if (params.get('mock') !== 'http') await startBrowserMock(params.has('manual-clock') ? { clock: new Clock('manual') } : {});
document.body.dataset.ready = 'true';
