/**
 * The host page's helper: starts the mock contact center in this page (MSW worker) with a
 * manual clock, so screenshots and CSP tests can put the widget in any state through `/mock`.
 */
import { startBrowserMock } from '../mock-server/browser.js';
import { Clock } from '../mock-server/runtime/clock.js';

const manual = new URLSearchParams(location.search).has('manual-clock');
await startBrowserMock(manual ? { clock: new Clock('manual') } : {});
document.body.dataset.ready = 'true';
