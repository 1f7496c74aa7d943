/**
 * `npm run screenshots`: the widget in each main state, on a desktop (1280×800) and a phone
 * (375×667) viewport, light and dark, in headless Chromium, written to .cache/screenshots/.
 * The host page is demo/embed.html (the README's embed under a strict CSP); the mock runs in
 * that page with a manual clock, driven through its /mock API.
 */
import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { chromium, type Page } from 'playwright-core';
import { createDemoServer } from '../demo/server.js';
import { CHROMIUM_ARGS, findChromium } from './chromium.mjs';

const OUT = '.cache/screenshots';
mkdirSync(OUT, { recursive: true });
const { server } = createDemoServer();
await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
const browser = await chromium.launch({ executablePath: findChromium(), args: CHROMIUM_ARGS });

const mock = (page: Page, path: string, body?: unknown) =>
  page.evaluate(
    async ([p, b]) => {
      const res = await fetch(`/mock${p}`, b === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(b) });
      return res.json();
    },
    [path, body] as const,
  );

const inWidget = (page: Page, text: string) => page.locator('cec-chat').getByText(text, { exact: false }).first().waitFor({ timeout: 10_000 });

async function shoot(page: Page, name: string): Promise<void> {
  await page.waitForTimeout(250); // the panel's entrance animation
  await page.screenshot({ path: `${OUT}/${name}.png` });
  console.log(`${OUT}/${name}.png`);
}

try {
  for (const colorScheme of ['light', 'dark'] as const) {
    for (const [device, viewport] of [
      ['desktop', { width: 1280, height: 800 }],
      ['phone', { width: 375, height: 667 }],
    ] as const) {
      const context = await browser.newContext({ viewport, colorScheme, deviceScaleFactor: 1 });
      const page = await context.newPage();
      await page.goto(`${base}/demo/embed.html?manual-clock`);
      await page.locator('body[data-ready="true"]').waitFor();
      const tag = `${device}-${colorScheme}`;
      await mock(page, '/agents/alice/sign-in', {});
      await mock(page, '/agents/alice/ready', {});
      await page.evaluate(() => (window as unknown as { CecChat: (...a: unknown[]) => void }).CecChat('init', { channelId: 'demo', userId: 'shot', userName: 'Wang Fang', locale: 'en', open: true }));
      await inWidget(page, "Hi, I'm Ava");
      const box = page.getByRole('textbox', { name: 'Message' });
      await box.fill('What are your opening hours?');
      await box.press('Enter');
      await inWidget(page, 'Monday to Friday');
      await shoot(page, `${tag}-1-bot`);

      await box.fill('I need an agent please');
      await box.press('Enter');
      await inWidget(page, 'Waiting for an agent');
      await mock(page, '/clock/advance', { seconds: 10 });
      await inWidget(page, 'Thanks for waiting');
      await shoot(page, `${tag}-2-queue`);

      await mock(page, '/agents/alice/accept', {});
      await mock(page, '/agents/alice/send', { content: 'Hi Wang Fang, I am Alice. How can I help? See https://example.com/orders' });
      await inWidget(page, 'How can I help?');
      await box.fill('My parcel has not arrived yet.');
      await box.press('Enter');
      await mock(page, '/agents/alice?version=0', undefined);
      await mock(page, '/agents/alice/typing', { typing: true });
      await inWidget(page, 'Alice is typing');
      await shoot(page, `${tag}-3-agent`);

      await mock(page, '/clock/advance', { seconds: 18 * 60 });
      await inWidget(page, 'Are you still there?');
      await shoot(page, `${tag}-4-idle-warning`);

      await mock(page, '/agents/alice/end', {});
      await inWidget(page, 'How did we do?');
      await page.locator('cec-chat').getByText('★').nth(3).click();
      await shoot(page, `${tag}-5-ended-rating`);

      // Released from the queue (nobody on duty): the ended state with leave-a-message.
      await mock(page, '/agents/alice/sign-out', {});
      await page.locator('cec-chat').getByRole('button', { name: 'Start a new chat' }).click();
      await box.fill('agent');
      await box.press('Enter');
      await inWidget(page, 'no agent is on duty');
      await page.locator('cec-chat textarea[name="leave"]').fill('Please call me back about order 10231, the parcel has not arrived.');
      await page.locator('cec-chat input[name="contact"]').fill('wang.fang@example');
      await shoot(page, `${tag}-6-ended-leave-message`);
      await context.close();
    }
  }
  // Off hours and right-to-left, desktop light.
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await page.goto(`${base}/demo/embed.html?manual-clock`);
  await page.locator('body[data-ready="true"]').waitFor();
  await page.evaluate(async () => {
    await fetch('/mock/admin/channels/demo', {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        workTime: {
          timeZone: 'Asia/Shanghai',
          workdays: [1, 2, 3, 4, 5],
          workday: [{ start: '09:00', end: '09:01' }],
          nonWorkday: [],
          nonWorkingNotice: { en: 'Our agents work 09:00–18:00 Beijing time on workdays.', 'zh-CN': '我们的座席在工作日北京时间 09:00–18:00 为您服务。' },
        },
      }),
    });
    (window as unknown as { CecChat: (...a: unknown[]) => void }).CecChat('init', { channelId: 'demo', userId: 'night', locale: 'zh-CN', open: true });
  });
  await inWidget(page, '当前为非工作时间');
  await shoot(page, 'desktop-light-7-offhours-zh');
  await page.goto(`${base}/demo/embed.html?manual-clock`);
  await page.locator('body[data-ready="true"]').waitFor();
  await page.evaluate(() => (window as unknown as { CecChat: (...a: unknown[]) => void }).CecChat('init', { channelId: 'demo', userId: 'rtl', locale: 'ar', open: true }));
  await inWidget(page, 'التحدث إلى موظف');
  await shoot(page, 'desktop-light-8-rtl-ar');
  // Two of the languages the real CEC's satisfaction survey offers (pt_BR, fr_FR).
  for (const [locale, transfer, name] of [
    ['pt-BR', 'Falar com um atendente', 'desktop-light-9-pt-br'],
    ['fr', 'Parler à un conseiller', 'desktop-light-10-fr'],
  ] as const) {
    await page.goto(`${base}/demo/embed.html?manual-clock`);
    await page.locator('body[data-ready="true"]').waitFor();
    await page.evaluate((l) => (window as unknown as { CecChat: (...a: unknown[]) => void }).CecChat('init', { channelId: 'demo', userId: `lang-${l}`, locale: l, open: true }), locale);
    await inWidget(page, transfer);
    await shoot(page, name);
  }
  await context.close();
} finally {
  await browser.close();
  server.close();
}
