/**
 * The Administrator pane end to end (issue 17 cases 1, 2, 5, 11; issue 20): every field of the
 * admin guide can be set, forms show the tenant as it is now and save only what was edited,
 * errors are sentences that take focus, Batch Configure, and the Integration instructions.
 * Chromium through playwright-core; locators by role and accessible name.
 */
import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createChannelInAdmin, getJson, openDemo, poll, startHarness, writes, type Harness } from './demo-harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

type Item = { item: Record<string, unknown> };

describe('demo: the Administrator pane', () => {
  it('sets transfer policies: device type and target for onTimeout, onBusy and onNoAgents (17.1)', async () => {
    const page = await openDemo(h);
    const admin = page.getByRole('region', { name: 'Administrator' });
    await admin.getByLabel('Configure').selectOption({ label: 'Skill queue' });
    await admin.getByLabel('Skill queue', { exact: true }).selectOption('WebSupport');
    const form = admin.getByRole('form', { name: 'Skill queue settings' });

    // A multimedia queue transfers only to a skill queue of its own type.
    const onTimeout = form.getByRole('group', { name: 'On timeout' });
    await onTimeout.getByLabel('Process method').selectOption({ label: 'Transfer' });
    expect(await onTimeout.getByLabel('Device type').locator('option').allTextContents()).toEqual(['Skill queue']);
    expect(await onTimeout.getByLabel('Target skill queue').locator('option').allTextContents()).toEqual(['Billing']);
    const onNoAgents = form.getByRole('group', { name: 'On no agents' });
    await onNoAgents.getByLabel('Process method').selectOption({ label: 'Transfer' });
    await onNoAgents.getByLabel('Target skill queue').selectOption('Billing');
    await form.getByRole('button', { name: 'Save' }).click();
    await poll(() => admin.getByRole('status').first().textContent(), { timeout: 20_000 }).toContain('Saved');
    const q = (await getJson<Item>(page, '/mock/admin/skill-queues/WebSupport')).item;
    expect(q.onTimeout).toEqual({ processMethod: 'transfer', deviceType: 'skillQueue', target: 'Billing' });
    expect(q.onNoAgents).toEqual({ processMethod: 'transfer', deviceType: 'skillQueue', target: 'Billing' });
    expect(q.onBusy).toEqual({ processMethod: 'release', deviceType: 'skillQueue' });
    // The PATCH carried the two edited policies and nothing else.
    const patch = (await writes(page)).filter((w) => w.method === 'PATCH');
    expect(patch.at(-1)).toEqual({ method: 'PATCH', path: '/mock/admin/skill-queues/WebSupport', body: { onTimeout: q.onTimeout, onNoAgents: q.onNoAgents } });

    // A click-to-dial queue may transfer to an IVR (the guide's note under Table 1).
    await admin.getByLabel('Skill queue', { exact: true }).selectOption('WebCallback');
    const onBusy = form.getByRole('group', { name: 'On busy' });
    await onBusy.getByLabel('Process method').selectOption({ label: 'Transfer' });
    await onBusy.getByLabel('Device type').selectOption({ label: 'IVR' });
    await onBusy.getByLabel('Target IVR').selectOption({ label: 'Main IVR (9001)' });
    await form.getByRole('button', { name: 'Save' }).click();
    await poll(async () => (await getJson<Item>(page, '/mock/admin/skill-queues/WebCallback')).item.onBusy, { timeout: 20_000 }).toEqual({
      processMethod: 'transfer',
      deviceType: 'ivr',
      target: '9001',
    });
    // Back to release: the policy drops its target.
    await onBusy.getByLabel('Process method').selectOption({ label: 'Release' });
    expect(await onBusy.getByLabel('Device type').count()).toBe(0);
    await form.getByRole('button', { name: 'Save' }).click();
    await poll(async () => (await getJson<Item>(page, '/mock/admin/skill-queues/WebCallback')).item.onBusy, { timeout: 20_000 }).toMatchObject({ processMethod: 'release' });

    // Show the policy again for the screenshot.
    await admin.getByLabel('Skill queue', { exact: true }).selectOption('WebSupport');
    await poll(() => form.getByRole('group', { name: 'On timeout' }).getByLabel('Target skill queue').inputValue()).toBe('Billing');
    mkdirSync('.cache/screenshots', { recursive: true });
    await onTimeout.scrollIntoViewIfNeeded();
    await admin.screenshot({ path: '.cache/screenshots/demo-admin-transfer-policy.png' });
    expect(page.errors).toEqual([]);
    await page.context().close();
  }, 120_000);

  it('offers queuing and keeping methods for voice and video queues, and the agent phone (17.2)', async () => {
    const page = await openDemo(h);
    const admin = page.getByRole('region', { name: 'Administrator' });
    await admin.getByLabel('Configure').selectOption({ label: 'Skill queue' });
    const form = admin.getByRole('form', { name: 'Skill queue settings' });
    // Multimedia queues have no waiting tones.
    expect(await form.getByLabel('Queuing method').count()).toBe(0);
    await admin.getByRole('button', { name: 'New' }).click();
    await form.getByLabel('Name', { exact: true }).fill('Hotline');
    await form.getByLabel('Type').selectOption({ label: 'Voice' });
    await form.getByLabel('Queuing method').selectOption({ label: 'Customized wait tone' });
    await form.getByLabel('Keeping method').selectOption({ label: 'Default keeping tone' });
    await form.getByRole('button', { name: 'Create skill queue' }).click();
    await poll(() => admin.getByRole('status').first().textContent(), { timeout: 20_000 }).toContain('Saved');
    await poll(async () => (await getJson<Item>(page, '/mock/admin/skill-queues/Hotline')).item ?? null, { timeout: 20_000 }).toMatchObject({
      type: 'voice',
      queuingMethod: 'customTone',
      keepingMethod: 'defaultTone',
    });
    // Switched to video, the tones stay; to multimedia they go.
    await form.getByLabel('Type').selectOption({ label: 'Video' });
    expect(await form.getByLabel('Queuing method').inputValue()).toBe('customTone');
    await form.getByLabel('Type').selectOption({ label: 'Multimedia' });
    expect(await form.getByLabel('Queuing method').count()).toBe(0);
    await form.getByRole('button', { name: 'Save' }).click();
    await poll(async () => (await getJson<Item>(page, '/mock/admin/skill-queues/Hotline')).item.type, { timeout: 20_000 }).toBe('multimedia');
    expect((await getJson<Item>(page, '/mock/admin/skill-queues/Hotline')).item.queuingMethod).toBeUndefined();

    await admin.getByLabel('Configure').selectOption({ label: 'Agent' });
    const agentForm = admin.getByRole('form', { name: 'Agent settings' });
    await agentForm.getByLabel('Phone (mobile or fixed-line number)').fill('+86 10 1234 5678');
    await agentForm.getByRole('button', { name: 'Save' }).click();
    await poll(async () => (await getJson<Item>(page, '/mock/admin/agents/alice')).item.phone, { timeout: 20_000 }).toBe('+86 10 1234 5678');
    expect((await writes(page)).at(-1)).toEqual({ method: 'PATCH', path: '/mock/admin/agents/alice', body: { phone: '+86 10 1234 5678' } });
    await page.context().close();
  }, 120_000);

  it('forms show the tenant as it is now and a save sends only what was edited (17.5)', async () => {
    const page = await openDemo(h);
    const admin = page.getByRole('region', { name: 'Administrator' });
    const tools = page.getByRole('region', { name: 'Tools' });
    const form = admin.getByRole('form', { name: 'Web channel settings' });
    expect(await form.getByLabel('Work Time: off').count()).toBe(1);

    await tools.getByRole('button', { name: 'Off hours' }).click();
    // The form follows the preset: Work Time is on, with the preset's hours.
    await poll(() => form.getByRole('group', { name: /^Work Time/ }).count(), { timeout: 20_000 }).toBe(1);
    expect(
      await form
        .getByRole('group', { name: /^Work Time/ })
        .getByLabel('Time Zone')
        .inputValue(),
    ).toBe('Asia/Shanghai');

    // The seed's reminder is given by language: the English one is edited, the others kept.
    const before = (await getJson<Item>(page, '/mock/admin/channels/demo')).item.queueReminder as { content: Record<string, string> };
    const reminder = form.getByRole('group', { name: 'Queue Reminder' }).getByLabel('Content', { exact: true });
    await reminder.fill('Still there? An agent is coming.');
    await form.getByRole('button', { name: 'Save' }).click();
    await poll(() => admin.getByRole('status').first().textContent(), { timeout: 20_000 }).toContain('Saved');
    const channel = (await getJson<Item>(page, '/mock/admin/channels/demo')).item;
    expect(channel.workTime).toMatchObject({ timeZone: 'Asia/Shanghai', workdays: [1, 2, 3, 4, 5] });
    const content = { ...before.content, en: 'Still there? An agent is coming.' };
    expect(channel.queueReminder).toEqual({ intervalSeconds: 10, content });
    expect((await writes(page)).at(-1)).toEqual({
      method: 'PATCH',
      path: '/mock/admin/channels/demo',
      body: { queueReminder: { intervalSeconds: 10, content } },
    });

    // Queue full changes a queue: its form shows it, and an unrelated edit keeps it.
    await tools.getByRole('button', { name: 'Queue full' }).click();
    await admin.getByLabel('Configure').selectOption({ label: 'Skill queue' });
    const queueForm = admin.getByRole('form', { name: 'Skill queue settings' });
    await poll(() => queueForm.getByLabel('Max Calls In Queue').inputValue(), { timeout: 20_000 }).toBe('1');
    await queueForm.getByLabel('Description').fill('The web site queue');
    await queueForm.getByRole('button', { name: 'Save' }).click();
    await poll(async () => (await getJson<Item>(page, '/mock/admin/skill-queues/WebSupport')).item.description, { timeout: 20_000 }).toBe('The web site queue');
    expect((await getJson<Item>(page, '/mock/admin/skill-queues/WebSupport')).item.maxCallsInQueue).toBe(1);

    // An edit in progress survives a change made elsewhere, which shows up around it.
    await queueForm.getByLabel('Arranging Duration').fill('12');
    await page.evaluate(() => fetch('/mock/admin/skill-queues/WebSupport', { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ maxWaitTime: 321 }) }));
    await tools.getByRole('button', { name: 'Chatbot on' }).click(); // any preset re-reads the tenant
    await poll(() => queueForm.getByLabel('Max Wait Time').inputValue(), { timeout: 20_000 }).toBe('321');
    expect(await queueForm.getByLabel('Arranging Duration').inputValue()).toBe('12');

    // Reset: the forms show the seeded tenant again.
    await admin.getByRole('button', { name: 'Reset to the seeded tenant' }).click();
    await poll(() => queueForm.getByLabel('Max Calls In Queue').inputValue(), { timeout: 20_000 }).toBe('100');
    expect(await queueForm.getByLabel('Description').inputValue()).toBe('Customer service for the web site');
    await page.context().close();
  }, 120_000);

  it('an error reads as a sentence next to the field, which takes focus (17.11)', async () => {
    const page = await openDemo(h, { width: 1280, height: 720 });
    const admin = page.getByRole('region', { name: 'Administrator' });
    const form = admin.getByRole('form', { name: 'Web channel settings' });
    await form.getByLabel('Work Time: off').click();
    const workday = form.getByRole('group', { name: 'Workday' });
    await workday.getByLabel('End').fill('25:00');
    await form.getByRole('button', { name: 'Save' }).click();
    const alert = admin.getByRole('alert');
    await poll(() => alert.count(), { timeout: 20_000 }).toBe(1);
    const text = (await alert.textContent())!;
    expect(text).toMatch(/^Work time, workday 1, end .+\.$/);
    expect(text).not.toMatch(/workTime|workday\[|\w\.\w/);
    // Focus is on the bad field, which is in view, with the same sentence next to it.
    await poll(() => page.evaluate(() => document.activeElement?.id)).toBe('adm-workTime-workday-0-end');
    const end = workday.getByLabel('End');
    expect(await end.getAttribute('aria-invalid')).toBe('true');
    expect(await end.evaluate((el) => document.getElementById(el.getAttribute('aria-describedby')!)?.textContent)).toBe(text);
    const box = (await end.boundingBox())!;
    expect(box.y).toBeGreaterThanOrEqual(0);
    expect(box.y + box.height).toBeLessThanOrEqual(720);
    await page.context().close();
  }, 120_000);
});

