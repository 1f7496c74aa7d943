/**
 * A real page reload (issue 12 case 6) on the embed page with `?mock=http`, the plain HTTP mock
 * of the demo server (its state outlives the page): the open panel, the transcript and the draft
 * come back. Debian's Chromium driven by playwright-core.
 */
import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDemoServer } from '../../demo/server.js';
import { CHROMIUM_ARGS, findChromium } from '../../scripts/chromium.mjs';

let browser: Browser;
let base: string;
const { server } = createDemoServer();

beforeAll(async () => {
  if (!existsSync('dist/cec-chat.js') || !existsSync('dist/demo/embed.js')) {
    throw new Error('Build first: npm run build (npm test does it for you).');
  }
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  const executablePath = findChromium();
  if (!executablePath) throw new Error('No Chromium: run node scripts/ensure-chromium.mjs');
  browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
});

afterAll(async () => {
  await browser?.close();
  await new Promise((r) => server.close(r));
});

/** The embed page, the widget mounted for an anonymous visitor as the README's snippet does. */
async function load(page: Page): Promise<void> {
  await page.locator('body[data-ready="true"]').waitFor({ timeout: 15_000 });
  await page.evaluate(() => (window as unknown as { CecChat: (...a: unknown[]) => void }).CecChat('init', { channelId: 'demo', locale: 'en' }));
}

describe('reload with ?mock=http (end to end)', () => {
  it('keeps the open panel, the transcript and the unsent draft', async () => {
    const page = await browser.newPage();
    await page.goto(`${base}demo/embed.html?mock=http`);
    await load(page);
    await page.getByRole('button', { name: 'Open chat' }).click();
    const log = page.getByRole('log', { name: 'Conversation' });
    const message = page.getByRole('textbox', { name: 'Message' });
    await log.getByText("Hi, I'm Ava").waitFor();
    await message.fill('refund');
    await message.press('Enter');
    await log.getByText('Refunds are paid').waitFor();
    await message.fill('and one more thing');

    await page.reload();
    await load(page);
    await log.getByText('Refunds are paid').waitFor({ timeout: 10_000 });
    expect(await message.inputValue()).toBe('and one more thing');
    expect(await log.getByText('Refunds are paid').count()).toBe(1);
    await page.close();
  }, 60_000);
});
