/**
 * `npm run bench`: weight and speed of the widget beside two floors, in headless Chromium on
 * loopback (medians of --runs, default 5, at 1x and 4x CPU throttling). The floors: a
 * zero-dependency launcher and panel written by hand (scripts/bench/floor.js) and a bare Lit
 * element built the same way as the widget (scripts/bench/bare-lit.ts). Figures: bytes of the
 * script tag, of a page view where the chat is never opened and of one where it is; ms from
 * navigation to the launcher (the script tag's early one and the Lit element's own); long tasks
 * at load (those starting before the page's launcher is up + 300 ms, see SETTLE) and, from
 * traced loads, the largest task's CPU time (the page's own work, whatever else the machine
 * runs); JS heap;
 * click → message box focused and typeable, with and without 300 ms added to every request;
 * main-thread task and layout time of one new message (agent's and customer's)
 * in chats of 25, 2,000 and 10,000 messages; open → shown for 1,000 and 10,000 messages (each a
 * median of --runs opens, as every figure).
 * Each figure is printed with its ratio to its floor and the issue's goal, on stdout; the detail
 * behind the long-task counts (each run's tasks, their start, duration and scripts) on stderr.
 * No Playwright evaluation runs in a page inside a measured window. Fails nothing.
 *
 * `--dist DIR` measures the widget files of another build (its cec-chat.js, cec-chat.esm.js and
 * chunks/) with this checkout's pages, floors, probes, demo page and mock: every widget file any
 * page loads, and the script tag's bytes, come from that one folder (this checkout's dist
 * without it), so a "before" and an "after" table differ only in the widget. `--help` lists the
 * options; a bad one is one sentence and exit 2.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { existsSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import typescript from '@rollup/plugin-typescript';
import { chromium, type Browser } from 'playwright-core';
import { rollup } from 'rollup';
import { createDemoServer } from '../../demo/server.js';
import type { ContactCenter } from '../../mock-server/runtime/contact-center.js';
import { customerSend, type SendRequest } from '../../mock-server/runtime/customer-send.js';
import { CHROMIUM_ARGS, findChromium } from '../chromium.mjs';
import { BENCH_OPTIONS, benchOptions, buildCommit, optionsOrExit, widgetFile } from './options.js';
import { budgets, scriptTagSize, sizeOf } from './sizes.mjs';

/** Medians of `runs`; `--only start,box,msg,transcript,bytes` measures only those groups (quick before/after checks), the rest print as —; the widget build in `dist`. */
const { runs, only, dist, distGiven } = optionsOrExit(
  benchOptions(process.argv.slice(2)),
  'npm run bench -- [options]',
  "The widget's weight and speed beside two floors, in headless Chromium on loopback.",
  BENCH_OPTIONS,
);
// The demo's embed page (dist/demo, this checkout's) hosts the widget in the per-message and transcript figures.
if (!existsSync('dist/demo/embed.js')) {
  console.error("This checkout's demo page is not built (dist/demo/embed.js): run npm run build first.");
  process.exit(2);
}
const wants = (group: string) => !only || only.has(group);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
/** The detail behind a figure (one line per run), on stderr: the table on stdout stays as it is. */
const detail = (line: string) => process.stderr.write(`${line}\n`);

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

/** The widget file behind URL `url` in the build measured (widgetFile), or null when there is none. */
function readWidgetFile(url: string): Buffer | null {
  const file = widgetFile(dist, url.split('?')[0]!);
  try {
    return file ? readFileSync(file) : null;
  } catch {
    return null; // not there, or a folder
  }
}

/**
 * The demo server's widget files (its embed page is the chat of the per-message and transcript
 * figures) come from `dist` too, with the headers the demo server gives them; everything else
 * (the page, its own script under /dist/demo/, the mock) stays the demo server's.
 */
function serveWidgetFromDist(demo: Server): void {
  const own = demo.listeners('request') as Array<(req: IncomingMessage, res: ServerResponse) => void>;
  demo.removeAllListeners('request');
  demo.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (!widgetFile(dist, (req.url ?? '/').split('?')[0]!)) {
      for (const listener of own) listener(req, res);
      return;
    }
    const body = readWidgetFile(req.url ?? '/');
    if (!body) return void res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found');
    res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-store', 'access-control-allow-origin': '*', 'cross-origin-resource-policy': 'cross-origin' }).end(body);
  });
}

/** Milliseconds added to every response of the pages server (the "300 ms latency" runs). */
let latency = 0;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function bodyOf(req: IncomingMessage): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of req) parts.push(c as Buffer);
  return Buffer.concat(parts);
}

/**
 * The pages on loopback: the floor, the bare Lit element and the README's embed of the widget,
 * whose files come from `dist` (widgetFile). Every other request (the contact center's API) is
 * passed on to the demo server, so the widget talks to its default origin; `latency` delays
 * every response, files and API alike.
 */
