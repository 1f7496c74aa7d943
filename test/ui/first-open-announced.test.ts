/**
 * The dialog is announced once: the early frame drawn on the click and the panel that takes it
 * over are one dialog element, so a screen reader hears "Customer service, dialog" once, not a
 * second time when the panel's code replaces the early frame. Read from Chromium's accessibility
 * tree (the snapshot screen readers are given) at each step and from the focus events.
 */
import { expect, fixture, html } from '@open-wc/testing';
import { executeServerCommand, sendKeys } from '@web/test-runner-commands';
import { startBrowserMock } from '../../mock-server/browser.js';
import { Clock } from '../../mock-server/runtime/clock.js';
import type { CecChatElement } from '../../widget/ui/chat/cec-chat.component.js';
import { $, shadow, transcriptText, until } from './helpers.js';
import { manualClock } from './manual-clock.js';

const { worker } = await startBrowserMock({ clock: new Clock('manual', Date.parse('2026-11-25T11:00:00Z')) });
after(() => worker.stop());

type AxNode = { name: string; node: number; focused: boolean };

/** The nodes of a role in Chromium's full accessibility tree (see ax-tree-plugin.mjs). */
const axNodes = (role: string) => executeServerCommand<AxNode[], { role: string }>('ax-nodes', { role });

/** Counts each time focus moves into a dialog from outside it (what a screen reader announces as entering the dialog). */
function dialogEntries(el: CecChatElement) {
  const entered: Element[] = [];
  let last: Element | null = null;
  shadow(el).addEventListener('focusin', (e) => {
    const dialog = (e.target as Element).closest('[role="dialog"]');
    if (dialog && dialog !== last) entered.push(dialog);
    last = dialog;
  });
  return entered;
}

describe('the dialog is announced once', () => {
  for (const how of ['a click', 'the keyboard', 'the page (show)'] as const) {
    it(`opened by ${how}: one dialog in the accessibility tree at each step, focus enters it once, the typed text stays`, async () => {
      sessionStorage.clear();
      // The element's clock holds the early frame's hand-over to the panel until the test moves it.
      const time = manualClock(Date.now());
      const el = await fixture<CecChatElement>(html`<cec-chat channel-id="demo" user-id=${`once-${Date.now()}`} locale="en" .clock=${time.clock}></cec-chat>`);
      const entered = dialogEntries(el);
      const launcher = $<HTMLButtonElement>(el, 'button.launcher')!;
      if (how === 'a click') launcher.click();
      else if (how === 'the keyboard') {
        launcher.focus();
        await sendKeys({ press: 'Enter' });
      } else el.show();
      await el.updateComplete;
      // Step 1: the early frame, before the panel's code or the session.
      const first = $(el, '[role="dialog"]')!;
      expect(first.classList.contains('early'), 'the early frame').to.equal(true);
      const [early, ...others] = await axNodes('dialog');
      expect(others, 'one dialog in the tree (the early frame)').to.have.length(0);
      expect(early!.name).to.equal('Customer service');
      await sendKeys({ type: 'Hi' });
      // Step 2: the panel took over.
      await until(() => (el as unknown as { panel: unknown }).panel !== null, "the panel's code loaded");
      time.advance(100);
      await until(() => !$(el, '[role="dialog"]')!.classList.contains('early'), 'the panel took over');
      await el.updateComplete;
      expect($(el, '[role="dialog"]'), 'the same dialog element').to.equal(first);
      expect(await axNodes('dialog'), 'one dialog in the tree (the panel), the same node').to.deep.equal([early]);
      const box = $<HTMLTextAreaElement>(el, 'textarea[name="message"]')!;
      expect(shadow(el).activeElement, 'focus kept').to.equal(box);
      expect(box.value, 'the typed text kept').to.equal('Hi');
      // Step 3: the session under way (the bot's greeting shown).
      await until(() => transcriptText(el).includes("Hi, I'm Ava"), 'greeting');
      await el.updateComplete;
      expect(await axNodes('dialog'), 'one dialog in the tree (session under way), the same node').to.deep.equal([early]);
      expect(entered, 'focus moved into a dialog once').to.deep.equal([first]);
      el.remove();
    });
  }
});
