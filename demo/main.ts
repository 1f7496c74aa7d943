/**
 * The demo page: QA plays the customer (the widget, embedded by script tag), the agent (the
 * workbench below) and the operator (clock, faults, event log) against the mock contact center.
 */
import { html, nothing, render } from 'lit';
import { startBrowserMock } from '../mock-server/browser.js';
import { mountAdminForms } from './admin-forms.js';
import { AgentCard } from './agent-desk.js';
import { DEMO_AUTO_AGENT, SCENARIOS, jumpToClosing } from './scenarios.js';

type Cec = (method: string, ...args: unknown[]) => unknown;
const CecChat = (...args: [string, ...unknown[]]) => (window as unknown as { CecChat: Cec }).CecChat(...args);

const params = new URLSearchParams(location.search);
const httpMode = params.get('mock') === 'http';
const $ = (id: string) => document.getElementById(id)!;

// ── event log ──────────────────────────────────────────────────────────────
interface LogEntry {
  at: number;
  kind: 'request' | 'event' | 'agent';
  text: string;
}
const log: LogEntry[] = [];
let logFilter = '';
function addLog(kind: LogEntry['kind'], text: string): void {
  log.push({ at: Date.now(), kind, text });
  if (log.length > 2000) log.shift();
  renderLog();
}
function renderLog(): void {
  const shown = log.filter((e) => !logFilter || `${e.kind} ${e.text}`.toLowerCase().includes(logFilter));
  const exportLog = () => {
    const url = URL.createObjectURL(new Blob([JSON.stringify(log, null, 2)], { type: 'application/json' }));
    const a = Object.assign(document.createElement('a'), { href: url, download: 'cec-demo-log.json' });
    a.click();
    URL.revokeObjectURL(url);
  };
  render(
    html`<div class="row">
        <label>Filter <input type="search" .value=${logFilter} @input=${(e: Event) => ((logFilter = (e.target as HTMLInputElement).value.toLowerCase()), renderLog())} /></label>
        <button class="secondary" @click=${exportLog}>Export</button>
        <button class="secondary" @click=${() => ((log.length = 0), renderLog())}>Clear</button>
      </div>
      <ol class="log" aria-labelledby="log-h">
        ${shown.slice(-300).map((e) => html`<li>${new Date(e.at).toLocaleTimeString()} [${e.kind}] ${e.text}</li>`)}
      </ol>`,
    $('log'),
  );
}

