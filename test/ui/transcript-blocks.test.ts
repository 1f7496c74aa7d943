/**
 * The transcript in blocks (issue 18: a new message costs the same at 25 and at 10,000 messages),
 * in Chromium: rows in order in blocks of 25, a new message re-renders only its own block (Lit's
 * child parts of older rows are not even visited), the window of rows slides by whole blocks,
 * blocks out of view are skipped by the browser, and "Show earlier" keeps the reader's place.
 */
import { expect } from '@open-wc/testing';
import { _$LH } from 'lit-html/private-ssr-support.js';
import { startBrowserMock } from '../../mock-server/browser.js';
import { Clock } from '../../mock-server/runtime/clock.js';
import type { CecChatElement } from '../../widget/ui/chat/cec-chat.component.js';
import { $, chatWithAgent, shadow, transcriptText, until } from './helpers.js';

const clock = new Clock('manual', Date.parse('2026-11-25T10:00:00Z'));
const { cc, worker } = await startBrowserMock({ clock });
after(() => worker.stop());

const rows = (el: CecChatElement) => [...shadow(el).querySelectorAll<HTMLElement>('[role=listitem]')];
const blocks = (el: CecChatElement) => [...shadow(el).querySelectorAll<HTMLElement>('.items > .block')];
const text = (li: Element) => li.textContent!.replace(/\s+/g, ' ').trim();
const frames = () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));

/** An agent chat with `n` more agent lines, all shown. */
async function longChat(n: number): Promise<CecChatElement> {
  const el = await chatWithAgent(cc, 'alice');
  for (let i = 0; i < n; i++) cc.desk.send('alice', `Line ${i}`);
  await until(() => transcriptText(el).includes(`Line ${n - 1}`), 'all lines shown');
  await el.updateComplete;
  return el;
}

async function agentSays(el: CecChatElement, line: string): Promise<void> {
  cc.desk.send('alice', line);
  await until(() => rows(el).some((li) => text(li).includes(line)), line);
  await el.updateComplete;
}

/**
 * The rows whose Lit child part is given their template again while `during` runs: a row that
 * Lit skips (its block unchanged) is not visited at all. Lit's ChildPart is reached through its
 * own export for server rendering; `_$AI` is its setValue (the name is stable across builds).
 */
async function rowsVisited(during: () => Promise<void>): Promise<Set<HTMLElement>> {
  const visited = new Set<HTMLElement>();
  const proto = _$LH.ChildPart.prototype as unknown as { _$AI: (this: { startNode: Node | null }, value: unknown, ...rest: unknown[]) => void };
  const original = proto._$AI;
  proto._$AI = function (value, ...rest) {
    const next = this.startNode?.nextSibling;
    if ((value as { _$litType$?: unknown } | null)?._$litType$ !== undefined && next instanceof HTMLElement && next.getAttribute('role') === 'listitem') visited.add(next);
    return original.call(this, value, ...rest);
  };
  try {
    await during();
  } finally {
    proto._$AI = original;
  }
  return visited;
}

describe('the transcript in blocks', () => {
  afterEach(() => {
    try {
      cc.desk.end('alice');
    } catch {
      /* the chat was already over */
    }
    clock.advance(10_000);
    cc.desk.signOut('alice');
  });

  it('shows the rows in order in blocks of 25; a new message re-renders its own block only', async () => {
    const el = await longChat(60);
    const items = el.sessionState!.transcript;
    expect(rows(el)).to.have.length(items.length);
    // In the transcript's order, and every block but the last one full.
    const lines = rows(el)
      .map(text)
      .filter((r) => /Line \d+/.test(r))
      .map((r) => Number(/Line (\d+)/.exec(r)![1]));
    expect(lines).to.deep.equal([...Array(60).keys()]);
    const sizes = blocks(el).map((b) => b.querySelectorAll('[role=listitem]').length);
    expect(sizes.slice(0, -1).every((n) => n === 25)).to.equal(true);
    expect(sizes.reduce((a, b) => a + b)).to.equal(items.length);

    const older = new Set(
      blocks(el)
        .slice(0, -1)
        .flatMap((b) => [...b.querySelectorAll('[role=listitem]')]),
    );
    const visited = await rowsVisited(() => agentSays(el, 'Something new'));
    const last = blocks(el).at(-1)!;
    expect([...visited].filter((li) => older.has(li)).map(text), 'rows of unchanged blocks visited').to.deep.equal([]);
    expect([...visited].every((li) => last.contains(li))).to.equal(true);
    expect(text(rows(el).at(-1)!)).to.contain('Something new');
    el.remove();
  });

  it('a message that changes (sending → sent) re-renders its block only, and the window slides by whole blocks', async () => {
    const el = await longChat(190);
    const count = () => rows(el).length;
    expect(count()).to.be.within(150, 174);
    // Through a block boundary, message by message: one more row each time, and once 25 fewer.
    const counts = [count()];
    for (let i = 0; i < 25; i++) {
      await agentSays(el, `More ${i}`);
      counts.push(count());
    }
    const steps = counts.slice(1).map((n, i) => n - counts[i]!);
    expect(steps.filter((d) => d === 1).length).to.equal(24);
    expect(steps.filter((d) => d === -24)).to.have.length(1);
    expect(counts.every((n) => n >= 150 && n <= 174)).to.equal(true);
    expect(blocks(el).every((b) => b.querySelectorAll('[role=listitem]').length === 25 || b === blocks(el).at(-1))).to.equal(true);

    // The customer's own message is added, then acknowledged: only the last block is visited.
    const older = new Set(
      blocks(el)
        .slice(0, -1)
        .flatMap((b) => [...b.querySelectorAll('[role=listitem]')]),
    );
    const visited = await rowsVisited(async () => {
      const box = $<HTMLTextAreaElement>(el, 'textarea[name="message"]')!;
      box.value = 'Thanks, noted';
      box.dispatchEvent(new Event('input'));
      box.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, composed: true }));
      await until(() => el.sessionState!.transcript.some((m) => m.text === 'Thanks, noted' && m.status !== 'sending'), 'acknowledged');
      await el.updateComplete;
    });
    expect([...visited].filter((li) => older.has(li)).map(text), 'rows of unchanged blocks visited').to.deep.equal([]);
    el.remove();
  });

  it('blocks out of view are skipped by the browser; "Show earlier" keeps the reader’s place', async () => {
    const el = await longChat(400);
    await frames();
    const log = $(el, '.transcript')!;
    // Following the end: the rows of the last block are drawn, those of the first (far above) are skipped.
    const drawn = (b: HTMLElement) => b.querySelector('[role=listitem]')!.checkVisibility({ contentVisibilityAuto: true });
    expect(drawn(blocks(el).at(-1)!)).to.equal(true);
    expect(drawn(blocks(el)[0]!)).to.equal(false);

    // The reader scrolls to the top: earlier rows come above, the first row stays where it was.
    const shown = rows(el).length;
    const first = rows(el)[0]!;
    const at = () => first.getBoundingClientRect().top - log.getBoundingClientRect().top;
    log.scrollTop = 0; // its scroll event comes asynchronously
    const before = at();
    await until(() => rows(el).length > shown, 'earlier rows');
    await el.updateComplete;
    await frames();
    expect(first.isConnected).to.equal(true);
    expect(Math.abs(at() - before), `moved by ${at() - before}px`).to.be.below(2);
    expect(log.scrollTop).to.be.above(0);
    el.remove();
  });
});