function pages(bare: Buffer, api: () => string): Server {
  const html = (body: string) => `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>bench</title>${body}</head><body><p>A page with a chat launcher.</p></body></html>`;
  const floor = readFileSync('scripts/bench/floor.js');
  return createServer(async (req, res) => {
    const url = req.url ?? '/';
    if (latency) await sleep(latency);
    const send = (type: string, body: string | Buffer) => res.writeHead(200, { 'content-type': type, 'cache-control': 'no-store' }).end(body);
    if (url === '/floor') return send('text/html', html('<script src="/floor.js" async></script>'));
    if (url === '/bare') return send('text/html', html('<script src="/bare.js" async></script>').replace('<body>', '<body><bare-launcher></bare-launcher>'));
    if (url === '/widget') return send('text/html', html('<script src="/dist/cec-chat.js" data-channel-id="demo" async></script>'));
    if (url === '/floor.js') return send('text/javascript', floor);
    if (url === '/bare.js') return send('text/javascript', bare);
    if (url.startsWith('/dist/')) {
      const body = readWidgetFile(url);
      return body ? send('text/javascript', body) : res.writeHead(404).end();
    }
    try {
      const headers = Object.fromEntries(Object.entries(req.headers).filter(([k, v]) => typeof v === 'string' && !['host', 'connection', 'content-length'].includes(k))) as Record<string, string>;
      const body = req.method === 'GET' || req.method === 'HEAD' ? undefined : new Uint8Array(await bodyOf(req));
      const up = await fetch(`${api()}${url}`, { method: req.method, headers, body });
      const out: Record<string, string> = {};
      for (const k of ['content-type', 'retry-after', 'cache-control']) if (up.headers.get(k)) out[k] = up.headers.get(k)!;
      res.writeHead(up.status, out).end(Buffer.from(await up.arrayBuffer()));
    } catch {
      if (!res.headersSent) res.writeHead(502).end();
    }
  });
}

/**
 * Long tasks are counted from navigation until the page's launcher is up and SETTLE ms more:
 * the button of the floors, the Lit element's own first render for cec-chat. 300 ms holds the
 * element's own follow-up tasks at load (its first frame is drawn out of sight and dropped in
 * the three tasks after the first render, template, styles, layout: well under 300 ms at 4x) and
 * is the window this figure always had after the launcher. Long tasks starting up to TAIL ms
 * after the cutoff are listed in the detail, not counted, to show what the margin leaves out.
 */
const SETTLE = 300;
const TAIL = 500;
/** The prefix of the probe's one console message: its report, as JSON. */
const MARKER = 'cec-bench:start ';

/** One long task at load as the probe saw it (ms from navigation start; attribution as the browser gave it). */
type LongTask = { start: number; duration: number; name: string; attribution: string };
/** A script of 5 ms or more in a long animation frame (the browser's script attribution, which long-task entries lack). */
type FrameScript = { start: number; duration: number; invoker: string; source: string };
type StartReport = { launcher: number; lit: number; cutoff: number; heap: number; tasks: LongTask[]; scripts: FrameScript[] };

/**
 * The page's own measurer, run before any of the page's scripts (an init script): it keeps every
 * long-task entry (start, duration, attribution), notes when the launcher shows (the early one and
 * the Lit element's own) and, SETTLE + TAIL ms after the page's launcher is up, reports once
 * through the console. No Playwright evaluation runs in the page while it measures: one would be
 * a task of its own (41–69 ms at 4x CPU seen in traces), counted as the page's.
 */
const probe = `(() => {
  const tasks = [], scripts = [];
  const keep = (l) => { for (const e of l) tasks.push({ start: e.startTime, duration: e.duration, name: e.name, attribution: (e.attribution || []).map((a) => [a.name, a.containerType, a.containerSrc, a.containerId, a.containerName].filter(Boolean).join(' ')).join(', ') }); };
  const keepFrames = (l) => { for (const f of l) for (const s of f.scripts || []) scripts.push({ start: s.startTime, duration: s.duration, invoker: s.invoker.replace(location.origin, ''), source: s.sourceURL === s.invoker ? '' : (s.sourceURL || 'no URL').replace(location.origin, '') + (s.sourceFunctionName ? ' ' + s.sourceFunctionName : '') }); };
  const longTasks = new PerformanceObserver((l) => keep(l.getEntries()));
  longTasks.observe({ type: 'longtask', buffered: true });
  const frames = new PerformanceObserver((l) => keepFrames(l.getEntries()));
  frames.observe({ type: 'long-animation-frame', buffered: true });
  const find = () => document.querySelector('floor-chat')?.shadowRoot?.querySelector('button') || document.querySelector('bare-launcher')?.shadowRoot?.querySelector('button') || document.querySelector('cec-chat')?.shadowRoot?.querySelector('button.launcher');
  // The Lit element's own launcher: the element upgraded and rendered (the early one is the loader's).
  const lit = () => { const el = document.querySelector('cec-chat'); return el && el.hasUpdated; };
  const floors = () => document.querySelector('floor-chat,bare-launcher');
  let launcher = 0, litAt = 0, seen = null;
  const report = () => {
    keep(longTasks.takeRecords());
    longTasks.disconnect();
    keepFrames(frames.takeRecords());
    frames.disconnect();
    const heap = performance.memory ? performance.memory.usedJSHeapSize : 0;
    console.debug(${JSON.stringify(MARKER)} + JSON.stringify({ launcher, lit: litAt || launcher, cutoff: seen + ${SETTLE}, heap, tasks, scripts }));
  };
  const up = () => { seen = performance.now(); mutations.disconnect(); setTimeout(report, ${SETTLE + TAIL}); };
  const tick = () => {
    if (!launcher && find()) launcher = performance.now();
    if (!litAt && lit()) litAt = performance.now();
    if (!launcher || (!litAt && !floors())) requestAnimationFrame(tick);
    else up();
  };
  const mutations = new MutationObserver(() => { if (!launcher && find()) { launcher = performance.now(); mutations.disconnect(); } });
  mutations.observe(document, { subtree: true, childList: true });
  requestAnimationFrame(tick);
})();`;

