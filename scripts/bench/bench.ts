/**
 * `npm run bench`: weight and start-up of the widget beside a bare Lit element built the same
 * way, in headless Chromium on loopback (medians of --runs cold loads, default 5, at 1x and 4x
 * CPU throttling): bytes raw / gzip / brotli of the script tag and of everything loaded on first
 * open, ms from navigation to the launcher in the DOM, long-task time, JS heap after load, and
 * the time to render a transcript of 1,000 and 10,000 messages. Prints figures, fails nothing.
 */
import { createServer, type Server } from 'node:http';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import typescript from '@rollup/plugin-typescript';
import { chromium, type Browser } from 'playwright-core';
import { rollup } from 'rollup';
import { createDemoServer } from '../../demo/server.js';
import type { ContactCenter } from '../../mock-server/runtime/contact-center.js';
import type { SendRequest } from '../../widget/core/protocol.js';
import { CHROMIUM_ARGS, findChromium } from '../chromium.mjs';
import { budgets, scriptTagSize, sizeOf } from './sizes.mjs';

const runs = Number(process.argv[process.argv.indexOf('--runs') + 1]) || 5;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function buildBare(): Promise<Buffer> {
  const bundle = await rollup({
    input: 'scripts/bench/bare-lit.ts',
    plugins: [
      nodeResolve({ browser: true }),
      typescript({ tsconfig: './tsconfig.json', compilerOptions: { noEmit: false, declaration: false }, include: ['scripts/bench/**/*.ts'] }),
      terser({ ecma: 2021, module: false, compress: { passes: 2 } }),
    ],
  });
  const { output } = await bundle.generate({ format: 'iife' });
  return Buffer.from(output[0].code);
}

/** Two pages on loopback: the bare element, and the README's embed of the widget. */
function pages(bare: Buffer): Server {
  const html = (body: string) => `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>bench</title>${body}</head><body><p>A page with a chat launcher.</p></body></html>`;
  return createServer((req, res) => {
    const url = req.url ?? '/';
    const send = (type: string, body: string | Buffer) => res.writeHead(200, { 'content-type': type, 'cache-control': 'no-store' }).end(body);
    if (url === '/bare') return send('text/html', html('<script src="/bare.js" async></script>').replace('<body>', '<body><bare-launcher></bare-launcher>'));
    if (url === '/widget') return send('text/html', html('<script src="/dist/cec-chat.js" data-channel-id="demo" async></script>'));
    if (url === '/bare.js') return send('text/javascript', bare);
    if (url.startsWith('/dist/')) {
      try {
        return send('text/javascript', readFileSync(join('.', url.split('?')[0]!)));
      } catch {
        /* 404 below */
      }
    }
    res.writeHead(404).end();
  });
}

const probe = `(() => {
  const w = window; w.__longTasks = 0; w.__tbt = 0;
  new PerformanceObserver((l) => { for (const e of l.getEntries()) { w.__longTasks += e.duration; w.__tbt += Math.max(0, e.duration - 50); } }).observe({ type: 'longtask', buffered: true });
  const find = () => document.querySelector('bare-launcher')?.shadowRoot?.querySelector('button') || document.querySelector('cec-chat')?.shadowRoot?.querySelector('button.launcher');
  const tick = () => { if (find()) w.__launcher = performance.now(); else requestAnimationFrame(tick); };
  new MutationObserver(() => { if (!w.__launcher && find()) w.__launcher = performance.now(); }).observe(document, { subtree: true, childList: true });
  requestAnimationFrame(tick);
})();`;

async function startup(browser: Browser, url: string, rate: number) {
  const launcher: number[] = [];
  const longTasks: number[] = [];
  const heap: number[] = [];
  for (let i = 0; i < runs; i++) {
    const context = await browser.newContext();
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate });
    await page.addInitScript(probe);
    await page.goto(url, { waitUntil: 'load' });
    await page.waitForFunction(() => (window as unknown as { __launcher?: number }).__launcher, null, { timeout: 20_000 });
    await page.waitForTimeout(300);
    const r = await page.evaluate(() => {
      const w = window as unknown as { __launcher: number; __longTasks: number };
      return { launcher: w.__launcher, longTasks: w.__longTasks, heap: (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? 0 };
    });
    launcher.push(r.launcher);
    longTasks.push(r.longTasks);
    heap.push(r.heap);
    await context.close();
  }
  return { launcher: median(launcher), longTasks: median(longTasks), heapKB: Math.round(median(heap) / 1024) };
}

/** Bytes of every script the page loads once the chat is opened. */
async function firstOpen(browser: Browser, url: string): Promise<ReturnType<typeof sizeOf>> {
  const context = await browser.newContext();
  const page = await context.newPage();
  const bodies: Buffer[] = [];
  page.on('response', async (r) => {
    if (r.request().resourceType() === 'script') bodies.push(await r.body().catch(() => Buffer.alloc(0)));
  });
  await page.goto(url);
  await page.locator('cec-chat').getByRole('button', { name: 'Open chat' }).click();
  await page.locator('cec-chat').getByRole('log').waitFor();
  await page.waitForTimeout(500);
  await context.close();
  return sizeOf(bodies);
}

