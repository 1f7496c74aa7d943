/**
 * The agent workbench end to end (issue 17 cases 6, 8, 10, 11): transfer goes to the queue
 * chosen, a video call shows a picture and its controls, files show as thumbnails and links,
 * status pills in words, and the open widget never covers a control of the page.
 * Chromium through playwright-core (fake camera and microphone); locators by role and name.
 */
import { mkdirSync } from 'node:fs';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDemo, poll, startHarness, writes, type Harness } from './demo-harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

/** Try as `name`, ask for an agent, and have `account` accept from the workbench. */
async function chatWithAgent(page: Page, account: string, name: string, opts: { locale?: string; signIn?: boolean } = {}): Promise<Locator> {
  const customer = page.getByRole('region', { name: 'Customer' });
  const agent = page.getByRole('region', { name: `Agent ${account}` });
  if (opts.signIn !== false) {
    await agent.getByRole('button', { name: 'Sign in' }).click();
    await agent.getByRole('button', { name: 'Set ready' }).click();
  }
  await customer.getByLabel('Customer name').fill(name);
  await customer.getByLabel('Customer id').fill(`e2e-${account}-${Date.now()}`);
  if (opts.locale) await customer.getByLabel('Language').selectOption(opts.locale);
  await customer.getByRole('button', { name: 'Try' }).click();
  const widget = page.locator('cec-chat');
  const message = widget.getByRole('textbox').first();
  await message.waitFor({ timeout: 20_000 });
  await message.fill('agent');
  await message.press('Enter');
  await agent.getByRole('button', { name: `Accept ${name}` }).click({ timeout: 20_000 });
  await agent.getByRole('heading', { name: `Chat with ${name}` }).waitFor({ timeout: 20_000 });
  return agent;
}

