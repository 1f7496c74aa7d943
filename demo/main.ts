/**
 * The demo page: QA plays the customer (the widget, embedded by script tag), the agent (the
 * workbench below) and the operator (clock, faults, event log) against the mock contact center.
 */
import { html, nothing, render } from 'lit';
import { startBrowserMock } from '../mock-server/browser.js';
import type { AgentSnapshot } from '../mock-server/runtime/agents.js';
import type { DownlinkMessage } from '../widget/core/protocol.js';
import { DEMO_AUTO_AGENT } from './scenarios.js';

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

// ── agent workbench ────────────────────────────────────────────────────────
let agentAccount = 'alice';
let agent: AgentSnapshot | null = null;
let agentError = '';
let agentDraft = '';
let pollGeneration = 0;

async function agentAction(action: string, body?: unknown): Promise<void> {
  try {
    agentError = '';
    const res = await mock<{ agent: AgentSnapshot }>(`/agents/${agentAccount}/${action}`, { body: body ?? {} });
    agent = res.agent;
    addLog('agent', `${agentAccount} ${action}${body ? ` ${JSON.stringify(body)}` : ''}`);
  } catch (e) {
    agentError = (e as Error).message;
  }
  renderAgent();
}

async function watchAgent(): Promise<void> {
  const generation = ++pollGeneration;
  let version = 0;
  while (generation === pollGeneration) {
    try {
      const res = await mock<{ agent: AgentSnapshot }>(`/agents/${agentAccount}?version=${version}&wait=20`);
      if (generation !== pollGeneration) return;
      agent = res.agent;
      version = res.agent.version;
      renderAgent();
    } catch {
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
}

/** A system message without text, worded for the agent. */
function describeEvent(m: DownlinkMessage): string {
  const d = m.data ?? {};
  switch (m.event) {
    case 'queue.joined':
      return `customer queued in ${d.queueName} (position ${d.position})`;
    case 'queue.transferred':
      return `moved to queue ${d.queueName}`;
    case 'agent.joined':
      return `${d.agentName} joined${d.employeeId ? ` (employee ID ${d.employeeId} announced)` : ''}`;
    case 'idle.warning':
      return 'idle warning sent to the customer';
    case 'session.ended':
      return `chat ended (${d.endReason})`;
    default:
      return m.event ?? '';
  }
}

let typingSent = false;
function onAgentInput(e: Event): void {
  agentDraft = (e.target as HTMLTextAreaElement).value;
  const typing = agentDraft.length > 0;
  if (typing !== typingSent && agent?.session) {
    typingSent = typing;
    void mock(`/agents/${agentAccount}/typing`, { body: { typing } });
  }
}

function renderAgent(): void {
  const a = agent;
  const wrapLeft = a?.wrapUpUntil ? Math.max(0, Math.ceil((a.wrapUpUntil - clockNow) / 1000)) : 0;
  const send = (e: Event) => {
    e.preventDefault();
    if (!agentDraft.trim()) return;
    const content = agentDraft;
    agentDraft = '';
    typingSent = false;
    void agentAction('send', { content });
  };
  render(
    html`<div class="row">
        <label>Agent
          <select @change=${(e: Event) => ((agentAccount = (e.target as HTMLSelectElement).value), (agent = null), void watchAgent())}>
            ${['alice', 'bob'].map((x) => html`<option value=${x} ?selected=${x === agentAccount}>${x}</option>`)}
          </select></label>
        ${a?.status === 'signedOut' || !a
          ? html`<button @click=${() => agentAction('sign-in')}>Sign in</button>`
          : html`<button class="secondary" @click=${() => agentAction('sign-out')}>Sign out</button>
              ${a.status === 'notReady'
                ? html`<button @click=${() => agentAction('ready')}>Set ready</button>`
                : html`<button class="secondary" ?disabled=${a.status !== 'idle'} @click=${() => agentAction('not-ready')}>Set not ready</button>`}`}
        ${a ? html`<span class="status ${a.status}" role="status">${a.status === 'wrapUp' ? `wrap-up ${wrapLeft}s` : a.status}</span>` : nothing}
      </div>
      ${agentError ? html`<p class="error" role="alert">${agentError}</p>` : nothing}
      ${a
        ? html`<h3>Waiting customers (${a.waiting.length})</h3>
            <ul class="waiting" aria-label="Waiting customers">
              ${a.waiting.map(
                (w) => html`<li><span>#${w.position} ${w.customerName} · ${w.queueName} · ${w.waitedSeconds}s</span>
                  <button ?disabled=${a.status !== 'idle'} @click=${() => agentAction('accept', { sessionId: w.sessionId })}>Accept ${w.customerName}</button></li>`,
              )}
            </ul>`
        : nothing}
      ${a?.session
        ? html`<h3>Chat with ${a.session.customerName}</h3>
            <ol class="chat" aria-label="Agent chat transcript">
              ${a.session.messages.map(
                (m) => html`<li class=${m.sourceType === 'SYSTEM' ? 'sys' : ''}><span class="who">${m.sourceType === 'CUSTOMER' ? m.senderNickname : m.sourceType === 'AGENT' ? 'You' : m.sourceType === 'ROBOT' ? m.senderNickname : 'System'}:</span>${m.content || describeEvent(m)}</li>`,
              )}
              ${a.session.customerTyping ? html`<li class="sys">${a.session.customerName} is typing…</li>` : nothing}
            </ol>
            ${a.session.evaluation ? html`<p class="note">Customer rating: ${a.session.evaluation.evaluation}/5 ${a.session.evaluation.comment}</p>` : nothing}
            <form class="row" @submit=${send}>
              <label>Reply <textarea rows="2" cols="30" .value=${agentDraft} @input=${onAgentInput}></textarea></label>
              <button type="submit">Send reply</button>
            </form>
            <div class="row">
              <label>Transfer to
                <select id="transfer-target">${['WebSupport', 'Billing'].map((q) => html`<option>${q}</option>`)}</select></label>
              <button class="secondary" @click=${() => agentAction('transfer', { queueName: (document.getElementById('transfer-target') as HTMLSelectElement).value })}>Transfer</button>
              <button class="secondary" @click=${() => agentAction('end')}>End chat</button>
            </div>`
        : nothing}`,
    $('agent'),
  );
}

// ── tools ──────────────────────────────────────────────────────────────────
let clockNow = Date.now();
let autoAgent = false;
let faults = { latencyMs: 0, dropRate: 0, errorRate: 0 };
let toolsError = '';

async function refreshClock(): Promise<void> {
  try {
    clockNow = (await mock<{ now: number }>('/clock')).now;
  } catch {
    /* keep the last reading */
  }
  renderTools();
  if (agent?.wrapUpUntil) renderAgent();
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
      <div class="row"><button class="secondary" @click=${resetAll}>Reset contact center</button></div>`,
    $('tools'),
  );
}

async function resetAll(): Promise<void> {
  await mock('/reset', { body: {} });
  autoAgent = false;
  faults = { latencyMs: 0, dropRate: 0, errorRate: 0 };
  agent = null;
  addLog('event', 'contact center reset');
  void watchAgent();
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
  renderAgent();
  await setUpCustomer();
  void watchAgent();
  setInterval(refreshClock, 1000);
  document.body.dataset.ready = 'true';
}

main().catch((e) => {
  $('mode').textContent = `The demo could not start: ${(e as Error).message}`;
});
