/**
 * The Administrator pane's per-language texts (issue 19, item 4): QA gives the non-working
 * notice a French text by keyboard, an empty language is refused next to its field, and a
 * widget opened in French shows the French notice (and an English one the English notice).
 * Chromium through playwright-core; locators by role and accessible name.
 */
import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getJson, openDemo, poll, startHarness, writes, type Harness } from './demo-harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

const FRENCH = 'Nos conseillers répondent de 9 h à 18 h (heure de Pékin), du lundi au vendredi.';

describe('demo: texts by language in the Administrator pane', () => {
  it('sets a French non-working notice by keyboard, and a French widget shows it', async () => {
    const page = await openDemo(h);
    const admin = page.getByRole('region', { name: 'Administrator' });
    const tools = page.getByRole('region', { name: 'Tools' });
    const form = admin.getByRole('form', { name: 'Web channel settings' });
    await tools.getByRole('button', { name: 'Off hours' }).click();
    await poll(() => tools.getByRole('status').textContent()).toContain('leave-a-message');
    const workTime = form.getByRole('group', { name: /^Work Time/ });
    await poll(() => workTime.count(), { timeout: 20_000 }).toBe(1);
    const english = await workTime.getByLabel('Non Working Notice', { exact: true }).inputValue();
    expect(english).toContain('Our agents work 09:00–18:00');

    // One text for every language until a language is added; then one field per language.
    await workTime.getByRole('button', { name: 'Add a language' }).click();
    const notice = workTime.getByRole('group', { name: 'Non Working Notice' });
    const tag = notice.getByLabel('Language tag (such as pt-BR, fr, es)');
    await poll(() => page.evaluate(() => document.activeElement?.id)).toBe('adm-workTime-nonWorkingNotice-newlang');
    await page.keyboard.type('fr');
    await page.keyboard.press('Enter');
    await poll(() => page.evaluate(() => document.activeElement?.id)).toBe('adm-workTime-nonWorkingNotice-fr');
    await page.keyboard.type(FRENCH);
    expect(await notice.getByLabel('French (fr)').inputValue()).toBe(FRENCH);
    expect(await notice.getByLabel('Non Working Notice', { exact: true }).inputValue()).toBe(english);

    // A language left empty is refused: the sentence sits next to that language's field, which takes focus.
    await tag.fill('es');
    await notice.getByRole('button', { name: 'Add', exact: true }).click();
    await form.getByRole('button', { name: 'Save' }).click();
    const spanish = notice.getByLabel('Spanish (es)');
    await poll(() => spanish.getAttribute('aria-invalid'), { timeout: 20_000 }).toBe('true');
    await poll(() => page.evaluate(() => document.activeElement?.id)).toBe('adm-workTime-nonWorkingNotice-es');
    const describedBy = (await spanish.getAttribute('aria-describedby'))!;
    expect(await page.locator(`[id="${describedBy.split(' ').at(-1)}"]`).textContent()).toBe('Work time, non working notice, Spanish (es) is required (leave the language out instead).');
    await notice.getByRole('button', { name: 'Remove es' }).click();

    await form.getByRole('button', { name: 'Save' }).click();
    await poll(() => admin.getByRole('status').first().textContent(), { timeout: 20_000 }).toContain('Saved');
    const saved = (await getJson<{ item: { workTime: { nonWorkingNotice: unknown } } }>(page, '/mock/admin/channels/demo')).item;
    expect(saved.workTime.nonWorkingNotice).toEqual({ en: english, fr: FRENCH });
    expect((await writes(page)).at(-1)).toMatchObject({ method: 'PATCH', body: { workTime: { nonWorkingNotice: { en: english, fr: FRENCH } } } });
    mkdirSync('.cache/screenshots', { recursive: true });
    await notice.scrollIntoViewIfNeeded();
    await workTime.screenshot({ path: '.cache/screenshots/demo-admin-texts-by-language.png' });

    // The customer's widget in French: French chrome and the French notice.
    const customer = page.getByRole('region', { name: 'Customer' });
    await customer.getByLabel('Language').selectOption('fr');
    await customer.getByRole('button', { name: 'Try' }).click();
    const widget = page.locator('cec-chat');
    await poll(() => widget.evaluate((el) => (el as HTMLElement & { locale: string }).locale), { timeout: 20_000 }).toBe('fr');
    await poll(() => widget.getByRole('heading', { name: 'Nous sommes fermés pour le moment' }).count(), { timeout: 20_000 }).toBeGreaterThan(0);
    await poll(() => widget.getByRole('log').textContent(), { timeout: 20_000 }).toContain(FRENCH);

    // The same channel in English: the English notice.
    await customer.getByLabel('Language').selectOption('en');
    await customer.getByLabel('Customer id').fill('customer-en');
    await customer.getByRole('button', { name: 'Try' }).click();
    await poll(() => widget.getByRole('log').textContent(), { timeout: 20_000 }).toContain(english);
    expect(await widget.getByRole('log').textContent()).not.toContain(FRENCH);
    // The one refused save (the empty Spanish text) is the only failed request.
    expect(page.errors).toEqual(['Failed to load resource: the server responded with a status of 400 (Bad Request)']);
    await page.context().close();
  }, 120_000);
});