/** The largest main-thread task at load in a traced run: its thread CPU time and wall time (ms), and what ran in it. */
type LoadTaskCpu = { cpu: number; wall: number; what: string };
/** A Chromium trace event, as much of it as the bench reads. */
type TraceEvent = { name: string; ph: string; pid: number; tid: number; ts: number; dur?: number; tdur?: number; args?: { data?: Record<string, unknown> } };

/**
 * The largest task at load by thread CPU time, from a trace of the renderer's main thread: every
 * task starting after the page's document is committed and before the probe's cutoff (ms from
 * navigation start). Thread time is the
 * time the thread ran (at 4x throttling, four times the work), not the time it waited for a core
 * while other processes ran, so this figure is the same on a busy machine as on a quiet one; a
 * long task whose CPU time is well under 50 ms was made long by the machine, not by the page.
 */
function largestLoadTask(events: TraceEvent[], url: string, cutoffMs: number): LoadTaskCpu {
  const nav = events.find((e) => e.name === 'navigationStart' && e.args?.data?.documentLoaderURL === url);
  if (!nav) return { cpu: NaN, wall: NaN, what: 'no navigationStart in the trace' };
  const end = nav.ts + cutoffMs * 1000;
  const main = events.filter((e) => e.pid === nav.pid && e.tid === nav.tid && e.ph === 'X');
  // From the end of the task that commits the page's document (it also unloads the one before,
  // which is not the page's work and which the page's own long-task observer never sees).
  const commit = main.find((e) => e.name === 'CommitLoad' && e.args?.data?.url === url);
  const committed = main.find((e) => e.name === 'RunTask' && commit && e.ts <= commit.ts && e.ts + e.dur! >= commit.ts);
  const from = committed ? committed.ts + committed.dur! : nav.ts;
  const tasks = main.filter((e) => e.name === 'RunTask' && e.ts >= from && e.ts < end && e.tdur !== undefined);
  const top = tasks.reduce<TraceEvent | null>((a, b) => (!a || b.tdur! > a.tdur! ? b : a), null);
  if (!top) return { cpu: 0, wall: 0, what: 'no task' };
  const inside = main.filter((e) => e !== top && e.ts >= top.ts && e.ts + (e.dur ?? 0) <= top.ts + top.dur!);
  const script = inside.find((e) => ['EvaluateScript', 'v8.evaluateModule', 'FunctionCall', 'FireIdleCallback', 'FireAnimationFrame', 'TimerFire'].includes(e.name));
  const file = (script?.args?.data?.url as string | undefined)?.replace(/^.*\//, '');
  const what = script ? `${script.name}${file ? ` ${file}` : ''}` : `browser: ${inside[0]?.name ?? 'idle'}`;
  return { cpu: top.tdur! / 1000, wall: top.dur! / 1000, what };
}

/**
 * One page load at CPU throttling `rate`, measured by the probe (see probe): when the launchers
 * show, the long tasks and the heap. With `traced`, a Chromium trace of the load also gives the
 * largest task's CPU time (see largestLoadTask); a traced load is slower, so its long tasks and
 * timings are not counted, only that figure.
 */
async function startRun(browser: Browser, url: string, rate: number, traced: boolean): Promise<StartReport & { largest?: LoadTaskCpu }> {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate });
    await page.addInitScript(probe);
    const events: TraceEvent[] = [];
    if (traced) {
      cdp.on('Tracing.dataCollected', (d) => void events.push(...(d.value as unknown as TraceEvent[])));
      await cdp.send('Tracing.start', { categories: 'devtools.timeline,disabled-by-default-devtools.timeline,blink.user_timing', transferMode: 'ReportEvents' });
    }
    const reported = page.waitForEvent('console', { predicate: (m) => m.text().startsWith(MARKER), timeout: 30_000 });
    await page.goto(url, { waitUntil: 'load' });
    const r = JSON.parse((await reported).text().slice(MARKER.length)) as StartReport;
    if (!traced) return r;
    const complete = new Promise((done) => cdp.once('Tracing.tracingComplete', done));
    await cdp.send('Tracing.end');
    await complete;
    return { ...r, largest: largestLoadTask(events, url, r.cutoff) };
  } finally {
    await context.close();
  }
}

type StartFigures = { launcher: number; lit: number; longTasks: number; runsWithLongTasks: number; heapKB: number; largest: LoadTaskCpu };

/**
 * Launcher shown (early one and the Lit element's own, ms from navigation), long tasks at load
 * (the sum of those starting before the cutoff, median of `runs`; and in how many runs there was
 * one), the JS heap, and the largest task's CPU time in `runs` traced loads (the maximum), at CPU
 * throttling `rate`, for each page of `pages`. The pages take turns run by run, so a machine
 * that gets busier or quieter during the bench weighs on each page alike. Each run's long tasks
 * go to stderr (`detail`) with their start, duration and attribution, those after the cutoff
 * marked as not counted.
 */
