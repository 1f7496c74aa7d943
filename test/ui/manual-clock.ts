/** A clock the test moves, injected into the widget (its countdowns, tickers and timers). */
import { fixture, html } from '@open-wc/testing';
import type { CecChatElement } from '../../widget/ui/chat/cec-chat.component.js';
import { $, transcriptText, until } from './helpers.js';

/** A clock for the widget that only moves when the test says so. */
export function manualClock(start: number) {
  let now = start;
  let next = 0;
  const timers = new Map<number, { at: number; fn: () => void }>();
  return {
    clock: {
      now: () => now,
      setTimeout: (fn: () => void, ms: number) => (timers.set(++next, { at: now + ms, fn }), next),
      clearTimeout: (h: unknown) => void timers.delete(h as number),
    },
    /** Moves time on, firing the timers that fall due, in order. */
    advance(ms: number) {
      const end = now + ms;
      for (;;) {
        const due = [...timers].filter(([, t]) => t.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
        if (!due) break;
        timers.delete(due[0]);
        now = due[1].at;
        due[1].fn();
      }
      now = end;
    },
  };
}

/**
 * A widget for a new customer with the given clock, opened, greeted by the bot. The element's
 * own timers run on that clock too: it is moved past the early frame's hand-over to the panel
 * (at most 100 ms after the click), which starts the session.
 */
export async function openWithClock(time: ReturnType<typeof manualClock>): Promise<CecChatElement> {
  sessionStorage.clear();
  const el = await fixture<CecChatElement>(html`<cec-chat channel-id="demo" user-id=${`case-${Math.random()}`} locale="en" .clock=${time.clock}></cec-chat>`);
  $<HTMLButtonElement>(el, 'button.launcher')!.click();
  time.advance(100);
  await until(() => transcriptText(el).includes("Hi, I'm Ava"), 'greeting');
  return el;
}
