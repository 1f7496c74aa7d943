/**
 * The demo page: QA plays the customer (the widget, embedded by script tag), the agent (the
 * workbench below) and the operator (clock, faults, event log) against the mock contact center.
 */
import { live } from 'lit/directives/live.js';
import { html, nothing, render } from 'lit';
import { startBrowserMock } from '../mock-server/browser.js';
import { mountAdminForms, type AdminPane } from './admin-forms.js';
import { AgentCard } from './agent-desk.js';
import { DEMO_AUTO_AGENT, SCENARIOS, jumpToClosing } from './scenarios.js';

type Cec = (method: string, ...args: unknown[]) => unknown;
const CecChat = (...args: [string, ...unknown[]]) => (window as unknown as { CecChat: Cec }).CecChat(...args);

const params = new URLSearchParams(location.search);
/**
 * Where the customer's widget gets its contact center (the chooser at the top explains each):
 * `inpage` the mock in this tab's service worker; `http` this server's mock over our contract;
 * `connector` this server's connector (`/connector`), which calls the same mock on the real
 * CEC wire (`/cec/…`). The workbench, admin and tools talk to the mock's `/mock` APIs in every mode.
 */
type Mode = 'inpage' | 'http' | 'connector';
const mode: Mode = params.get('mock') === 'http' ? 'http' : params.get('mock') === 'connector' ? 'connector' : 'inpage';
/** The mock lives on the server (not in this tab). */
const httpMode = mode !== 'inpage';
/** The widget's channel API: the connector in connector mode, else this origin (the mock). */
const widgetBaseUrl = mode === 'connector' ? `${location.origin}/connector` : undefined;
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
    // Long polls wait up to 25 s; nothing waits longer than this.
    signal: AbortSignal.timeout(30_000),
  });
  const data = await res.json();
  if (!res.ok) throw new Error(data.exceptionInfo ?? `HTTP ${res.status}`);
  return data as T;
}

// ── customer ───────────────────────────────────────────────────────────────
/** Channels that need the integrator's signature (the admin API says so; it may omit the key itself). */
const signed = new Set<string>();

/** Lists the tenant's channels in the Try form, keeping the choice when it still exists. */
async function listChannels(): Promise<void> {
  const { items } = await mock<{ items: Array<{ id: string; secretKey?: string | null; hasSecretKey?: boolean; channelAccessCode: string }> }>('/admin/channels');
  const select = $('channel-select') as HTMLSelectElement;
  const keep = select.value;
  signed.clear();
  for (const c of items) if (c.secretKey || c.hasSecretKey) signed.add(c.id);
  render(html`${items.map((c) => html`<option value=${c.id} .selected=${live(c.id === keep)}>${c.id} (${c.channelAccessCode})${signed.has(c.id) ? ' · signed' : ''}</option>`)}`, select);
  $('signature-note').hidden = !signed.has(select.value);
}

/** Opens the widget on `channelId` with the Try form's customer (the Integration instructions' Try). */
function tryChannel(channelId: string): void {
  const select = $('channel-select') as HTMLSelectElement;
  select.value = channelId;
  $('signature-note').hidden = !signed.has(channelId);
  ($('try-form') as HTMLFormElement).requestSubmit();
}

async function setUpCustomer(): Promise<void> {
  await listChannels();
  const select = $('channel-select') as HTMLSelectElement;
  select.addEventListener('change', () => ($('signature-note').hidden = !signed.has(select.value)));
  for (const name of ['cec-state-change', 'cec-message', 'cec-queue-position', 'cec-agent-joined', 'cec-session-end', 'cec-evaluation', 'cec-error']) {
    CecChat('on', name, (detail: unknown) => addLog('event', `${name} ${JSON.stringify(detail)}`));
  }
  CecChat('on', 'cec-open', refit);
  CecChat('on', 'cec-close', refit);
  CecChat('on', 'cec-state-change', refit);
  addEventListener('resize', refit);
  let initialised = false;
  $('try-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const f = new FormData(e.target as HTMLFormElement);
    const channelId = String(f.get('channelId'));
    const userId = String(f.get('userId'));
    const userName = String(f.get('userName'));
    const authorization = signed.has(channelId) ? async () => (await mock<{ signature: string }>('/sign', { body: { channelId, userId, name: userName } })).signature : undefined;
    if (initialised) CecChat('destroy');
    CecChat('init', { channelId, userId, userName, locale: String(f.get('locale')), authorization, open: true, ...(widgetBaseUrl ? { baseUrl: widgetBaseUrl } : {}) });
    initialised = true;
    refit();
    addLog('event', `Try: ${userName} (${userId}) on channel ${channelId}`);
  });
}

/**
 * The panes make room for the widget (its launcher, and its panel while open) on whichever side
 * it sits — the side flips in right-to-left languages — so it never covers a control of the page.
 */
function fitAroundWidget(): void {
  const grid = document.querySelector<HTMLElement>('main.grid')!;
  const root = document.querySelector('cec-chat')?.shadowRoot;
  const parts = [...(root?.querySelectorAll<HTMLElement>('[part~="panel"], [part~="launcher"]') ?? [])];
  const rects = parts.map((p) => p.getBoundingClientRect()).filter((r) => r.width > 0 && r.height > 0);
  grid.style.removeProperty('--reserve-left');
  grid.style.removeProperty('--reserve-right');
  // On a narrow screen the panel covers most of the page anyway: it overlays, as on any site.
  if (rects.length === 0 || innerWidth < 1000) return;
  const left = Math.min(...rects.map((r) => r.left));
  const right = Math.max(...rects.map((r) => r.right));
  if (left + right < innerWidth) grid.style.setProperty('--reserve-left', `${Math.ceil(right) + 8}px`);
  else grid.style.setProperty('--reserve-right', `${Math.ceil(innerWidth - left) + 8}px`);
  widgetObserver ??= new ResizeObserver(() => fitAroundWidget());
  widgetObserver.disconnect();
  for (const p of parts) widgetObserver.observe(p);
}
let widgetObserver: ResizeObserver | undefined;
let watchedRoot: ShadowRoot | undefined;
let fitQueued = false;
/**
 * Measures again once the widget has rendered, and whenever its shadow DOM changes (the panel
 * loads lazily, opens, closes, or flips side with the language): at most once per frame.
 */