async function startup(browser: Browser, pages: Record<string, string>, rate: number): Promise<Record<string, StartFigures>> {
  const names = Object.keys(pages);
  const by = Object.fromEntries(names.map((n) => [n, { launcher: [] as number[], lit: [] as number[], longTasks: [] as number[], heap: [] as number[], largest: [] as LoadTaskCpu[] }]));
  for (let i = 0; i < runs; i++) {
    for (const name of names) {
      const r = await startRun(browser, pages[name]!, rate, false);
      const into = by[name]!;
      const counted = r.tasks.filter((t) => t.start < r.cutoff);
      into.launcher.push(r.launcher);
      into.lit.push(r.lit);
      into.longTasks.push(Math.round(counted.reduce((sum, t) => sum + t.duration, 0)));
      into.heap.push(r.heap);
      const each = r.tasks.map((t) => {
        // The task's scripts of 5 ms or more; none means the browser's own work (navigation, parsing, style, layout, paint, GC).
        const ran = r.scripts.filter((s) => s.start >= t.start - 1 && s.start < t.start + t.duration).map((s) => `${[s.invoker, s.source].filter(Boolean).join(' ')} ${s.duration.toFixed(0)} ms`);
        const what = [t.name, t.attribution, ran.length ? `scripts: ${ran.join(', ')}` : 'no script of 5 ms or more'].filter(Boolean).join('; ');
        return `${t.start.toFixed(1)} +${t.duration.toFixed(0)} ms (${what})${t.start < r.cutoff ? '' : ' after the cutoff, not counted'}`;
      });
      detail(`start ${name} ${rate}x run ${i + 1}/${runs}: launcher ${r.launcher.toFixed(1)}, Lit ${r.lit.toFixed(1)}, cutoff ${r.cutoff.toFixed(1)} ms; long tasks: ${each.join('; ') || 'none'}`);
    }
  }
  if (rate > 1) {
    for (let i = 0; i < runs; i++) {
      for (const name of names) {
        const { largest } = await startRun(browser, pages[name]!, rate, true);
        by[name]!.largest.push(largest!);
        detail(`start ${name} ${rate}x traced run ${i + 1}/${runs}: largest task at load ${largest!.cpu.toFixed(1)} ms CPU, ${largest!.wall.toFixed(1)} ms wall (${largest!.what})`);
      }
    }
  }
  const none: LoadTaskCpu = { cpu: NaN, wall: NaN, what: '' };
  return Object.fromEntries(
    names.map((n) => {
      const f = by[n]!;
      const largest = f.largest.reduce((a, b) => (Number.isNaN(a.cpu) || b.cpu > a.cpu ? b : a), none);
      return [
        n,
        {
          launcher: median(f.launcher),
          lit: median(f.lit),
          longTasks: median(f.longTasks),
          runsWithLongTasks: f.longTasks.filter((x) => x > 0).length,
          heapKB: Math.round(median(f.heap) / 1024),
          largest,
        },
      ];
    }),
  );
}

/**
 * Bytes of every script a page view loads: left alone for 5 s (longer than the widget's idle
 * work would wait), then, when `open`, once the chat is opened and its transcript shown.
 */
async function pageBytes(browser: Browser, url: string, open: boolean): Promise<ReturnType<typeof sizeOf>> {
  const context = await browser.newContext();
  const page = await context.newPage();
  const bodies: Promise<Buffer>[] = [];
  page.on('response', (r) => {
    if (r.request().resourceType() === 'script') bodies.push(r.body().catch(() => Buffer.alloc(0)));
  });
  await page.goto(url);
  await page.waitForTimeout(5000);
  if (open) {
    await page.locator('cec-chat').getByRole('button', { name: 'Open chat' }).click();
    await page.locator('cec-chat').getByRole('log').waitFor();
    await page.waitForTimeout(500);
  }
  const result = sizeOf(await Promise.all(bodies));
  await context.close();
  return result;
}

/**
 * Click → message box focused and typeable (ms, median of `runs`): the launcher is clicked in the
 * page (the clock starts there) once the page has settled (an idle callback after the launcher's
 * first render), after the pointer rested on it for `hover` ms, as a person's does.
 */
async function clickToBox(browser: Browser, url: string, rate: number, hover: number) {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const context = await browser.newContext();
    await context.addInitScript('window.__name = (f) => f');
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await page.goto(url, { waitUntil: 'load' });
    const host = (await page.locator('floor-chat').count()) ? 'floor-chat' : 'cec-chat';
    if (host === 'cec-chat') await page.waitForFunction(() => (document.querySelector('cec-chat') as unknown as { hasUpdated?: boolean })?.hasUpdated);
    // The page has settled (the browser is idle once), as it has when a person or the page's own
    // code opens the chat: not in the few ms after the launcher first appears.
    await page.evaluate(() => new Promise<void>((r) => requestIdleCallback(() => r(), { timeout: 2000 })));
    await cdp.send('Emulation.setCPUThrottlingRate', { rate });
    if (hover) {
      const box = (await page.locator(`${host} button.launcher`).boundingBox())!;
      await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
      await page.waitForTimeout(hover);
    }
    times.push(
      await page.evaluate(async (host) => {
        const root = document.querySelector(host)!.shadowRoot!;
        const t0 = performance.now();
        root.querySelector<HTMLButtonElement>('button.launcher')!.click();
        for (;;) {
          const box = root.activeElement as HTMLTextAreaElement | null;
          if (box?.name === 'message' && !box.disabled && !box.readOnly) return performance.now() - t0;
          await new Promise((r) => requestAnimationFrame(r));
        }
      }, host),
    );
    await context.close();
  }
  return median(times);
}

