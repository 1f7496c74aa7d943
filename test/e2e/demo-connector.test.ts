/**
 * The demo's third mode, `?mock=connector` (issue 15), in Debian's Chromium: the page's widget
 * talks to the demo server's connector, which talks the real CEC wire to the same server's
 * `/cec` face, while the agent workbench drives the same mock. The event log names the face of
 * each request (issue 14). The Integration instructions give a connector.json that the
 * connector's own parser accepts (issue 20). Locators by role and accessible name only.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../widget/server/connector/config.js';
import { createChannelInAdmin, openDemo, poll, startHarness, type Harness } from './demo-harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

describe('demo through the connector', () => {
  it('the chooser shows three modes; the customer chats with the bot, transfers, Alice accepts, messages both ways; the log names each face', async () => {
    const page = await openDemo(h, { query: '?mock=connector' });
    const chooser = page.getByRole('navigation', { name: 'Mock mode' });
    for (const name of ['In this page', 'HTTP mock', 'Through the connector']) expect(await chooser.getByRole('link', { name }).count()).toBe(1);
    expect(await chooser.getByRole('link', { name: 'Through the connector' }).getAttribute('aria-current')).toBe('page');
    expect(await chooser.getByRole('link', { name: 'HTTP mock' }).getAttribute('aria-current')).toBeNull();
    expect(await chooser.getByText(/the connector calls this server's mock on the real CEC wire/).count()).toBe(1);
    await poll(() => page.getByRole('status').first().textContent()).toContain('through the connector');

    const customer = page.getByRole('region', { name: 'Customer' });
    const agent = page.getByRole('region', { name: 'Agent alice' });
    await customer.getByLabel('Customer name').fill('Li Lei');
    await customer.getByLabel('Customer id').fill(`e2e-conn-${Date.now()}`);
    await customer.getByRole('button', { name: 'Try' }).click();

    const log = page.getByRole('log', { name: 'Conversation' });
    await poll(() => log.textContent(), { timeout: 30_000 }).toContain("Hi, I'm Ava");
    const message = page.getByRole('textbox', { name: 'Message' });
    await message.fill('When are you open?');
    await message.press('Enter');
    await poll(() => log.textContent(), { timeout: 30_000 }).toContain('Monday to Friday');

    await agent.getByRole('button', { name: 'Sign in' }).click();
    await agent.getByRole('button', { name: 'Set ready' }).click();
    await message.fill('I would like to talk to an agent');
    await message.press('Enter');
    await agent.getByRole('button', { name: 'Accept Li Lei' }).click({ timeout: 30_000 });
    await poll(() => log.textContent(), { timeout: 30_000 }).toContain('joined the chat');

    await agent.getByRole('textbox', { name: 'Reply' }).fill('Hello Li Lei, I am Alice. How can I help?');
    await agent.getByRole('button', { name: 'Send reply' }).click();
    await poll(() => log.textContent(), { timeout: 30_000 }).toContain('How can I help?');
    await message.fill('My parcel has not arrived.');
    await message.press('Enter');
    await poll(() => agent.getByRole('list', { name: 'Alice chat transcript' }).textContent(), { timeout: 30_000 }).toContain('My parcel has not arrived.');

    // The widget reached the connector (our contract), the connector reached the mock on the real wire.
    const events = page.getByRole('list', { name: 'Event log' });
    await poll(() => events.textContent(), { timeout: 30_000 }).toContain('our contract, to the connector · POST /connector/apiaccess/ccmessaging/');
    await poll(() => events.textContent(), { timeout: 30_000 }).toContain('real CEC wire · POST /cec/apigovernance/api/oauth/tokenByAkSk → 200');
    await poll(() => events.textContent(), { timeout: 30_000 }).toContain('real CEC wire · POST /cec/apiaccess/ccmessaging/send → 200');
    const text = (await events.textContent()) ?? '';
    // The page's widget never called the mock's own contract directly in this mode.
    expect(text).not.toMatch(/our contract · \w+ \/apiaccess\//);
    // Nothing secret in the log: no AK/SK.
    expect(text).not.toContain('demo-app-secret');
    expect(page.errors).toEqual([]);
    await page.context().close();
  }, 120_000);

  it('the HTTP mock mode logs the widget on our contract and nothing on the real wire', async () => {
    const page = await openDemo(h, { query: '?mock=http' });
    expect(await page.getByRole('navigation', { name: 'Mock mode' }).getByRole('link', { name: 'HTTP mock' }).getAttribute('aria-current')).toBe('page');
    const customer = page.getByRole('region', { name: 'Customer' });
    await customer.getByLabel('Customer id').fill(`e2e-http-${Date.now()}`);
    await customer.getByRole('button', { name: 'Try' }).click();
    await poll(() => page.getByRole('log', { name: 'Conversation' }).textContent(), { timeout: 30_000 }).toContain("Hi, I'm Ava");
    const events = page.getByRole('list', { name: 'Event log' });
    await poll(() => events.textContent(), { timeout: 30_000 }).toMatch(/our contract · POST \/apiaccess\/ccmessaging\/\S+ → 200/);
    expect(await events.textContent()).not.toContain('/connector/');
    expect(page.errors).toEqual([]);
    await page.context().close();
  }, 90_000);

  it('Integration instructions give a connector.json for the channel that the connector accepts, secrets named by variable only', async () => {
    const { context, page, id, guide } = await createChannelInAdmin(h, { idPrefix: 'conn', greeting: 'Welcome, this chat came through the connector.' });
    await guide.getByRole('button', { name: 'Copy the connector config' }).press('Enter');
    await poll(() => guide.getByRole('status').textContent(), { timeout: 20_000 }).toBe('Copied the connector config.');
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    const config = parseConfig(JSON.parse(copied));
    expect(config.upstream).toMatchObject({ baseUrl: `${h.base}cec`, appKeyEnv: 'CEC_APP_KEY', appSecretEnv: 'CEC_APP_SECRET' });
    expect(config.channels.map((c) => c.channelId)).toEqual([id]);
    const channel = h.cc.store.current.channels.find((c) => c.id === id)!;
    expect(config.channels[0]).toMatchObject({ toArtificialKeyWord: channel.transferKeywords, queueReminder: channel.queueReminder, useRobot: channel.chatbot !== null });
    expect(config.channels[0]!.secretKeyEnv).toBeUndefined();
    expect(copied).not.toMatch(/app_secret|appSecret"|secretKey"/);
    // The variable names are shown beside it.
    expect(await guide.getByText('CEC_APP_KEY', { exact: true }).count()).toBe(1);
    expect(await guide.getByText('CEC_APP_SECRET', { exact: true }).count()).toBe(1);
    expect(page.errors).toEqual([]);

    // The demo's own connector was made again from the saved channel: Try it through the connector.
    const viaConnector = await openDemo(h, { query: '?mock=connector', context });
    const customer = viaConnector.getByRole('region', { name: 'Customer' });
    await customer.getByLabel('Channel').selectOption(id);
    await customer.getByLabel('Customer id').fill(`e2e-new-${Date.now()}`);
    await customer.getByRole('button', { name: 'Try' }).click();
    await poll(() => viaConnector.getByRole('log', { name: 'Conversation' }).textContent(), { timeout: 30_000 }).toContain('Welcome, this chat came through the connector.');
    await poll(() => viaConnector.getByRole('list', { name: 'Event log' }).textContent(), { timeout: 30_000 }).toContain('real CEC wire · POST /cec/apiaccess/ccmessaging/applyToken → 200');
    expect(viaConnector.errors).toEqual([]);
    await context.close();
  }, 120_000);
});
