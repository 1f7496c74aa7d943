/**
 * Whose scroll it is, in Chromium: the transcript follows new messages only while the reader is
 * at its end, and a reader's scroll counts from the moment it is made — not from its scroll
 * event, which the browser sends with the next frame. On a busy machine a render or a resize
 * often comes in between; neither may pull the reader back to the end. After "Show earlier" the
 * row the reader was looking at stays put while the rows put above it settle, also where the
 * browser does not keep it by itself (no CSS scroll anchoring, as in Safari).
 */
import { expect } from '@open-wc/testing';
import { startBrowserMock } from '../../mock-server/browser.js';
import { Clock } from '../../mock-server/runtime/clock.js';
import type { CecChatElement } from '../../widget/ui/chat/cec-chat.component.js';
import { $, chatWithAgent, shadow, textOf, transcriptText, until } from './helpers.js';

const clock = new Clock('manual', Date.parse('2026-11-25T10:00:00Z'));
const { cc, worker } = await startBrowserMock({ clock });
after(() => worker.stop());
afterEach(() => {
  if (cc.desk.snapshot('alice').session) cc.desk.end('alice');
  clock.advance(10_000);
});

const frame = () => new Promise<void>((r) => requestAnimationFrame(() => r()));
const rows = (el: CecChatElement) => [...shadow(el).querySelectorAll<HTMLElement>('[role=listitem]')];
const atEnd = (log: HTMLElement) => log.scrollHeight - log.scrollTop - log.clientHeight < 2;

/** An agent chat with `n` more agent lines, followed to its end. */
async function chatOf(n: number): Promise<{ el: CecChatElement; log: HTMLElement }> {
  const el = await chatWithAgent(cc, 'alice');
  for (let i = 0; i < n; i++) cc.desk.send('alice', `Line ${i}`);
  await until(() => transcriptText(el).includes(`Line ${n - 1}`), 'all lines shown');
  const log = $(el, '.transcript')!;
  await until(() => atEnd(log), 'followed to the end');
  return { el, log };
}

/** Two agent messages arrive: the reader who scrolled up stays there and is told by the pill. */
async function expectStillUp(el: CecChatElement, log: HTMLElement): Promise<void> {
  cc.desk.send('alice', 'One more');
  cc.desk.send('alice', 'And another');
  await until(() => transcriptText(el).includes('And another'), 'arrived while scrolled up');
  await until(() => textOf(el, '.pill') === '2 new messages ↓', 'the pill counts them');
  expect(log.scrollTop).to.equal(0);
}

describe("the reader's scroll", () => {
  it('a render between the scroll and its event does not pull the reader back to the end', async () => {
    const { el, log } = await chatOf(30);
    log.scrollTop = 0;
    // A render before the scroll event (here: at once; on a busy machine: a poll, a clock tick).
    el.requestUpdate();
    await el.updateComplete;
    expect(log.scrollTop, 'after the render').to.equal(0);
    await frame();
    await frame();
    expect(log.scrollTop, 'after its scroll event').to.equal(0);
    await expectStillUp(el, log);
  });

  it('a resize in the frame of the scroll, before its event, does not pull the reader back either', async () => {
    const { el, log } = await chatOf(30);
    const panel = $(el, 'section.panel')!;
    const height = log.clientHeight;
    // In one frame: the reader's scroll, then the panel gets shorter (the window was resized; no
    // render). The resize observer runs in this frame, the scroll event in the next.
    await new Promise<void>((r) =>
      requestAnimationFrame(() => {
        log.scrollTop = 0;
        panel.style.blockSize = `${panel.getBoundingClientRect().height - 60}px`;
        r();
      }),
    );
    await frame();
    await frame();
    expect(log.clientHeight).to.be.below(height);
    expect(log.scrollTop).to.equal(0);
    await expectStillUp(el, log);
    panel.style.blockSize = '';
  });

  it('after "Show earlier" the reader\'s row stays put while rows above it settle, without the browser\'s scroll anchoring', async () => {
    const { el, log } = await chatOf(400);
    // A browser without CSS scroll anchoring (Safari): only the panel keeps the place.
    log.style.overflowAnchor = 'none';
    const shown = rows(el).length;
    const first = rows(el)[0]!;
    const at = () => first.getBoundingClientRect().top - log.getBoundingClientRect().top;
    // The reader scrolls to the top: earlier rows come above (from memory).
    log.scrollTop = 0;
    await until(() => rows(el).length > shown, 'earlier rows');
    await el.updateComplete;
    await frame();
    await frame();
    const before = at();
    // A row above grows a frame later (a block laid out for real, an image that loaded).
    const above = rows(el)[rows(el).indexOf(first) - 1]!;
    above.style.paddingBlockStart = '37px';
    await frame();
    await frame();
    expect(Math.abs(at() - before), `moved by ${at() - before}px`).to.be.below(1);
    expect(log.scrollTop).to.be.above(0);
    // The reader's own scroll lets go of the place: a later change above moves the rows below it.
    log.scrollTop -= 100;
    await frame();
    await frame();
    const mine = at();
    above.style.paddingBlockStart = '0px';
    await frame();
    await frame();
    expect(Math.round(mine - at()), 'the rows below the change moved with it').to.equal(37);
    el.remove();
  });
});