function refit(): void {
  if (fitQueued) return;
  fitQueued = true;
  requestAnimationFrame(() => {
    fitQueued = false;
    fitAroundWidget();
  });
  const root = document.querySelector('cec-chat')?.shadowRoot ?? undefined;
  if (root && root !== watchedRoot) {
    watchedRoot = root;
    new MutationObserver(refit).observe(root, { childList: true, subtree: true, attributes: true, attributeFilter: ['dir', 'class', 'hidden', 'open'] });
  }
}

// ── agent workbench: one card per configured agent ─────────────────────────
const desks = new Map<string, AgentCard>();
let queueNames: string[] = [];

/** One card per agent; cards of agents that still exist keep their state. */
async function setUpAgents(force = false): Promise<void> {
  const [{ items: agents }, { items: queues }] = await Promise.all([
    mock<{ items: Array<{ account: string }> }>('/admin/agents'),
    mock<{ items: Array<{ name: string; type: string }> }>('/admin/skill-queues'),
  ]);
  queueNames = queues.filter((q) => q.type === 'multimedia').map((q) => q.name);
  const accounts = agents.map((a) => a.account);
  if (!force && accounts.join('\n') === [...desks.keys()].join('\n')) {
    await Promise.all([...desks.values()].map((d) => d.reload()));
    return;
  }
  for (const d of desks.values()) d.stop();
  desks.clear();
  const root = $('agent');
  render(html`${accounts.map((a) => html`<div class="desk-slot" id=${`desk-${a}`}></div>`)}`, root);
  for (const a of accounts) {
    const card = new AgentCard(a, document.getElementById(`desk-${a}`)!, { mock, log: (t) => addLog('agent', t), now: () => clockNow, queues: () => queueNames });
    desks.set(a, card);
    card.render();
    void card.watch();
  }
}

/** The tenant changed (a save, a preset, a reset): every pane shows it as it is now. */
async function tenantChanged(): Promise<void> {
  await Promise.all([listChannels(), setUpAgents(), admin?.refresh()]);
}
let admin: AdminPane | undefined;

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
    await Promise.all([refreshClock(), tenantChanged()]);
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
  await tenantChanged();
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
  await Promise.all([setUpAgents(true), listChannels(), admin?.refresh()]);
  renderTools();
}

// ── requests the server served, by face ────────────────────────────────────
interface ServedRequest {
  seq: number;
  method: string;
  path: string;
  face: string;
  status: number;
}

/**
 * Follows the requests the demo server answered on its channel faces (`/apiaccess/…` our
 * contract, `/connector/apiaccess/…` our contract to the connector, `/cec/…` the real CEC wire)
 * and logs each with its face. Starts after what was served before this page opened.
 */
async function followServedRequests(): Promise<void> {
  let after = -1;
  for (;;) {
    try {
      const res = await fetch(`/demo-log/requests?after=${Math.max(after, 0)}`, { signal: AbortSignal.timeout(10_000) });
      const { items, last } = (await res.json()) as { items: ServedRequest[]; last: number };
      if (after >= 0) for (const r of items) addLog('request', `${r.face} · ${r.method} ${r.path} → ${r.status}`);
      after = last;
    } catch {
      /* the server restarts or is busy: try again */
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
}

/** Marks the current mode in the chooser and says what it means. */
function showMode(): void {
  for (const a of document.querySelectorAll<HTMLAnchorElement>('#mode-chooser a')) {
    if (a.dataset.mode === mode) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  $('mode').textContent = {
    inpage: 'Mock contact center: in this page (MSW service worker). Reloading the page resets it.',
    http: 'Mock contact center: this server (HTTP). State is shared by every tab.',
    connector: "Mock contact center: this server, reached through the connector — the widget talks to /connector, the connector talks the real CEC wire to this server's /cec face.",
  }[mode];
}

// ── start ──────────────────────────────────────────────────────────────────
async function main(): Promise<void> {
  if (!httpMode) {
    const { worker } = await startBrowserMock();
    worker.events.on('request:start', ({ request }) => {
      const url = new URL(request.url);
      if (url.pathname.startsWith('/apiaccess/')) addLog('request', `our contract (in this page) · ${request.method} ${url.pathname}`);
    });
  } else void followServedRequests();
  showMode();
  renderLog();
  renderTools();
  await setUpCustomer();
  await setUpAgents(true);
  admin = mountAdminForms($('admin'), {
    log: (t) => addLog('event', t),
    changed: () => void Promise.all([listChannels(), setUpAgents()]),
    tryChannel,
    inPage: !httpMode,
  });
  await admin.refresh();
  setInterval(refreshClock, 1000);
  // Changes made elsewhere (another tab on the server's mock, the API by hand) show up too.
  setInterval(() => void admin?.refresh().catch(() => undefined), 3000);
  document.body.dataset.ready = 'true';
}

main().catch((e) => {
  $('mode').textContent = `The demo could not start: ${(e as Error).message}`;
});