/** A chat with `n` messages from agent alice in the demo server's mock, bound to a resume key. */
async function history(cc: ContactCenter, n: number, tag: string) {
  // The history belongs to a stream bound to a resume key (contract C1); the page stores that key
  // as the widget would have, so the widget resumes this stream instead of starting a new one.
  const userId = `bench-${tag}-${n}`;
  const { resumeKey } = await cc.applyToken({ channelId: 'demo', userId }, null);
  const id = { channelId: 'demo', userId, resumeKey };
  cc.desk.signIn('alice');
  cc.desk.setReady('alice', true);
  const send = (controlType: SendRequest['controlType'], k: number) => cc.send(id, customerSend({ userId, controlType, timestamp: Date.now(), clientMessageId: `${userId}-${k}` }));
  send('CONNECT', 0);
  send('TRANS2AGENT', 1);
  cc.desk.accept('alice');
  for (let i = 0; i < n; i++) cc.desk.send('alice', `Message ${i}: the quick brown fox jumps over the lazy dog.`);
  // With the time of the last activity: without it the widget forgets the channel's records (24-hour expiry).
  const store = `localStorage.setItem(${JSON.stringify(`cec-chat:demo:session:${userId}`)}, ${JSON.stringify(JSON.stringify({ cursor: 0, outbox: [], resumeKey }))}); localStorage.setItem('cec-chat:demo:activity', String(Date.now()))`;
  return { userId, store };
}

/** Main-thread task and style + layout ms of one message. */
type MessageCost = { task: number; layout: number };

/** Messages measured per chat and round, after WARM_UP that are not (see perMessage). */
const PER_ROUND = 15;
const WARM_UP = 3;
/** The prefix of the page's console message that a measured message is shown and the page settled after it. */
const MESSAGE_SHOWN = 'cec-bench:shown ';

/**
 * A page showing a chat of `n` messages from `agent`, bound to a resume key as in history(),
 * with what the measurer touches found once (finding it again per message would walk every row
 * on the screen, a cost that grows with the chat): the transcript's list and the message box.
 */
async function chatPage(browser: Browser, base: string, cc: ContactCenter, n: number, agent: string) {
  const userId = `bench-msg-${n}-${Date.now()}`;
  const { resumeKey } = await cc.applyToken({ channelId: 'demo', userId }, null);
  const id = { channelId: 'demo', userId, resumeKey };
  const common = { channel: 'WEB', mediaType: 'TEXT', content: '', from: userId, to: 'demo', senderNickname: userId, sourceType: 'CUSTOMER' } as const;
  cc.send(id, { ...common, controlType: 'CONNECT', timestamp: Date.now(), clientMessageId: `${userId}-0` });
  cc.send(id, { ...common, controlType: 'TRANS2AGENT', timestamp: Date.now(), clientMessageId: `${userId}-1` });
  cc.desk.accept(agent);
  for (let i = 0; i < n; i++) cc.desk.send(agent, `Message ${i}: the quick brown fox jumps over the lazy dog.`);
  const context = await browser.newContext();
  await context.addInitScript('window.__name = (f) => f');
  await context.addInitScript(
    `localStorage.setItem(${JSON.stringify(`cec-chat:demo:session:${userId}`)}, ${JSON.stringify(JSON.stringify({ cursor: 0, outbox: [], resumeKey }))}); localStorage.setItem('cec-chat:demo:activity', String(Date.now()))`,
  );
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Performance.enable');
  await page.goto(`${base}/demo/embed.html?mock=http`);
  await page.locator('body[data-ready="true"]').waitFor();
  await page.evaluate((userId) => (window as unknown as { CecChat: (...a: unknown[]) => void }).CecChat('init', { channelId: 'demo', userId, open: true }), userId);
  await page
    .locator('cec-chat .transcript')
    .getByText(`Message ${n - 1}:`)
    .waitFor({ timeout: 60_000 });
  await page.evaluate(() => {
    const w = window as unknown as { __list: Element; __box: HTMLTextAreaElement; __blocks: boolean };
    const root = document.querySelector('cec-chat')!.shadowRoot!;
    w.__list = root.querySelector('.items')!;
    w.__blocks = !!w.__list.querySelector(':scope > .block');
    w.__box = root.querySelector('textarea[name="message"]')!;
  });
  await page.waitForTimeout(500);
  const metrics = async () => {
    const { metrics } = await cdp.send('Performance.getMetrics');
    const get = (name: string) => (metrics.find((m) => m.name === name)?.value ?? 0) * 1000;
    return { task: get('TaskDuration'), layout: get('LayoutDuration') + get('RecalcStyleDuration') };
  };
  /**
   * Arms the page's own watcher for one message, then waits until the page has settled (two
   * frames drawn and the main thread idle once). The watcher reads only the list's last rows
   * (an agent's `text`) or the transcript's last entries (the customer's, acknowledged), so its
   * cost does not grow with the chat; once it sees the message and the page settled after it, it
   * says so on the console (MESSAGE_SHOWN). So between the two metric reads of measure() no
   * Playwright evaluation runs in the page (each is a task of its own, counted as the page's).
   */
  const arm = (kind: 'agent' | 'customer', text: string) =>
    page.evaluate(
      ({ kind, text, marker }) =>
        new Promise<void>((armed) => {
          const w = window as unknown as { __list: Element; __box: HTMLTextAreaElement; __blocks: boolean };
          const el = document.querySelector('cec-chat') as unknown as { sessionState: { transcript: Array<{ text: string; status?: string }> } };
          const settle = (then: () => void) => requestAnimationFrame(() => requestAnimationFrame(() => requestIdleCallback(then, { timeout: 500 })));
          // The rows are in blocks (see transcriptBlocks): a new one is among the last block's last
          // rows. A build from before the blocks (measured with --dist) has its rows in the list itself.
          const lastRow = w.__blocks ? () => w.__list.lastElementChild?.lastElementChild : () => w.__list.lastElementChild;
          const atEnd = () => {
            for (let li = lastRow(), i = 0; li && i < 3; li = li.previousElementSibling, i++) if (li.textContent?.includes(text)) return true;
            return false;
          };
          const acked = () => el.sessionState.transcript.slice(-5).some((m) => m.text === text && m.status !== 'sending');
          const seen = kind === 'agent' ? atEnd : acked;
          const watch = new MutationObserver(() => seen() && (watch.disconnect(), settle(() => console.debug(marker + text))));
          watch.observe(w.__list, { childList: true, subtree: true, characterData: true });
          if (kind === 'customer') w.__box.focus();
          settle(armed);
        }),
      { kind, text, marker: MESSAGE_SHOWN },
    );
  const shown = (text: string) => page.waitForEvent('console', { predicate: (m) => m.text() === MESSAGE_SHOWN + text, timeout: 60_000 });
  /**
   * Sends one message: an agent's (delivered by the widget's poll), or the customer's, typed
   * (one input event, as a paste or a person's last key gives) and sent with Enter, through the
   * browser's own input (no script of the measurer's runs in the page for it).
   */
  const send = async (kind: 'agent' | 'customer', text: string) => {
    if (kind === 'agent') return void cc.desk.send(agent, text);
    await page.keyboard.insertText(text);
    await page.keyboard.press('Enter');
  };
  /** An agent's message, not measured (warm-up): until it is shown and the page settled after it. */
  const agentMessage = async (text: string) => {
    const done = shown(text);
    await arm('agent', text);
    await send('agent', text);
    await done;
  };
  /** Task and layout ms of one message, from the settled page before it is sent until the page settled after it is shown. */
  const measure = async (kind: 'agent' | 'customer', text: string): Promise<MessageCost> => {
    const done = shown(text);
    await arm(kind, text);
    const a = await metrics();
    await send(kind, text);
    await done;
    const b = await metrics();
    return { task: b.task - a.task, layout: b.layout - a.layout };
  };
  return { agentMessage, measure, close: () => context.close() };
}

