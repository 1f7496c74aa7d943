/**
 * The demo page as QA uses it, in Debian's Chromium driven by playwright-core: the customer
 * chats with the bot, transfers by keyword, an agent accepts from the workbench, they talk both
 * ways and the agent ends the chat. Locators by role and accessible name only.
 */
import { mkdirSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, openDemo as openDemoPage, poll, startHarness } from './demo-harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h?.close());

const openDemo = () => openDemoPage(h);

describe('demo page (end to end)', () => {
  it('the Try flow: bot, keyword transfer, agent accepts, chat both ways, agent ends', async () => {
    const page = await openDemo();
    const customer = page.getByRole('region', { name: 'Customer' });
    const agent = page.getByRole('region', { name: 'Agent alice' });

    await customer.getByLabel('Customer name').fill('Li Lei');
    await customer.getByLabel('Customer id').fill(`e2e-${Date.now()}`);
    await customer.getByRole('button', { name: 'Try' }).click();

    const log = page.getByRole('log', { name: 'Conversation' });
    await poll(() => log.textContent(), { timeout: 20_000 }).toContain("Hi, I'm Ava");
    const message = page.getByRole('textbox', { name: 'Message' });
    await message.fill('When are you open?');
    await message.press('Enter');
    await poll(() => log.textContent()).toContain('Monday to Friday');

    await agent.getByRole('button', { name: 'Sign in' }).click();
    await agent.getByRole('button', { name: 'Set ready' }).click();

    await message.fill('I would like to talk to an agent');
    await message.press('Enter');
    await agent.getByRole('button', { name: 'Accept Li Lei' }).click({ timeout: 20_000 });
    await poll(() => log.textContent(), { timeout: 20_000 }).toContain('Alice (employee ID 10021) joined the chat.');

    await agent.getByRole('textbox', { name: 'Reply' }).fill('Hello Li Lei, I am Alice. How can I help?');
    await agent.getByRole('button', { name: 'Send reply' }).click();
    await poll(() => log.textContent(), { timeout: 20_000 }).toContain('How can I help?');

    await message.fill('My parcel has not arrived.');
    await message.press('Enter');
    await poll(() => agent.getByRole('list', { name: 'Alice chat transcript' }).textContent(), { timeout: 20_000 }).toContain('My parcel has not arrived.');

    mkdirSync('.cache/screenshots', { recursive: true });
    await page.screenshot({ path: '.cache/screenshots/demo-conversation.png' });

    await agent.getByRole('button', { name: 'End chat' }).click();
    await poll(() => log.textContent(), { timeout: 20_000 }).toContain('The agent ended the chat.');

    // The status pill speaks people's words ("Wrap-up 5 s", not the API's "wrapUp").
    await poll(() => agent.getByRole('status').first().textContent()).toMatch(/^Wrap-up \d+ s$/);

    // The customer rates the chat (after watching the agent's wrap-up start).
    const rating = page.locator('cec-chat').getByRole('group', { name: 'How did we do?' });
    await rating.getByText('★').nth(3).click({ timeout: 5000 }); // the fourth star (its radio is visually hidden)
    expect(await rating.getByRole('radio', { name: '4 – Satisfied' }).isChecked()).toBe(true);
    await rating.getByRole('textbox', { name: 'Comment (optional)' }).fill('Quick and friendly.', { timeout: 5000 });
    await rating.getByRole('button', { name: 'Submit rating' }).click({ timeout: 5000 });
    // Saved: the form now offers to change the rating (the last one counts).
    const saved = page.locator('cec-chat').getByRole('group', { name: 'Change your rating' });
    await poll(() => saved.getByRole('status').textContent(), { timeout: 20_000 }).toContain('Thank you for your feedback!');
    expect((page as Page & { errors: string[] }).errors).toEqual([]);
    await page.close();
  }, 60_000);

  it('the administrator configures the channel: a bad value is named inline, a good one applies to new chats', async () => {
    const page = await openDemo();
    const admin = page.getByRole('region', { name: 'Administrator' });
    const form = admin.getByRole('form', { name: 'Web channel settings' });
    await form.getByRole('group', { name: 'Queue Reminder' }).getByLabel('Interval Seconds').fill('0');
    await form.getByRole('button', { name: 'Save' }).click();
    // A sentence about the field (no API path), and the field has focus.
    await poll(() => admin.getByRole('alert').textContent()).toBe('Queue reminder, interval seconds must be an integer from 1 to 3600.');
    expect(await form.getByLabel('Interval Seconds').getAttribute('aria-invalid')).toBe('true');
    await poll(() => form.getByLabel('Interval Seconds').evaluate((el) => el === document.activeElement)).toBe(true);
    await form.getByLabel('Interval Seconds').fill('15');
    await form
      .getByRole('group', { name: /^Chatbot/ })
      .getByLabel('Greeting')
      .fill('Welcome to Northwind! Ask me about orders.');
    await form.getByRole('button', { name: 'Save' }).click();
    await poll(() => admin.getByRole('status').first().textContent()).toContain('Saved. New sessions use it.');
    await page.getByRole('region', { name: 'Customer' }).getByRole('button', { name: 'Try' }).click();
    await poll(() => page.getByRole('log', { name: 'Conversation' }).textContent(), { timeout: 20_000 }).toContain('Welcome to Northwind!');
    mkdirSync('.cache/screenshots', { recursive: true });
    await page.screenshot({ path: '.cache/screenshots/demo-admin.png', fullPage: true });
    await page.close();
  }, 60_000);

  it('an off-hours visit: the scenario preset, the notice with the next opening, a message left', async () => {
    const page = await openDemo();
    const tools = page.getByRole('region', { name: 'Tools' });
    await tools.getByRole('button', { name: 'Off hours' }).click();
    await poll(() => tools.getByRole('status').textContent()).toContain('leave-a-message');
    await page.getByRole('region', { name: 'Customer' }).getByRole('button', { name: 'Try' }).click();
    const widget = page.locator('cec-chat');
    await poll(() => widget.getByRole('heading', { name: 'We are closed right now' }).count(), { timeout: 20_000 }).toBeGreaterThan(0);
    await poll(() => widget.getByRole('region', { name: 'We are closed right now' }).textContent()).toMatch(/We open again .* \(your time\)/);
    await widget.getByRole('textbox', { name: 'Your message' }).fill('Please call me tomorrow about order 1234.');
    await widget.getByRole('textbox', { name: 'Email or phone (optional)' }).fill('+86 138 0000 0000');
    await widget.getByRole('button', { name: 'Leave a message' }).click();
    await poll(() => widget.getByRole('status').filter({ hasText: 'Thanks, your message was saved.' }).count()).toBeGreaterThan(0);
    await page.close();
  }, 60_000);

  it('a queue timeout releases the customer, who can leave a message', async () => {
    const page = await openDemo();
    const tools = page.getByRole('region', { name: 'Tools' });
    await tools.getByRole('button', { name: 'Queue timeout' }).click();
    await poll(() => tools.getByRole('status').textContent()).toContain('30 s');
    await page.getByRole('region', { name: 'Customer' }).getByRole('button', { name: 'Try' }).click();
    const widget = page.locator('cec-chat');
    await widget.getByRole('button', { name: 'Talk to an agent' }).click({ timeout: 20_000 });
    await poll(() => widget.getByRole('heading', { name: 'Waiting for an agent' }).count(), { timeout: 20_000 }).toBe(1);
    await tools.getByRole('button', { name: '+1 min' }).click();
    await poll(() => widget.getByText('Sorry, no agent could take your chat in time.').count(), { timeout: 20_000 }).toBeGreaterThan(0);
    await poll(() => widget.getByRole('button', { name: 'Leave a message' }).count()).toBe(1);
    await page.close();
  }, 60_000);

  it('/demo/embed.html shows a working widget from the script tag alone, as the README says', async () => {
    const page = await h.browser.newPage();
    await page.goto(`${h.base}demo/embed.html`);
    await page.locator('body[data-ready="true"]').waitFor();
    // No test code calls init: data-channel-id on the script tag mounts the launcher.
    await page.locator('cec-chat').getByRole('button', { name: 'Open chat' }).click({ timeout: 15_000 });
    const log = page.getByRole('log', { name: 'Conversation' });
    await poll(() => log.textContent(), { timeout: 15_000 }).toContain("Hi, I'm Ava");
    const message = page.getByRole('textbox', { name: 'Message' });
    await message.fill('Do you do refunds?');
    await message.press('Enter');
    await poll(() => log.textContent(), { timeout: 15_000 }).toContain('Refunds are paid to the original card');
    expect(await page.locator('script[src="/dist/cec-chat.js"]').getAttribute('data-channel-id')).toBe('demo');
    await page.close();
  }, 30_000);

  it('the README embed works under a strict Content-Security-Policy, and a second copy of the script is harmless', async () => {
    const page = await h.browser.newPage();
    await page.addInitScript(() => {
      const seen: string[] = [];
      (window as unknown as { cspViolations: string[] }).cspViolations = seen;
      document.addEventListener('securitypolicyviolation', (e) => seen.push(`${e.violatedDirective} ${e.blockedURI}`));
    });
    const response = await page.goto(`${h.base}demo/embed.html`);
    expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");
    expect(response?.headers()['content-security-policy']).not.toContain('unsafe-inline');
    await page.locator('body[data-ready="true"]').waitFor();
    await page.evaluate(() => (window as unknown as { CecChat: (...a: unknown[]) => void }).CecChat('init', { channelId: 'demo', userId: 'csp', open: true }));
    const log = page.getByRole('log', { name: 'Conversation' });
    await poll(() => log.textContent(), { timeout: 20_000 }).toContain("Hi, I'm Ava");
    await page.evaluate(
      () =>
        new Promise<void>((resolve) => {
          const again = Object.assign(document.createElement('script'), { src: '/dist/cec-chat.js', async: true, onload: () => setTimeout(resolve, 300) });
          document.head.append(again);
        }),
    );
    expect(await page.locator('cec-chat').count()).toBe(1);
    expect(await page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations)).toEqual([]);
    await page.close();
  }, 30_000);
});
