/**
 * A real page reload (issue 12 case 6) on the embed page with `?mock=http`, the plain HTTP mock
 * of the demo server (its state outlives the page): the open panel, the transcript and the draft
 * come back. Debian's Chromium driven by playwright-core.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from './demo-harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h?.close());

/** The embed page, the widget mounted for an anonymous visitor as the README's snippet does. */
async function load(page: Page): Promise<void> {
  await page.locator('body[data-ready="true"]').waitFor({ timeout: 15_000 });
  await page.evaluate(() => (window as unknown as { CecChat: (...a: unknown[]) => void }).CecChat('init', { channelId: 'demo', locale: 'en' }));
}

describe('reload with ?mock=http (end to end)', () => {
  it('keeps the open panel, the transcript and the unsent draft', async () => {
    const page = await h.browser.newPage();
    await page.goto(`${h.base}demo/embed.html?mock=http`);
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