/**
 * Main-thread task and layout time of one new message (ms) in chats of each of `sizes` messages:
 * an agent's (delivered by the widget's poll) and the customer's own (typed and sent with Enter,
 * until acknowledged). Chromium's own counters (CDP Performance.getMetrics). Each of `runs`
 * rounds opens one page per size, side by side, each chat with an agent of its own, warms each
 * up with WARM_UP agent messages, then sends PER_ROUND messages of each kind to the pages in turn
 * (25, 2,000, 10,000, 25, …), so a machine busy with something else weighs on every size alike.
 * A round gives the median of its PER_ROUND messages per size; the figure is the median of the
 * rounds' medians. Every round starts from the same history, so the same rows are on screen at
 * the same message of every round (the window of rows slides by a block at the same message).
 */
async function perMessage(browser: Browser, base: string, cc: ContactCenter, sizes: number[]): Promise<Record<number, { agent: MessageCost; customer: MessageCost }>> {
  const agents = sizes.map((n) => `bench-msg-${n}`);
  for (const account of agents) {
    if (!cc.store.list('agents').some((a) => a.account === account)) {
      cc.store.create('agents', { account, name: 'Alice', agentType: 'multimedia', phone: '+86 755 2878 0099', skillQueues: ['WebSupport'] });
    }
    cc.desk.signIn(account);
    cc.desk.setReady(account, true);
  }
  type Samples = { task: number[]; layout: number[] };
  const rounds = sizes.map(() => ({ agent: { task: [], layout: [] } as Samples, customer: { task: [], layout: [] } as Samples }));
  for (let r = 0; r < runs; r++) {
    const pages = [];
    for (const [i, n] of sizes.entries()) pages.push(await chatPage(browser, base, cc, n, agents[i]!));
    for (const p of pages) for (let k = 0; k < WARM_UP; k++) await p.agentMessage(`Warm-up ${k}.`);
    for (const kind of ['agent', 'customer'] as const) {
      const samples = sizes.map(() => ({ task: [] as number[], layout: [] as number[] }));
      for (let k = 0; k < PER_ROUND; k++) {
        for (const [i, p] of pages.entries()) {
          const m = await p.measure(kind, kind === 'agent' ? `Agent news ${k}.` : `Customer says ${k}.`);
          samples[i]!.task.push(m.task);
          samples[i]!.layout.push(m.layout);
        }
      }
      for (const [i, s] of samples.entries()) {
        rounds[i]![kind].task.push(median(s.task));
        rounds[i]![kind].layout.push(median(s.layout));
      }
    }
    for (const p of pages) await p.close();
    for (const account of agents) cc.desk.end(account);
    cc.clock.advance(10_000);
  }
  const figure = (s: Samples) => ({ task: median(s.task), layout: median(s.layout) });
  return Object.fromEntries(sizes.map((n, i) => [n, { agent: figure(rounds[i]!.agent), customer: figure(rounds[i]!.customer) }]));
}

/**
 * Opening a chat with `n` messages in its history (ms, median of `runs` opens, each in a fresh
 * browser context on a history of its own): from the page's open to the newest message on
 * screen; then the transcript scrolled to the top in 60 frames, giving the frame time's median
 * (p50, the median of the opens' p50s), the median of the opens' worst frames and the worst of all.
 */
async function transcript(browser: Browser, base: string, cc: ContactCenter, n: number) {
  const opens: Awaited<ReturnType<typeof transcriptOpen>>[] = [];
  for (let i = 0; i < runs; i++) opens.push(await transcriptOpen(browser, base, cc, n, `open${i}-${Date.now()}`));
  return {
    rendered: median(opens.map((o) => o.rendered)),
    p50: median(opens.map((o) => o.p50)),
    worst: median(opens.map((o) => o.worst)),
    worstOfAll: Math.max(...opens.map((o) => o.worst)),
  };
}