/** From opening a chat with N messages in its history to the transcript on screen, and scrolling it. */
async function transcript(browser: Browser, base: string, cc: ContactCenter, n: number) {
  // The history is made in-process on the demo server's mock (fast), then the page opens it.
  // The history belongs to a stream bound to a resume key (contract C1); the page stores that key
  // as the widget would have, so the widget resumes this stream instead of starting a new one.
  const userId = `bench-${n}`;
  const { resumeKey } = await cc.applyToken({ channelId: 'demo', userId }, null);
  const id = { channelId: 'demo', userId, resumeKey };
  cc.desk.signIn('alice');
  cc.desk.setReady('alice', true);
  const send = (controlType: SendRequest['controlType'], k: number) =>
    cc.send(id, { channel: 'WEB', controlType, mediaType: 'TEXT', content: '', from: userId, to: 'demo', senderNickname: userId, sourceType: 'CUSTOMER', timestamp: Date.now(), clientMessageId: `${userId}-${k}` });
  send('CONNECT', 0);
  send('TRANS2AGENT', 1);
  cc.desk.accept('alice');
  for (let i = 0; i < n; i++) cc.desk.send('alice', `Message ${i}: the quick brown fox jumps over the lazy dog.`);
  const context = await browser.newContext();
  await context.addInitScript('window.__name = (f) => f'); // tsx names functions with a helper the page lacks
  await context.addInitScript(
    `localStorage.setItem(${JSON.stringify(`cec-chat:demo:session:${userId}`)}, ${JSON.stringify(JSON.stringify({ cursor: 0, outbox: [], resumeKey }))})`,
  );
  const page = await context.newPage();
  await page.goto(`${base}/demo/embed.html?mock=http`);
  await page.locator('body[data-ready="true"]').waitFor();
  const result = await page.evaluate(
    async ({ n, userId }) => {
      const t0 = performance.now();
      (window as unknown as { CecChat: (...a: unknown[]) => void }).CecChat('init', { channelId: 'demo', userId, open: true });
      const root = () => document.querySelector('cec-chat')?.shadowRoot;
      while (!root()?.querySelector('.transcript')?.textContent?.includes(`Message ${n - 1}:`)) await new Promise((r) => setTimeout(r, 5));
      const rendered = performance.now() - t0;
      const log = root()!.querySelector('.transcript')!;
      const frames: number[] = [];
      let last = performance.now();
      for (let i = 0; i < 60; i++) {
        log.scrollTop = (log.scrollHeight * (60 - i)) / 60;
        await new Promise((r) => requestAnimationFrame(r));
        const now = performance.now();
        frames.push(now - last);
        last = now;
      }
      frames.sort((a, b) => a - b);
      return { rendered, p50: frames[30]!, worst: frames[59]! };
    },
    { n, userId },
  );
  await context.close();
  cc.desk.end('alice');
  cc.clock.advance(10_000);
  return result;
}

const bare = await buildBare();
const bareSize = sizeOf([bare]);
const tag = scriptTagSize();
const server = pages(bare);
await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
const { server: demo, cc } = createDemoServer();
await new Promise<void>((r) => demo.listen(0, '127.0.0.1', r));
const demoUrl = `http://127.0.0.1:${(demo.address() as AddressInfo).port}`;
const browser = await chromium.launch({ executablePath: findChromium(), args: [...CHROMIUM_ARGS, '--enable-precise-memory-info'] });
try {
  const open = await firstOpen(browser, `${url}/widget`);
  const [b1, w1, b4, w4] = [await startup(browser, `${url}/bare`, 1), await startup(browser, `${url}/widget`, 1), await startup(browser, `${url}/bare`, 4), await startup(browser, `${url}/widget`, 4)];
  const t1k = await transcript(browser, demoUrl, cc, 1000);
  const t10k = await transcript(browser, demoUrl, cc, 10000);
  const budget = budgets();
  const row = (name: string, a: string | number, b: string | number, c = '') => console.log(`${name.padEnd(34)}${String(a).padStart(12)}${String(b).padStart(14)}   ${c}`);
  console.log(`\nCEC Web Chat benchmark — headless Chromium, loopback, medians of ${runs} cold loads\n`);
  row('', 'bare Lit', 'cec-chat', 'budget');
  row('script tag raw / gzip (B)', `${bareSize.raw} / ${bareSize.gzip}`, `${tag.raw} / ${tag.gzip}`);
  row('script tag brotli (B)', bareSize.brotli, tag.brotli, `≤ ${budget.scriptTagBrotli} ${tag.brotli <= budget.scriptTagBrotli ? 'PASS' : 'OVER'}`);
  row('first open raw / gzip (B)', '—', `${open.raw} / ${open.gzip}`);
  row('first open brotli (B)', '—', open.brotli, `≤ ${budget.firstOpenBrotli} ${open.brotli <= budget.firstOpenBrotli ? 'PASS' : 'OVER'}`);
  row('launcher visible, ms (1x CPU)', b1.launcher.toFixed(1), w1.launcher.toFixed(1), `≤ bare + 20 ${w1.launcher <= b1.launcher + 20 ? 'PASS' : 'OVER'}`);
  row('launcher visible, ms (4x CPU)', b4.launcher.toFixed(1), w4.launcher.toFixed(1));
  row('long tasks, ms (1x / 4x)', `${b1.longTasks} / ${b4.longTasks}`, `${w1.longTasks} / ${w4.longTasks}`, `0 ${w1.longTasks + w4.longTasks === 0 ? 'PASS' : 'OVER'}`);
  row('JS heap after load, KB (1x)', b1.heapKB, w1.heapKB);
  row('transcript 1,000 msgs: open→shown ms', '—', t1k.rendered.toFixed(0), `scroll frame p50 ${t1k.p50.toFixed(1)} / worst ${t1k.worst.toFixed(1)} ms`);
  row('transcript 10,000 msgs: open→shown ms', '—', t10k.rendered.toFixed(0), `scroll frame p50 ${t10k.p50.toFixed(1)} / worst ${t10k.worst.toFixed(1)} ms`);
} finally {
  await browser.close();
  server.close();
  demo.close();
}