// ── mock API ───────────────────────────────────────────────────────────────
async function mock<T = Record<string, unknown>>(path: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
  const res = await fetch(`/mock${path}`, {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    headers: init.body === undefined ? {} : { 'content-type': 'application/json' },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const data = await res.json();
  if (!res.ok) throw new Error(data.exceptionInfo ?? `HTTP ${res.status}`);
  return data as T;
}

// ── customer ───────────────────────────────────────────────────────────────
async function setUpCustomer(): Promise<void> {
  const { items } = await mock<{ items: Array<{ id: string; secretKey: string | null; channelAccessCode: string }> }>('/admin/channels');
  const select = $('channel-select') as HTMLSelectElement;
  render(html`${items.map((c) => html`<option value=${c.id}>${c.id} (${c.channelAccessCode})${c.secretKey ? ' · signed' : ''}</option>`)}`, select);
  const note = $('signature-note');
  const signed = new Set(items.filter((c) => c.secretKey).map((c) => c.id));
  select.addEventListener('change', () => (note.hidden = !signed.has(select.value)));
  for (const name of ['cec-state-change', 'cec-message', 'cec-queue-position', 'cec-agent-joined', 'cec-session-end', 'cec-evaluation', 'cec-error']) {
    CecChat('on', name, (detail: unknown) => addLog('event', `${name} ${JSON.stringify(detail)}`));
  }
  let initialised = false;
  $('try-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const f = new FormData(e.target as HTMLFormElement);
    const channelId = String(f.get('channelId'));
    const userId = String(f.get('userId'));
    const userName = String(f.get('userName'));
    const authorization = signed.has(channelId)
      ? async () => (await mock<{ signature: string }>('/sign', { body: { channelId, userId, name: userName } })).signature
      : undefined;
    if (initialised) CecChat('destroy');
    CecChat('init', { channelId, userId, userName, locale: String(f.get('locale')), authorization, open: true });
    initialised = true;
    addLog('event', `Try: ${userName} (${userId}) on channel ${channelId}`);
  });
}

// ── agent workbench: one card per configured agent ─────────────────────────
const desks = new Map<string, AgentCard>();
let queueNames: string[] = [];

async function setUpAgents(): Promise<void> {
  for (const d of desks.values()) d.stop();
  desks.clear();
  const [{ items: agents }, { items: queues }] = await Promise.all([
    mock<{ items: Array<{ account: string }> }>('/admin/agents'),
    mock<{ items: Array<{ name: string; type: string }> }>('/admin/skill-queues'),
  ]);
  queueNames = queues.filter((q) => q.type === 'multimedia').map((q) => q.name);
  const root = $('agent');
  render(html`${agents.map((a) => html`<div class="desk-slot" id=${`desk-${a.account}`}></div>`)}`, root);
  for (const a of agents) {
    const card = new AgentCard(a.account, document.getElementById(`desk-${a.account}`)!, { mock, log: (t) => addLog('agent', t), now: () => clockNow, queues: () => queueNames });
    desks.set(a.account, card);
    card.render();
    void card.watch();
  }
}

// ── tools ──────────────────────────────────────────────────────────────────
let clockNow = Date.now();
let autoAgent = false;
let faults = { latencyMs: 0, dropRate: 0, errorRate: 0 };
let toolsError = '';
let scenarioNote = '';

async function applyScenario(id: string): Promise<void> {
  const scenario = SCENARIOS.find((x) => x.id === id)!;
  try {
    scenarioNote = await scenario.apply(mock, clockNow);
    toolsError = '';
    addLog('event', `scenario: ${scenario.label}`);
    await refreshClock();
  } catch (e) {
    toolsError = `${scenario.label}: ${(e as Error).message}`;
  }
  renderTools();
}

async function refreshClock(): Promise<void> {
  try {
    clockNow = (await mock<{ now: number }>('/clock')).now;
  } catch {
    /* keep the last reading */
  }
  renderTools();
  for (const d of desks.values()) d.render();
}

async function advance(seconds: number): Promise<void> {
  clockNow = (await mock<{ now: number }>('/clock/advance', { body: { seconds } })).now;
  addLog('event', `clock moved forward ${seconds} s`);
  renderTools();
}

async function setAutoAgent(on: boolean): Promise<void> {
  const { item } = await mock<{ item: { autoAgents: unknown[] } }>('/admin/tenant');
  item.autoAgents = on ? [DEMO_AUTO_AGENT] : [];
  await mock('/admin/tenant', { method: 'PUT', body: item });
  autoAgent = on;
  addLog('event', `auto-agent bob ${on ? 'on' : 'off'}`);
  renderTools();
}

async function applyFaults(e: Event): Promise<void> {
  e.preventDefault();
  const f = new FormData(e.target as HTMLFormElement);
  const next = { latencyMs: Number(f.get('latencyMs')), dropRate: Number(f.get('dropRate')) / 100, errorRate: Number(f.get('errorRate')) / 100 };
  try {
    await mock('/faults', { method: 'PUT', body: next });
    faults = next;
    toolsError = '';
    addLog('event', `faults ${JSON.stringify(next)}`);
  } catch (err) {
    toolsError = (err as Error).message;
  }
  renderTools();
}

function renderTools(): void {
  render(
    html`<p>Mock clock: <time>${new Date(clockNow).toLocaleString()}</time></p>
      <div class="row">
        <button class="secondary" @click=${() => advance(60)}>+1 min</button>
        <button class="secondary" @click=${() => advance(600)}>+10 min</button>
        <button class="secondary" @click=${() => advance(3600)}>+1 hour</button>
        <button class="secondary" @click=${async () => {
          scenarioNote = await jumpToClosing(mock, clockNow);
          addLog('event', scenarioNote);
          await refreshClock();
        }}>Jump to closing time</button>
      </div>
      <div class="row">
        <label><span><input type="checkbox" .checked=${autoAgent} @change=${(e: Event) => setAutoAgent((e.target as HTMLInputElement).checked)} />
          Auto-agent (bob accepts and replies by himself)</span></label>
      </div>
      <form class="row" @submit=${applyFaults} aria-label="Fault injection">
        <label>Latency ms <input name="latencyMs" type="number" min="0" max="60000" .value=${String(faults.latencyMs)} size="6" /></label>
        <label>Drop % <input name="dropRate" type="number" min="0" max="100" .value=${String(faults.dropRate * 100)} size="4" /></label>
        <label>Errors % <input name="errorRate" type="number" min="0" max="100" .value=${String(faults.errorRate * 100)} size="4" /></label>
        <button type="submit">Apply faults</button>
      </form>
      ${toolsError ? html`<p class="error" role="alert">${toolsError}</p>` : nothing}
      <h3>Scenarios</h3>
      <div class="row" role="group" aria-label="Scenario presets">
        ${SCENARIOS.map((x) => html`<button class="secondary" @click=${() => applyScenario(x.id)}>${x.label}</button>`)}
      </div>
      ${scenarioNote ? html`<p class="note" role="status">${scenarioNote}</p>` : nothing}
      <div class="row"><button class="secondary" @click=${resetAll}>Reset contact center</button></div>`,
    $('tools'),
  );
}

async function resetAll(): Promise<void> {
  await mock('/reset', { body: {} });
  autoAgent = false;
  scenarioNote = '';
  faults = { latencyMs: 0, dropRate: 0, errorRate: 0 };
  addLog('event', 'contact center reset');
  await setUpAgents();
  renderTools();
}

// ── start ──────────────────────────────────────────────────────────────────
async function main(): Promise<void> {
  if (!httpMode) {
    const { worker } = await startBrowserMock();
    worker.events.on('request:start', ({ request }) => {
      const url = new URL(request.url);
      if (url.pathname.startsWith('/apiaccess/')) addLog('request', `${request.method} ${url.pathname.replace('/apiaccess/ccmessaging', '')}${url.search}`);
    });
  }
  $('mode').textContent = httpMode
    ? 'Mock contact center: this server (HTTP). State is shared by every tab.'
    : 'Mock contact center: in this page (MSW service worker). Reloading the page resets it.';
  renderLog();
  renderTools();
  await setUpCustomer();
  await setUpAgents();
  await mountAdminForms($('admin'), (t) => addLog('event', t)).refresh();
  setInterval(refreshClock, 1000);
  document.body.dataset.ready = 'true';
}

main().catch((e) => {
  $('mode').textContent = `The demo could not start: ${(e as Error).message}`;
});