/** One open of transcript(): from opening a chat with N messages in its history to the transcript on screen, and scrolling it. */
async function transcriptOpen(browser: Browser, base: string, cc: ContactCenter, n: number, tag: string) {
  // The history is made in-process on the demo server's mock (fast), then the page opens it.
  const { userId, store } = await history(cc, n, tag);
  const context = await browser.newContext();
  await context.addInitScript('window.__name = (f) => f'); // tsx names functions with a helper the page lacks
  await context.addInitScript(store);
  const page = await context.newPage();
  await page.goto(`${base}/demo/embed.html?mock=http`);
  await page.locator('body[data-ready="true"]').waitFor();
  const result = await page.evaluate(
    async ({ n, userId }) => {
      const t0 = performance.now();
      (window as unknown as { CecChat: (...a: unknown[]) => void }).CecChat('init', { channelId: 'demo', userId, open: true });
      const root = () => document.querySelector('cec-chat')?.shadowRoot;
      // The measurer stays out of the measurement: no timer polling the page while it works, and
      // a check that reads only the last block of rows (the newest message is there), run once
      // per batch of changes to the widget's shadow root.
      const shown = () => {
        const log = root()?.querySelector('.transcript');
        const blocks = log?.querySelectorAll('.block');
        if (blocks?.length) return !!blocks[blocks.length - 1]!.textContent?.includes(`Message ${n - 1}:`);
        // A build from before the blocks (measured with --dist) has its rows in the list itself: its last rows.
        for (let row = log?.querySelector('.items')?.lastElementChild, i = 0; row && i < 3; row = row.previousElementSibling, i++) if (row.textContent?.includes(`Message ${n - 1}:`)) return true;
        return false;
      };
      let rendered = 0;
      await new Promise<void>((done) => {
        const check = (observer?: MutationObserver) => {
          if (!shown()) return false;
          rendered = performance.now() - t0;
          observer?.disconnect();
          done();
          return true;
        };
        if (check()) return;
        // The element's shadow root exists from the script tag's early launcher on; until then, watch the page.
        const observer = new MutationObserver(() => {
          const r = root();
          if (r && !watching) {
            watching = true;
            observer.observe(r, { subtree: true, childList: true, characterData: true });
          }
          check(observer);
        });
        let watching = false;
        const r = root();
        if (r) {
          watching = true;
          observer.observe(r, { subtree: true, childList: true, characterData: true });
        } else observer.observe(document.body, { subtree: true, childList: true });
      });
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
const floorSize = sizeOf([readFileSync('scripts/bench/floor.js')]);
const tag = scriptTagSize(dist);
const { server: demo, cc } = createDemoServer();
serveWidgetFromDist(demo);
await new Promise<void>((r) => demo.listen(0, '127.0.0.1', r));
const demoUrl = `http://127.0.0.1:${(demo.address() as AddressInfo).port}`;
const server = pages(bare, () => demoUrl);
await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
const browser = await chromium.launch({ executablePath: findChromium(), args: [...CHROMIUM_ARGS, '--enable-precise-memory-info'] });
try {
  const none = { brotli: NaN, gzip: NaN, raw: NaN } as ReturnType<typeof sizeOf>;
  const closed = wants('bytes') ? await pageBytes(browser, `${url}/widget`, false) : none;
  const open = wants('bytes') ? await pageBytes(browser, `${url}/widget`, true) : none;
  const start: Record<string, StartFigures> = {};
  const noStart: StartFigures = { launcher: NaN, lit: NaN, longTasks: NaN, runsWithLongTasks: NaN, heapKB: NaN, largest: { cpu: NaN, wall: NaN, what: '' } };
  for (const rate of [1, 4]) {
    const figures = wants('start') ? await startup(browser, { floor: `${url}/floor`, bare: `${url}/bare`, widget: `${url}/widget` }, rate) : {};
    for (const name of ['floor', 'bare', 'widget']) start[`${name}${rate}`] = figures[name] ?? noStart;
  }
  const box: Record<string, number> = {};
  for (const lat of wants('box') ? [0, 300] : []) {
    latency = lat;
    for (const rate of [1, 4]) {
      box[`floor${rate}:${lat}`] = await clickToBox(browser, `${url}/floor`, rate, 100);
      box[`widget${rate}:${lat}`] = await clickToBox(browser, `${url}/widget`, rate, 100);
      box[`cold${rate}:${lat}`] = await clickToBox(browser, `${url}/widget`, rate, 0);
    }
  }
  latency = 0;
  const noMsg = { agent: { task: NaN, layout: NaN }, customer: { task: NaN, layout: NaN } };
  const msg = wants('msg') ? await perMessage(browser, demoUrl, cc, [25, 2000, 10000]) : { 25: noMsg, 2000: noMsg, 10000: noMsg };
  const noT = { rendered: NaN, p50: NaN, worst: NaN, worstOfAll: NaN };
  const t1k = wants('transcript') ? await transcript(browser, demoUrl, cc, 1000) : noT;
  const t10k = wants('transcript') ? await transcript(browser, demoUrl, cc, 10000) : noT;
  const budget = budgets();
  const pass = (ok: boolean) => (ok ? 'PASS' : 'OVER');
  const x = (a: number, b: number) => `${(a / b).toFixed(2)}×`;
  /** The --only group of the rows printed next: a group not measured prints — in their cells (not NaN). */
  let group = '';
  const row = (name: string, floor: string | number, bareLit: string | number, widget: string | number, goal = '') => {
    if (group && !wants(group)) [floor, bareLit, widget, goal] = ['—', '—', '—', ''];
    console.log(`${name.padEnd(48)}${String(floor).padStart(16)}${String(bareLit).padStart(16)}${String(widget).padStart(18)}   ${goal}`);
  };
  const ms = (v: number) => v.toFixed(1);
  // With --dist the header names the build measured (the before-and-after tables are told apart by it).
  const build = distGiven ? `; widget built from ${buildCommit(dist)} (${dist})` : '';
  console.log(`\nCEC Web Chat benchmark — headless Chromium, loopback, medians of ${runs}${build}\n`);
  row('', 'zero-dep floor', 'bare Lit', 'cec-chat', 'ratio / goal');
  row('script tag brotli (B)', floorSize.brotli, bareSize.brotli, tag.brotli, `≤ ${budget.scriptTagBrotli} ${pass(tag.brotli <= budget.scriptTagBrotli)}`);
  group = 'bytes';
  row('page view, chat never opened: brotli (B)', floorSize.brotli, bareSize.brotli, closed.brotli, `${x(closed.brotli, tag.brotli)} the script tag; goal 1.00× ${pass(closed.brotli <= tag.brotli)}`);
  row('page view, chat opened: brotli (B)', floorSize.brotli, '—', open.brotli, `≤ ${budget.firstOpenBrotli} ${pass(open.brotli <= budget.firstOpenBrotli)}`);
  group = 'start';
  for (const r of [1, 4]) {
    const f = start[`floor${r}`]!,
      b = start[`bare${r}`]!,
      w = start[`widget${r}`]!;
    row(`launcher shown, early one, ms (${r}x CPU)`, ms(f.launcher), ms(b.launcher), ms(w.launcher), `${x(w.launcher, f.launcher)} floor, ${x(w.launcher, b.launcher)} bare Lit`);
    row(`launcher shown, Lit element's own, ms (${r}x)`, '—', ms(b.launcher), ms(w.lit), `${x(w.lit, b.launcher)} bare Lit`);
  }
  for (const r of [1, 4]) {
    const f = start[`floor${r}`]!,
      b = start[`bare${r}`]!,
      w = start[`widget${r}`]!;
    row(
      `long tasks at load, ms; runs with one (${r}x)`,
      `${f.longTasks}; ${f.runsWithLongTasks}/${runs}`,
      `${b.longTasks}; ${b.runsWithLongTasks}/${runs}`,
      `${w.longTasks}; ${w.runsWithLongTasks}/${runs}`,
      r === 4 ? `goal 0/${runs} ${pass(w.runsWithLongTasks === 0)}` : '',
    );
  }
  const largest = (f: StartFigures) => f.largest.cpu.toFixed(1);
  const own = start.widget4!.largest;
  row('largest task at load, CPU ms (4x, traced)', largest(start.floor4!), largest(start.bare4!), largest(start.widget4!), `max of ${runs}; cec-chat's: ${own.what}, ${own.wall.toFixed(0)} ms wall`);
  row('JS heap after load, KB (1x)', start.floor1!.heapKB, start.bare1!.heapKB, start.widget1!.heapKB);
  group = 'box';
  for (const lat of [0, 300]) {
    for (const r of [1, 4]) {
      const f = box[`floor${r}:${lat}`] ?? NaN,
        w = box[`widget${r}:${lat}`] ?? NaN,
        c = box[`cold${r}:${lat}`] ?? NaN;
      const label = lat ? `, +${lat} ms/request` : '';
      row(`click → box usable, ms (${r}x${label})`, ms(f), '—', ms(w), `${x(w, f)} floor; goal ≤ 1.5× ${pass(w <= 1.5 * f)}`);
      row(`  same, no pointer on the launcher first`, ms(f), '—', ms(c), `${x(c, f)} floor`);
    }
  }
  group = 'msg';
  for (const who of ['agent', 'customer'] as const) {
    const base = msg[25]![who];
    for (const n of [25, 2000, 10000]) {
      const m = msg[n]![who];
      row(
        `one ${who} message at ${n.toLocaleString('en')}: task / layout ms`,
        '—',
        '—',
        `${ms(m.task)} / ${m.layout.toFixed(2)}`,
        n === 25 ? 'the base' : `${x(m.task, base.task)} / ${x(m.layout, base.layout)} of 25; goal ≤ 1.5× ${pass(m.task <= 1.5 * base.task && m.layout <= 1.5 * Math.max(base.layout, 0.1))}`,
      );
    }
  }
  const scroll = (t: typeof t1k) => `scroll frame p50 ${t.p50.toFixed(1)} / worst ${t.worst.toFixed(1)} (of all ${t.worstOfAll.toFixed(1)}) ms`;
  group = 'transcript';
  row('transcript 1,000 msgs: open → shown ms', '—', '—', t1k.rendered.toFixed(0), scroll(t1k));
  row('transcript 10,000 msgs: open → shown ms', '—', '—', t10k.rendered.toFixed(0), `goal ≤ 200 ${pass(t10k.rendered <= 200)}; ${scroll(t10k)}`);
} catch (e) {
  console.error(e);
  process.exitCode = 1;
} finally {
  await browser.close();
  server.closeAllConnections();
  server.close();
  demo.closeAllConnections();
  demo.close();
  // The mock's timers (session clocks, long polls) would keep the process alive.
  process.exit();
}
