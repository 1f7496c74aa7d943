/**
 * End to end in Chromium (playwright-core): the widget embedded by its script tag on a shop page,
 * talking to the connector (its own origin, CORS), which talks the real CEC wire to the mock's
 * real-CEC face (the plain HTTP server, on a manual clock). Bot keyword answer, keyword transfer,
 * queue and reminder, agent chat both ways, evaluation, end by the agent.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cecFaceOf } from '../../mock-server/handlers/cec/index.js';
import { startConnectorE2E, type ConnectorE2E } from './connector-harness.js';

let e2e: ConnectorE2E;
beforeAll(async () => {
  e2e = await startConnectorE2E();
});
afterAll(async () => {
  await e2e?.close();
});

describe('widget by script tag → connector → real-CEC face (Chromium)', () => {
  it('bot keyword answer, keyword transfer, queue and reminder, agent chat both ways, evaluation, end', { timeout: 90_000 }, async () => {
    const { cc, clock } = e2e;
    const face = cecFaceOf(cc);
    cc.desk.signIn('alice');
    const page = await e2e.openShop();
    await page.getByRole('button', { name: 'Open chat' }).click();
    const log = page.getByRole('log', { name: 'Conversation' });
    await expect.poll(() => log.textContent(), { timeout: 15_000 }).toContain("Hi, I'm Ava");
    const message = page.getByRole('textbox', { name: 'Message' });
    await message.fill('When are you open?');
    await message.press('Enter');
    await expect.poll(() => log.textContent(), { timeout: 10_000 }).toContain('Monday to Friday');

    await message.fill('I want a human please');
    await message.press('Enter');
    await expect.poll(() => page.getByText('You are next in line.').count(), { timeout: 10_000 }).toBeGreaterThan(0);
    clock.advance(10_000);
    await expect.poll(() => page.getByText('Thanks for waiting, an agent will be with you shortly.').count(), { timeout: 10_000 }).toBeGreaterThan(0);

    cc.desk.setReady('alice', true);
    const waiting = cc.desk.snapshot('alice').waiting.find((w) => w.customerName === 'Li Lei');
    if (waiting) cc.desk.accept('alice', waiting.sessionId);
    await expect.poll(() => log.textContent(), { timeout: 10_000 }).toContain('joined the chat');
    cc.desk.send('alice', 'Hello Li Lei, I am Alice. How can I help?');
    await expect.poll(() => log.textContent(), { timeout: 10_000 }).toContain('How can I help?');
    await message.fill('My parcel has not arrived.');
    await message.press('Enter');
    await expect.poll(() => cc.desk.snapshot('alice').session?.messages.some((m) => m.content === 'My parcel has not arrived.'), { timeout: 10_000 }).toBe(true);

    cc.desk.end('alice');
    await expect.poll(() => log.textContent(), { timeout: 10_000 }).toContain('The agent ended the chat.');
    const rating = page.getByRole('radiogroup', { name: 'Rating' });
    await rating.getByText('★').nth(4).click({ timeout: 10_000 }); // the fifth star (its radio is visually hidden)
    expect(await rating.getByRole('radio', { name: '5 – Very satisfied' }).isChecked()).toBe(true);
    await page.getByRole('button', { name: 'Submit rating' }).click();
    await expect.poll(() => face.ratings.length, { timeout: 10_000 }).toBe(1);
    expect(face.ratings[0]).toMatchObject({ evaluation: '5' });
    await expect.poll(() => page.getByText('Thank you for your feedback!').count(), { timeout: 10_000 }).toBeGreaterThan(0);
    expect(page.errors).toEqual([]);
  });
});
