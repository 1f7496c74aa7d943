/**
 * The README's React 19 and Vue 3 examples, as built by `npm run build` (dist/demo/examples), run
 * in Chromium against the mock: each mounts <cec-chat>, passes `authorization` as a property (a
 * function, never an attribute) and receives a `cec-message` event from the chatbot.
 */
import { expect, waitUntil } from '@open-wc/testing';
import { startBrowserMock } from '../../mock-server/browser.js';
import { Clock } from '../../mock-server/runtime/clock.js';
import type { CecChatElement } from '../../widget/ui/chat/cec-chat.component.js';

type Props = { channelId: string; user: { id: string; name: string }; getSignature: () => Promise<string>; onMessage: (d: { author: string; text: string }) => void };
type Example = { mount: (container: HTMLElement, props: Props) => { unmount(): void } };

const clock = new Clock('manual', Date.parse('2026-11-25T10:00:00Z'));
const { worker } = await startBrowserMock({ clock });
after(() => worker.stop());

// Built files, served by the test runner from the project root; a variable keeps esbuild from bundling them.
const built = (name: string) => `/dist/demo/examples/${name}.js`;
const examples: Record<string, () => Promise<Example>> = {
  'React 19': async () => ({ mount: (await import(/* @vite-ignore */ built('react'))).mountReactExample }),
  'Vue 3': async () => ({ mount: (await import(/* @vite-ignore */ built('vue'))).mountVueExample }),
};

let n = 0;
for (const [name, load] of Object.entries(examples)) {
  describe(`the ${name} example`, () => {
    it('mounts the element, passes authorization as a property and receives a cec-message event', async () => {
      sessionStorage.clear();
      const { mount } = await load();
      const container = document.createElement('div');
      document.body.append(container);
      const messages: { author: string; text: string }[] = [];
      const getSignature = async () => 'not-needed-on-an-unsigned-channel';
      const app = mount(container, { channelId: 'demo', user: { id: `fw-${++n}-${Date.now()}`, name: 'Wang Fang' }, getSignature, onMessage: (d) => messages.push(d) });
      try {
        await waitUntil(() => container.querySelector('cec-chat'), `${name} rendered <cec-chat>`, { timeout: 5000 });
        const el = container.querySelector('cec-chat') as CecChatElement & { authorization?: unknown };
        expect(el.getAttribute('channel-id')).to.equal('demo');
        expect(el.authorization).to.equal(getSignature);
        expect(el.hasAttribute('authorization')).to.equal(false);
        el.show();
        await waitUntil(() => messages.some((m) => m.author === 'bot' && m.text.includes('Ava')), `${name} received the chatbot's greeting as a cec-message`, { timeout: 5000 });
      } finally {
        app.unmount();
        container.remove();
      }
    });
  });
}
