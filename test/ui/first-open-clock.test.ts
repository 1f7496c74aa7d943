/**
 * The element's own timers run on its injected clock (as the session's do): the early frame's
 * warm-up after the first render, the hand-over from the early frame to the panel after an open,
 * and the idle resume check's fallback where the browser has no idle callbacks. A clock that does
 * not move holds each of them; moving it lets each happen.
 */
import { expect } from '@open-wc/testing';
import { startBrowserMock } from '../../mock-server/browser.js';
import { Clock } from '../../mock-server/runtime/clock.js';
import type { CecChatElement } from '../../widget/ui/chat/cec-chat.component.js';
import { $, shadow, until } from './helpers.js';
import { manualClock } from './manual-clock.js';

const { worker } = await startBrowserMock({ clock: new Clock('manual', Date.parse('2026-11-25T11:00:00Z')) });
after(() => worker.stop());

/** A manual clock that also records the delay of every timer set on it. */
function recordingClock() {
  const time = manualClock(Date.now());
  const delays: number[] = [];
  const setTimeout = time.clock.setTimeout;
  time.clock.setTimeout = (fn: () => void, ms: number) => (delays.push(ms), setTimeout(fn, ms));
  return { ...time, delays };
}

/** A frame and a task of the page's own (real) event loop. */
const frameAndTask = () => new Promise<void>((r) => requestAnimationFrame(() => window.setTimeout(r)));

function mount(clock: ReturnType<typeof recordingClock>['clock']) {
  const el = document.createElement('cec-chat') as CecChatElement;
  el.channelId = 'demo';
  el.userId = `clock-${Date.now()}`;
  el.locale = 'en';
  el.clock = clock;
  return el;
}

type RecordingClock = ReturnType<typeof recordingClock>;

/**
 * One timer of the element that a clock standing still holds: `start` sets it off on the element
 * just connected and answers what to check while the clock stands still (after two frames of the
 * page's own loop: the real event loop lets nothing through) and once it has moved `advance` ms.
 */
interface HeldTimer {
  name: string;
  advance: number;
  start(el: CecChatElement, time: RecordingClock): Promise<{ held(): void; moved(): Promise<void> | void }>;
}

const HELD_TIMERS: HeldTimer[] = [
  {
    name: "the early frame's warm-up waits for the clock, then draws the frame twice out of sight",
    advance: 0,
    async start(el, time) {
      const watch = new MutationObserver(() => {});
      watch.observe(el.shadowRoot!, { childList: true });
      await el.updateComplete;
      const warmFrames = () =>
        watch
          .takeRecords()
          .flatMap((r) => [...r.addedNodes])
          .filter((n) => n instanceof HTMLElement && n.getAttribute('aria-hidden') === 'true');
      return {
        held() {
          expect(warmFrames(), 'nothing drawn while the clock stands still').to.have.length(0);
          expect(time.delays, 'the warm-up is set on the clock').to.deep.equal([0]);
        },
        moved() {
          // After the first render (one task), the styles, then the layout: three tasks, all on the clock.
          expect(time.delays).to.deep.equal([0, 0, 0]);
          expect(warmFrames(), 'drawn (styles, then layout) once the clock moved').to.have.length(2);
          expect(shadow(el).querySelectorAll('[aria-hidden="true"].root'), 'and dropped').to.have.length(0);
          watch.disconnect();
        },
      };
    },
  },
  {
    name: 'the hand-over from the early frame to the panel after an open waits for the clock',
    advance: 100,
    async start(el, time) {
      await el.updateComplete;
      $(el, 'button.launcher')!.dispatchEvent(new PointerEvent('pointerenter'));
      await until(() => (el as unknown as { panel: unknown }).panel !== null, 'the panel code loaded');
      time.delays.length = 0;
      $<HTMLButtonElement>(el, 'button.launcher')!.click();
      return {
        held() {
          expect($(el, 'section.early'), 'the early frame stays while the clock stands still').to.not.equal(null);
          expect(el.sessionState, 'no session yet').to.equal(null);
          // After the painted frame (then a task), or 100 ms at the latest.
          expect(time.delays).to.include.members([0, 100]);
        },
        async moved() {
          await el.updateComplete;
          expect($(el, 'section.early'), 'the panel took over').to.equal(null);
          expect($(el, 'section.panel[role="dialog"]')).to.not.equal(null);
          expect(el.sessionState, 'the session started').to.not.equal(null);
        },
      };
    },
  },
];

describe("the element's timers on its clock", () => {
  for (const timer of HELD_TIMERS) {
    it(timer.name, async () => {
      sessionStorage.clear();
      localStorage.clear();
      const time = recordingClock();
      const el = mount(time.clock);
      document.body.append(el);
      const check = await timer.start(el, time);
      await frameAndTask();
      await frameAndTask();
      check.held();
      time.advance(timer.advance);
      await check.moved();
      el.remove();
    });
  }

  it('without idle callbacks, the resume check waits 2 s on the clock', async () => {
    sessionStorage.clear();
    localStorage.clear();
    const time = recordingClock();
    const idle = Object.getOwnPropertyDescriptor(window, 'requestIdleCallback')!;
    delete (window as { requestIdleCallback?: unknown }).requestIdleCallback;
    try {
      const el = mount(time.clock);
      document.body.append(el);
      expect(time.delays, 'set when the element is connected').to.deep.equal([2000]);
      await el.updateComplete;
      el.remove();
    } finally {
      Object.defineProperty(window, 'requestIdleCallback', idle);
    }
  });
});