describe('demo: Batch Configure and Integration instructions (issue 20)', () => {
  it('batch-configures three agents, who then show the new queue on the workbench', async () => {
    const page = await openDemo(h);
    const admin = page.getByRole('region', { name: 'Administrator' });
    // A new multimedia queue and a third agent.
    await admin.getByLabel('Configure').selectOption({ label: 'Skill queue' });
    await admin.getByRole('button', { name: 'New' }).click();
    const queueForm = admin.getByRole('form', { name: 'Skill queue settings' });
    await queueForm.getByLabel('Name', { exact: true }).fill('Returns');
    await queueForm.getByLabel('Type').selectOption({ label: 'Multimedia' });
    await queueForm.getByRole('button', { name: 'Create skill queue' }).click();
    await poll(() => admin.getByRole('status').first().textContent(), { timeout: 20_000 }).toContain('Saved');
    await admin.getByLabel('Configure').selectOption({ label: 'Agent' });
    await admin.getByRole('button', { name: 'New' }).click();
    const agentForm = admin.getByRole('form', { name: 'Agent settings' });
    await agentForm.getByLabel('Account').fill('carol');
    await agentForm.getByLabel('Name', { exact: true }).fill('Carol');
    await agentForm.getByLabel('Employee Id').fill('10023');
    await agentForm.getByRole('button', { name: 'Create agent' }).click();
    await page.getByRole('region', { name: 'Agent carol' }).waitFor({ timeout: 20_000 });

    await admin.getByLabel('Configure').selectOption({ label: 'Batch configure agents' });
    const batch = admin.getByRole('form', { name: 'Batch configure agents' });
    const ids = batch.getByLabel('Employee IDs or segments');
    const selected = batch.getByRole('status', { name: 'Selected agents' });

    // A segment reaching past the agents: the IDs nobody has are named, and the API refuses it whole.
    await ids.fill('10021-10024');
    await poll(() => selected.textContent()).toContain('No agent has employee ID 10024');
    await batch.getByLabel('Platform role').selectOption({ label: 'Quality checker' });
    await batch.getByRole('button', { name: 'Apply to 3 agents' }).click();
    await poll(() => page.evaluate(() => document.activeElement?.getAttribute('placeholder')), { timeout: 20_000 }).toBe('10021, 10020-10029');
    expect(await ids.getAttribute('aria-invalid')).toBe('true');
    const idsError = await ids.evaluate((el) => document.getElementById(el.getAttribute('aria-describedby')!)?.textContent);
    expect(idsError).toBe('The selection selects 10024 (in the segment 10021-10024), which is not the employee ID of an agent of the tenant.');

    // Past the video allowance (2): nothing changes, and the error names the agent next to Agent type.
    await ids.fill('10021-10023');
    await poll(() => selected.textContent()).toContain('3 agents selected');
    for (const who of ['Alice (alice, 10021)', 'Bob (bob, 10022)', 'Carol (carol, 10023)']) expect(await selected.textContent()).toContain(who);
    await batch.getByLabel('Platform role').selectOption({ label: '(keep as is)' });
    await batch.getByLabel('Agent type').selectOption({ label: 'Video agent' });
    await batch.getByRole('button', { name: 'Apply to 3 agents' }).click();
    const agentType = batch.getByLabel('Agent type');
    await poll(() => agentType.getAttribute('aria-invalid'), { timeout: 20_000 }).toBe('true');
    const typeError = (await agentType.evaluate((el) => document.getElementById(el.getAttribute('aria-describedby')!)?.textContent))!;
    expect(typeError).toMatch(/^Agent (alice|bob|carol) \(employee ID 1002[123]\): /);
    expect(typeError).not.toMatch(/agentType|allowances\./);
    expect(await page.evaluate(() => document.activeElement?.closest('label')?.textContent?.trim().startsWith('Agent type'))).toBe(true);
    expect(((await getJson<Item>(page, '/mock/admin/agents/alice')).item as { agentType: string }).agentType).toBe('multimedia');

    // Within the rules: all three serve WebSupport and Returns.
    await agentType.selectOption({ label: '(keep as is)' });
    await batch.getByLabel('Set skill queues').check();
    await batch.getByLabel('WebSupport').check();
    await batch.getByLabel('Returns').check();
    await batch.getByLabel('Agent number anonymization flag').selectOption({ label: 'On' });
    mkdirSync('.cache/screenshots', { recursive: true });
    await admin.screenshot({ path: '.cache/screenshots/demo-admin-batch.png' });
    await batch.getByRole('button', { name: 'Apply to 3 agents' }).click();
    await poll(() => batch.getByRole('status').filter({ hasText: 'Applied' }).textContent(), { timeout: 20_000 }).toBe('Applied to 3 agents: alice, bob, carol.');
    for (const account of ['alice', 'bob', 'carol']) {
      await expect
        .poll(
          () =>
            page
              .getByRole('region', { name: `Agent ${account}` })
              .getByText(/^Skill queues:/)
              .textContent(),
          { timeout: 20_000 },
        )
        .toBe('Skill queues: WebSupport, Returns');
    }
    // Carol can take a chat from the new queue's agents' workbench like anyone else.
    const carol = page.getByRole('region', { name: 'Agent carol' });
    await carol.getByRole('button', { name: 'Sign in' }).click();
    await poll(() => carol.getByRole('status').first().textContent()).toBe('Not ready');
    // Only the two refused batches above, which Chromium logs as failed requests.
    expect(page.errors.filter((e) => !e.includes('status of 400 (Bad Request)'))).toEqual([]);
    await page.context().close();
  }, 180_000);

  it('saves a new channel, copies its snippet by keyboard, and the snippet alone runs the widget on a plain page', async () => {
    // The server's mock (shared by every page), so the plain page sees the new channel.
    const { context, page, admin, form, id, guide } = await createChannelInAdmin(h, { idPrefix: 'shop', greeting: 'Welcome to the shop! Ask me about opening hours.' });
    expect(await guide.getByText(`Channel ID: ${id}`).count()).toBe(1);
    expect(await guide.getByRole('button', { name: 'Copy the server-side signing snippet' }).count()).toBe(0); // no secretKey
    const copyTag = guide.getByRole('button', { name: 'Copy the script tag' });
    await copyTag.focus();
    await page.keyboard.press('Enter');
    await poll(() => guide.getByRole('status').textContent(), { timeout: 20_000 }).toBe('Copied the script tag.');
    const snippet = await page.evaluate(() => navigator.clipboard.readText());
    expect(snippet).toBe(`<script src="${h.base}dist/cec-chat.js" data-channel-id="${id}" data-base-url="${h.base.replace(/\/$/, '')}" async></script>`);
    await guide.getByRole('button', { name: 'Copy the stub snippet' }).press('Space');
    await poll(() => guide.getByRole('status').textContent(), { timeout: 20_000 }).toBe('Copied the stub snippet.');
    expect(await page.evaluate(() => navigator.clipboard.readText())).toContain(`CecChat('init', { channelId: '${id}'`);
    await guide.scrollIntoViewIfNeeded();
    await admin.screenshot({ path: '.cache/screenshots/demo-admin-integration.png' });

    // A plain page with nothing but the copied snippet.
    const plain = await context.newPage();
    await plain.route(`${h.base}plain-shop.html`, (route) =>
      route.fulfill({ contentType: 'text/html', body: `<!doctype html><html lang="en"><head><title>Plain shop</title></head><body><h1>Plain shop</h1>\n${snippet}\n</body></html>` }),
    );
    await plain.goto(`${h.base}plain-shop.html`);
    await plain.locator('cec-chat').getByRole('button', { name: 'Open chat' }).click({ timeout: 20_000 });
    const log = plain.getByRole('log', { name: 'Conversation' });
    await poll(() => log.textContent(), { timeout: 20_000 }).toContain('Welcome to the shop!');
    const message = plain.locator('cec-chat').getByRole('textbox', { name: 'Message' });
    await message.fill('When are you open?');
    await message.press('Enter');
    await poll(() => log.textContent(), { timeout: 20_000 }).toContain('Monday to Friday');

    // Try opens the widget on exactly that channel.
    await guide.getByRole('button', { name: `Try channel ${id}` }).click();
    await poll(() => page.locator('cec-chat').evaluate((el) => (el as HTMLElement & { channelId: string }).channelId), { timeout: 20_000 }).toBe(id);
    await poll(() => page.getByRole('log', { name: 'Conversation' }).textContent(), { timeout: 20_000 }).toContain('Welcome to the shop!');

    // A signed channel: the server-side snippet, with the key left out.
    await page.locator('cec-chat').evaluate((el) => (el as HTMLElement & { hide(): void }).hide());
    await admin.getByLabel('Web channel', { exact: true }).selectOption('signed');
    await form.getByRole('group', { name: 'Queue Reminder' }).getByLabel('Content').fill('One moment please.');
    await form.getByRole('button', { name: 'Save' }).click();
    await poll(() => guide.getByText('Channel ID: signed').count(), { timeout: 20_000 }).toBe(1);
    const server = guide.getByRole('region', { name: 'Server-side signing snippet' });
    expect(await server.textContent()).toContain("import { signChannelToken } from 'cec-web-chat/server';");
    expect(await server.textContent()).toContain('secretKey: process.env.CEC_SECRET_KEY');
    expect(await guide.textContent()).not.toContain('demoSecretKey0123456789');
    expect(page.errors).toEqual([]);
    await context.close();
  }, 180_000);

  it("shows a saved channel's Integration instructions without a change: on Save and by its own button", async () => {
    const page = await openDemo(h);
    const admin = page.getByRole('region', { name: 'Administrator' });
    const form = admin.getByRole('form', { name: 'Web channel settings' });
    const guide = admin.getByRole('region', { name: 'Integration instructions' });
    await form.getByRole('button', { name: 'Save' }).click();
    await poll(() => admin.getByRole('status').first().textContent(), { timeout: 20_000 }).toBe('Nothing to save: no field was changed. Its Integration instructions are below.');
    await guide.waitFor({ timeout: 20_000 });
    expect(await guide.getByText('Channel ID: demo').count()).toBe(1);
    await guide.getByRole('button', { name: 'Close instructions' }).click();
    await poll(() => guide.count(), { timeout: 20_000 }).toBe(0);
    await form.getByRole('button', { name: 'Integration instructions' }).click();
    await poll(() => guide.getByText('Channel ID: demo').count(), { timeout: 20_000 }).toBe(1);
    // Its own button is gone while they show.
    expect(await form.getByRole('button', { name: 'Integration instructions' }).count()).toBe(0);
    expect(page.errors).toEqual([]);
  }, 120_000);
});
