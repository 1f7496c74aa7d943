/**
 * The Administrator pane end to end (issue 17 cases 1, 2, 5, 11; issue 20): every field of the
 * admin guide can be set, forms show the tenant as it is now and save only what was edited,
 * errors are sentences that take focus, Batch Configure, and the Integration instructions.
 * Chromium through playwright-core; locators by role and accessible name.
 */
import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getJson, openDemo, startHarness, writes, type Harness } from './demo-harness.js';

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
    await expect.poll(() => admin.getByRole('status').first().textContent(), { timeout: 10_000 }).toContain('Saved');
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
    await expect.poll(async () => (await getJson<Item>(page, '/mock/admin/skill-queues/WebCallback')).item.onBusy, { timeout: 10_000 }).toEqual({
      processMethod: 'transfer',
      deviceType: 'ivr',
      target: '9001',
    });
    // Back to release: the policy drops its target.
    await onBusy.getByLabel('Process method').selectOption({ label: 'Release' });
    expect(await onBusy.getByLabel('Device type').count()).toBe(0);
    await form.getByRole('button', { name: 'Save' }).click();
    await expect.poll(async () => (await getJson<Item>(page, '/mock/admin/skill-queues/WebCallback')).item.onBusy, { timeout: 10_000 }).toMatchObject({ processMethod: 'release' });

    // Show the policy again for the screenshot.
    await admin.getByLabel('Skill queue', { exact: true }).selectOption('WebSupport');
    await expect.poll(() => form.getByRole('group', { name: 'On timeout' }).getByLabel('Target skill queue').inputValue()).toBe('Billing');
    mkdirSync('.cache/screenshots', { recursive: true });
    await onTimeout.scrollIntoViewIfNeeded();
    await admin.screenshot({ path: '.cache/screenshots/demo-admin-transfer-policy.png' });
    expect(page.errors).toEqual([]);
    await page.context().close();
  }, 60_000);

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
    await expect.poll(async () => (await getJson<Item>(page, '/mock/admin/skill-queues/Hotline')).item ?? null, { timeout: 10_000 }).toMatchObject({
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
    await expect.poll(async () => (await getJson<Item>(page, '/mock/admin/skill-queues/Hotline')).item.type, { timeout: 10_000 }).toBe('multimedia');
    expect((await getJson<Item>(page, '/mock/admin/skill-queues/Hotline')).item.queuingMethod).toBeUndefined();

    await admin.getByLabel('Configure').selectOption({ label: 'Agent' });
    const agentForm = admin.getByRole('form', { name: 'Agent settings' });
    await agentForm.getByLabel('Phone (mobile or fixed-line number)').fill('+86 10 1234 5678');
    await agentForm.getByRole('button', { name: 'Save' }).click();
    await expect.poll(async () => (await getJson<Item>(page, '/mock/admin/agents/alice')).item.phone, { timeout: 10_000 }).toBe('+86 10 1234 5678');
    expect((await writes(page)).at(-1)).toEqual({ method: 'PATCH', path: '/mock/admin/agents/alice', body: { phone: '+86 10 1234 5678' } });
    await page.context().close();
  }, 60_000);

  it('forms show the tenant as it is now and a save sends only what was edited (17.5)', async () => {
    const page = await openDemo(h);
    const admin = page.getByRole('region', { name: 'Administrator' });
    const tools = page.getByRole('region', { name: 'Tools' });
    const form = admin.getByRole('form', { name: 'Web channel settings' });
    expect(await form.getByLabel('Work Time: off').count()).toBe(1);

    await tools.getByRole('button', { name: 'Off hours' }).click();
    // The form follows the preset: Work Time is on, with the preset's hours.
    await expect.poll(() => form.getByRole('group', { name: /^Work Time/ }).count(), { timeout: 10_000 }).toBe(1);
    expect(await form.getByRole('group', { name: /^Work Time/ }).getByLabel('Time Zone').inputValue()).toBe('Asia/Shanghai');

    const reminder = form.getByRole('group', { name: 'Queue Reminder' }).getByLabel('Content');
    await reminder.fill('Still there? An agent is coming.');
    await form.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => admin.getByRole('status').first().textContent(), { timeout: 10_000 }).toContain('Saved');
    const channel = (await getJson<Item>(page, '/mock/admin/channels/demo')).item;
    expect(channel.workTime).toMatchObject({ timeZone: 'Asia/Shanghai', workdays: [1, 2, 3, 4, 5] });
    expect(channel.queueReminder).toEqual({ intervalSeconds: 10, content: 'Still there? An agent is coming.' });
    expect((await writes(page)).at(-1)).toEqual({
      method: 'PATCH',
      path: '/mock/admin/channels/demo',
      body: { queueReminder: { intervalSeconds: 10, content: 'Still there? An agent is coming.' } },
    });

    // Queue full changes a queue: its form shows it, and an unrelated edit keeps it.
    await tools.getByRole('button', { name: 'Queue full' }).click();
    await admin.getByLabel('Configure').selectOption({ label: 'Skill queue' });
    const queueForm = admin.getByRole('form', { name: 'Skill queue settings' });
    await expect.poll(() => queueForm.getByLabel('Max Calls In Queue').inputValue(), { timeout: 10_000 }).toBe('1');
    await queueForm.getByLabel('Description').fill('The web site queue');
    await queueForm.getByRole('button', { name: 'Save' }).click();
    await expect.poll(async () => (await getJson<Item>(page, '/mock/admin/skill-queues/WebSupport')).item.description, { timeout: 10_000 }).toBe('The web site queue');
    expect((await getJson<Item>(page, '/mock/admin/skill-queues/WebSupport')).item.maxCallsInQueue).toBe(1);

    // An edit in progress survives a change made elsewhere, which shows up around it.
    await queueForm.getByLabel('Arranging Duration').fill('12');
    await page.evaluate(() => fetch('/mock/admin/skill-queues/WebSupport', { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ maxWaitTime: 321 }) }));
    await tools.getByRole('button', { name: 'Chatbot on' }).click(); // any preset re-reads the tenant
    await expect.poll(() => queueForm.getByLabel('Max Wait Time').inputValue(), { timeout: 10_000 }).toBe('321');
    expect(await queueForm.getByLabel('Arranging Duration').inputValue()).toBe('12');

    // Reset: the forms show the seeded tenant again.
    await admin.getByRole('button', { name: 'Reset to the seeded tenant' }).click();
    await expect.poll(() => queueForm.getByLabel('Max Calls In Queue').inputValue(), { timeout: 10_000 }).toBe('100');
    expect(await queueForm.getByLabel('Description').inputValue()).toBe('Customer service for the web site');
    await page.context().close();
  }, 60_000);

  it('an error reads as a sentence next to the field, which takes focus (17.11)', async () => {
    const page = await openDemo(h, { width: 1280, height: 720 });
    const admin = page.getByRole('region', { name: 'Administrator' });
    const form = admin.getByRole('form', { name: 'Web channel settings' });
    await form.getByLabel('Work Time: off').click();
    const workday = form.getByRole('group', { name: 'Workday' });
    await workday.getByLabel('End').fill('25:00');
    await form.getByRole('button', { name: 'Save' }).click();
    const alert = admin.getByRole('alert');
    await expect.poll(() => alert.count(), { timeout: 10_000 }).toBe(1);
    const text = (await alert.textContent())!;
    expect(text).toMatch(/^Work time, workday 1, end .+\.$/);
    expect(text).not.toMatch(/workTime|workday\[|\w\.\w/);
    // Focus is on the bad field, which is in view, with the same sentence next to it.
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('adm-workTime-workday-0-end');
    const end = workday.getByLabel('End');
    expect(await end.getAttribute('aria-invalid')).toBe('true');
    expect(await end.evaluate((el) => document.getElementById(el.getAttribute('aria-describedby')!)?.textContent)).toBe(text);
    const box = (await end.boundingBox())!;
    expect(box.y).toBeGreaterThanOrEqual(0);
    expect(box.y + box.height).toBeLessThanOrEqual(720);
    await page.context().close();
  }, 60_000);
});
