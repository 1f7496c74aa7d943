/**
 * Issue 18, no long task at load: the script tag's module defines `<cec-chat>` in a task after
 * its own evaluation. The page's calls made before the define (queued by the stub, and made
 * right after the module ran) work as they do after it, in order, events included.
 * This file imports no helper that defines the element: the script tag's module does.
 */
import { expect, waitUntil } from '@open-wc/testing';
import { startBrowserMock } from '../../mock-server/browser.js';
import { Clock } from '../../mock-server/runtime/clock.js';
import type { CecChatElement } from '../../widget/ui/chat/cec-chat.component.js';

const { cc, worker } = await startBrowserMock({ clock: new Clock('manual', Date.parse('2026-11-25T10:00:00Z')) });
after(() => worker.stop());

type Api = ((...args: unknown[]) => unknown) & { q?: unknown[] };

it('calls made before <cec-chat> is defined (queued, and right after the module ran) work, in order', async () => {
  sessionStorage.clear();
  const userId = `define-${Date.now()}`;
  // The README's stub snippet, and calls made before the widget's module arrives.
  const stub: Api = (...args: unknown[]) => {
    (stub.q = stub.q || []).push(args);
  };
  window.CecChat = stub;
  const events: string[] = [];
  stub('init', { channelId: 'demo', userId, locale: 'en' });
  stub('on', 'cec-open', () => events.push('open'));
  stub('open');

  await import('../../widget/script-tag.js');
  // The module has run; the element is defined in a later task.
  expect(customElements.get('cec-chat'), 'not defined in the module evaluation task').to.equal(undefined);
  const api = window.CecChat as Api;
  const el = document.querySelector('cec-chat') as CecChatElement;
  expect(el, 'mounted by init').to.not.equal(null);
  api('send', 'sent before the define');

  await waitUntil(() => customElements.get('cec-chat') !== undefined, 'defined', { timeout: 5000 });
  await waitUntil(() => el.shadowRoot?.querySelector('.transcript')?.textContent?.includes('sent before the define') ?? false, 'the message is shown', { timeout: 5000 });
  expect(el.open).to.equal(true);
  expect(el.userId, 'a property set before the upgrade is kept').to.equal(userId);
  expect(events).to.deep.equal(['open']);
  await waitUntil(() => el.sessionState?.transcript.some((m) => m.text === 'sent before the define' && m.status !== 'sending') ?? false, 'acknowledged', { timeout: 5000 });
  expect(cc.findStream('demo', userId)!.messages.filter((m) => m.content === 'sent before the define')).to.have.length(1);

  api('close');
  await waitUntil(() => !el.open, 'closed after the define, at once');
  await api('destroy');
  expect(document.querySelector('cec-chat')).to.equal(null);
});
