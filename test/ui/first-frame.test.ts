/**
 * Issue 12, case 21: with `locale: 'ar'` the customer never sees the widget in English or
 * left-to-right, even when the Arabic strings arrive late. The strings' loader is held back by
 * the test until it lets go, so the test does not depend on timing: every DOM state the browser
 * could paint is checked (a MutationObserver runs before each paint), while the strings are
 * held back and after.
 */
import { expect } from '@open-wc/testing';
import { startBrowserMock } from '../../mock-server/browser.js';
import { Clock } from '../../mock-server/runtime/clock.js';
import type { CecChatElement } from '../../widget/ui/chat/cec-chat.component.js';
import { defineCecChat } from '../../widget/ui/define.js';
import { ar } from '../../widget/ui/i18n/ar.js';
import { en } from '../../widget/ui/i18n/en.js';
import { registerTranslation } from '../../widget/ui/i18n/index.js';
import { until } from './helpers.js';

const { worker } = await startBrowserMock({ clock: new Clock('manual', Date.parse('2026-11-25T10:00:00Z')) });
after(() => worker.stop());
defineCecChat();

/** Every English string of the widget (long enough not to occur by chance in other text). */
const ENGLISH = Object.values({ ...en, ...en.errors }).filter((v): v is string => typeof v === 'string' && v.length > 4 && v !== 'en');

it("locale 'ar': right-to-left and Arabic from the first frame, the session started in Arabic, while the strings load late", async () => {
  let release!: () => void;
  const held = new Promise<void>((r) => (release = r));
  registerTranslation('ar', () => held.then(() => ar));

  sessionStorage.clear();
  const tokens: string[] = [];
  const el = document.createElement('cec-chat') as CecChatElement;
  el.setAttribute('channel-id', 'demo');
  el.setAttribute('user-id', `rtl-${Date.now()}`);
  el.setAttribute('locale', 'ar');
  el.fetchImpl = (input, init) => {
    if (String(input).includes('/applyToken')) tokens.push(JSON.parse(String(init?.body)).locale);
    return fetch(input, init);
  };
  const wrong: string[] = [];
  let checks = 0;
  const check = () => {
    const root = el.shadowRoot?.querySelector('.root');
    if (!root) return;
    checks++;
    if (root.getAttribute('dir') !== 'rtl') wrong.push(`dir=${root.getAttribute('dir')}`);
    if (!root.getAttribute('lang')?.startsWith('ar')) wrong.push(`lang=${root.getAttribute('lang')}`);
    const launcher = el.shadowRoot!.querySelector('button.launcher')!.getBoundingClientRect();
    if (launcher.left > innerWidth / 2) wrong.push('launcher in the right-hand corner');
    const shown = [root.textContent ?? '', ...[...root.querySelectorAll('*')].flatMap((e) => ['aria-label', 'placeholder', 'title'].map((a) => e.getAttribute(a) ?? ''))].join('\n');
    for (const s of ENGLISH) if (shown.includes(s)) wrong.push(`English: ${s}`);
  };
  document.body.append(el);
  const seen = new MutationObserver(check);
  seen.observe(el.shadowRoot!, { subtree: true, childList: true, characterData: true, attributes: true });
  try {
    await el.updateComplete;
    el.shadowRoot!.querySelector<HTMLButtonElement>('button.launcher')!.click();
    await el.updateComplete;
    await import('../../widget/ui/chat/panel.js'); // the panel's code is here; only the strings are held back
    await until(() => el.shadowRoot!.querySelector('.early textarea') !== null, 'the early panel waits for its language');
    expect(tokens, 'no session before the Arabic strings').to.deep.equal([]);

    release();
    await until(() => el.shadowRoot!.querySelector('button.chip')?.textContent === 'التحدث إلى موظف', 'the panel in Arabic');
    await until(() => el.shadowRoot!.querySelector('.transcript')?.textContent?.includes('Ava') ?? false, 'the greeting');
    check();
    expect(tokens).to.deep.equal(['ar']);
    expect(checks).to.be.greaterThan(2);
    expect([...new Set(wrong)]).to.deep.equal([]);
  } finally {
    seen.disconnect();
    el.remove();
  }
});