describe('demo: the agent workbench', () => {
  it('status pills use words, and a transfer goes to the queue chosen right after Accept (17.6, 17.11)', async () => {
    const page = await openDemo(h);
    const alice = page.getByRole('region', { name: 'Agent alice' });
    await poll(() => alice.getByRole('status').first().textContent(), { timeout: 20_000 }).toBe('Signed out');
    await alice.getByRole('button', { name: 'Sign in' }).click();
    await poll(() => alice.getByRole('status').first().textContent()).toBe('Not ready');
    await alice.getByRole('button', { name: 'Set ready' }).click();
    await poll(() => alice.getByRole('status').first().textContent()).toBe('Ready');
    for (let round = 1; round <= 3; round++) {
      await chatWithAgent(page, 'alice', `Round ${round}`, { signIn: false });
      await poll(() => alice.getByRole('status').first().textContent()).toBe('In a chat');
      // Choose and click at once: nothing re-renders in between.
      await alice.getByLabel('Transfer to').selectOption('Billing');
      await alice.getByRole('button', { name: 'Transfer', exact: true }).click();
      await poll(async () => (await writes(page)).filter((w) => w.path === '/mock/agents/alice/transfer').length, { timeout: 20_000 }).toBe(round);
      expect((await writes(page)).filter((w) => w.path === '/mock/agents/alice/transfer').at(-1)!.body).toEqual({ queueName: 'Billing' });
      // The customer now waits in Billing (which alice also serves).
      await poll(() => alice.getByRole('list', { name: 'Customers waiting for Alice' }).textContent(), { timeout: 20_000 }).toContain(`Round ${round} · Billing`);
      await alice.getByRole('button', { name: `Accept Round ${round}` }).click({ timeout: 20_000 });
      await alice.getByRole('button', { name: 'End chat' }).click();
      await poll(() => alice.getByRole('status').first().textContent(), { timeout: 20_000 }).toMatch(/^(Wrap-up \d+ s|Ready)$/);
      await page.getByRole('region', { name: 'Tools' }).getByRole('button', { name: '+1 min' }).click();
      await poll(() => alice.getByRole('status').first().textContent(), { timeout: 20_000 }).toBe('Ready');
    }
    expect(page.errors).toEqual([]);
    await page.context().close();
  }, 180_000);

  it('shows images as thumbnails and files as links, nothing clipped (17.10)', async () => {
    const page = await openDemo(h);
    const alice = await chatWithAgent(page, 'alice', 'Han Mei');
    const widget = page.locator('cec-chat');
    const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==', 'base64');
    const longName = `delivery-note-${'for-order-1234567890-'.repeat(4)}final.txt`;
    await widget.getByLabel('Send a file or image').setInputFiles({ name: 'receipt.png', mimeType: 'image/png', buffer: png });
    await widget.getByLabel('Send a file or image').setInputFiles({ name: longName, mimeType: 'text/plain', buffer: Buffer.from('Parcel 1234 left the depot.') });
    const transcript = alice.getByRole('list', { name: 'Alice chat transcript' });
    const thumb = transcript.getByRole('img', { name: 'Image: receipt.png' });
    await thumb.waitFor({ timeout: 20_000 });
    await poll(() => thumb.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(1);
    const link = transcript.getByRole('link', { name: longName });
    await link.waitFor({ timeout: 20_000 });
    expect(await link.getAttribute('href')).toMatch(/^\/apiaccess\/ccmessaging\/file\/[\w-]+\/delivery-note-/);
    // The link downloads the file the customer sent.
    const body = await page.evaluate(async (href) => (await fetch(href)).text(), (await link.getAttribute('href'))!);
    expect(body).toBe('Parcel 1234 left the depot.');
    expect(await transcript.textContent()).not.toMatch(/[\w-]{16,}\/receipt\.png/); // no raw key
    // Nothing is clipped: the card and its transcript do not scroll sideways.
    for (const box of [transcript, alice]) expect(await box.evaluate((el) => el.scrollWidth <= el.clientWidth + 1)).toBe(true);
    const card = (await alice.boundingBox())!;
    const linkBox = (await link.boundingBox())!;
    expect(linkBox.x + linkBox.width).toBeLessThanOrEqual(card.x + card.width);
    await page.context().close();
  }, 120_000);

  it('the agent sees "Seen" under its latest message the customer has read (requirements §6 read state)', async () => {
    const page = await openDemo(h);
    const alice = await chatWithAgent(page, 'alice', 'Zhao Lei');
    const widget = page.locator('cec-chat');
    const transcript = alice.getByRole('list', { name: 'Alice chat transcript' });
    const reply = async (text: string) => {
      await alice.getByLabel('Reply').fill(text);
      await alice.getByRole('button', { name: 'Send reply' }).click();
      await widget.getByText(text).waitFor({ timeout: 20_000 });
    };
    await reply('Hello Zhao, how can I help?');
    const seenUnder = () => transcript.locator('li', { has: page.locator('.seen') }).textContent();
    await poll(seenUnder, { timeout: 20_000 }).toContain('Hello Zhao, how can I help?');
    await reply('Your parcel arrives tomorrow.');
    await poll(seenUnder, { timeout: 20_000 }).toContain('Your parcel arrives tomorrow.');
    // One "Seen", under the latest message read.
    expect(await transcript.getByText('Seen', { exact: true }).count()).toBe(1);
    await page.context().close();
  }, 120_000);

  it('a video call on the agent side: a test-pattern picture, mute and camera-off (17.8)', async () => {
    const page = await openDemo(h);
    const tools = page.getByRole('region', { name: 'Tools' });
    await tools.getByRole('button', { name: 'Click-to-dial' }).click();
    await poll(() => tools.getByRole('status').textContent(), { timeout: 20_000 }).toContain('Voice and video calls are on');
    const bob = await chatWithAgent(page, 'bob', 'Zhao Lei', { signIn: false });
    const widget = page.locator('cec-chat');
    await widget.getByRole('button', { name: 'Video call' }).click({ timeout: 20_000 });
    const call = bob.getByRole('group', { name: 'Video call for bob' });
    await call.getByRole('button', { name: 'Answer call' }).click({ timeout: 20_000 });
    await poll(() => call.getByRole('status').textContent(), { timeout: 20_000 }).toContain('Video call connected · Zhao Lei');
    const remote = call.getByLabel('Zhao Lei’s video (test pattern)');
    // A moving picture: frames arrive and time advances.
    await poll(() => remote.evaluate((v: HTMLVideoElement) => v.videoWidth), { timeout: 20_000 }).toBe(320);
    const t0 = await remote.evaluate((v: HTMLVideoElement) => v.currentTime);
    await poll(() => remote.evaluate((v: HTMLVideoElement) => v.currentTime), { timeout: 20_000 }).toBeGreaterThan(t0);
    expect(await call.getByLabel('Your camera preview (test pattern)').count()).toBe(1);

    const mute = call.getByRole('button', { name: 'Mute' });
    await mute.click();
    expect(await mute.getAttribute('aria-pressed')).toBe('true');
    await poll(() => call.getByRole('status').textContent()).toContain('microphone muted');
    const camera = call.getByRole('button', { name: 'Camera off' });
    await camera.click();
    expect(await camera.getAttribute('aria-pressed')).toBe('true');
    expect(await call.getByRole('img', { name: 'Your camera is off' }).count()).toBe(1);
    await camera.click();
    await call.getByLabel('Your camera preview (test pattern)').waitFor();
    mkdirSync('.cache/screenshots', { recursive: true });
    await page.screenshot({ path: '.cache/screenshots/demo-video-call-agent.png' });

    await call.getByRole('button', { name: 'Hang up call' }).click();
    await poll(() => call.count(), { timeout: 20_000 }).toBe(0);
    await page.context().close();
  }, 120_000);

  it('the Long chat preset sends its 600 lines in one request, and the customer sees the last of them', async () => {
    const page = await openDemo(h);
    const tools = page.getByRole('region', { name: 'Tools' });
    await tools.getByRole('button', { name: 'Long chat' }).click();
    await poll(() => tools.getByRole('status').textContent(), { timeout: 20_000 }).toContain('alice is ready');
    await chatWithAgent(page, 'alice', 'Lin Chang', { signIn: false });
    await tools.getByRole('button', { name: 'Long chat' }).click();
    await poll(() => tools.getByRole('status').textContent(), { timeout: 20_000 }).toContain('alice sent 600 lines to Lin Chang');
    const sends = (await writes(page)).filter((w) => w.path === '/mock/agents/alice/send');
    expect(sends).toHaveLength(1);
    const contents = sends[0]!.body!.contents as string[];
    expect([contents.length, contents[0], contents.at(-1)]).toEqual([600, 'Line 1 of 600 of a long chat.', 'Line 600 of 600 of a long chat.']);
    await page.locator('cec-chat').getByText('Line 600 of 600 of a long chat.').waitFor({ timeout: 20_000 });
    expect(page.errors).toEqual([]);
    await page.context().close();
  }, 120_000);

  for (const [width, height, locale] of [
    [1280, 800, 'en'],
    [1440, 900, 'en'],
    [1440, 900, 'ar'],
  ] as const) {
    it(`at ${width}×${height} (${locale}) the open widget covers no control of the page (17.11)`, async () => {
      const page = await openDemo(h, { width, height });
      await chatWithAgent(page, 'alice', 'Omar', { locale });
      await page.locator('cec-chat').getByRole('dialog').waitFor();
      const overlaps = () =>
        page.evaluate(async () => {
          const root = document.querySelector('cec-chat')!.shadowRoot!;
          const found: string[] = [];
          const frame = () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
          const max = document.documentElement.scrollHeight - innerHeight;
          for (const y of [0, max / 2, max]) {
            scrollTo(0, y);
            await frame();
            const widget = [...root.querySelectorAll<HTMLElement>('[part~="panel"], [part~="launcher"]')].map((e) => e.getBoundingClientRect()).filter((r) => r.width > 0);
            if (widget.length === 0) found.push('no widget');
            for (const el of document.querySelectorAll<HTMLElement>('main button, main input, main select, main textarea, main a, main summary')) {
              const r = el.getBoundingClientRect();
              if (r.width === 0 || r.bottom < 0 || r.top > innerHeight) continue;
              for (const w of widget) {
                if (r.left < w.right && r.right > w.left && r.top < w.bottom && r.bottom > w.top) {
                  found.push(`${el.tagName} "${el.getAttribute('aria-label') ?? el.textContent?.trim().slice(0, 30)}" at scroll ${Math.round(y)}`);
                }
              }
            }
          }
          return found;
        });
      // The page makes room once the panel has rendered (it loads lazily): wait for that.
      await poll(overlaps, { timeout: 20_000 }).toEqual([]);
      // The agent's reply box and the Tools pane's Export stay usable.
      await page.getByRole('region', { name: 'Agent alice' }).getByRole('textbox', { name: 'Reply' }).click({ trial: true });
      await page.getByRole('region', { name: 'Tools' }).getByRole('button', { name: 'Export' }).click({ trial: true });
      await page.context().close();
    }, 120_000);
  }
});
