/**
 * The Administrator pane: forms for the web channel (Table 4), skill queues (Table 1), called
 * routes (Table 2) and agents (Table 3) of the seed's admin guide. Each form is drawn from the
 * object itself — text, number, yes/no, choice, list, nested group, on/off feature — so every
 * field is editable, and the mock's validation message appears next to the field it names.
 */
import { html, nothing, render, type TemplateResult } from 'lit';
import { seedTenant } from '../mock-server/config/seed.js';

type Obj = Record<string, unknown>;
type Kind = 'channels' | 'skill-queues' | 'called-routes' | 'agents';

const KINDS: Array<{ kind: Kind; label: string; key: (o: Obj) => string }> = [
  { kind: 'channels', label: 'Web channel', key: (o) => String(o.id) },
  { kind: 'skill-queues', label: 'Skill queue', key: (o) => String(o.name) },
  { kind: 'called-routes', label: 'Called route', key: (o) => `${o.accessCode}${o.extensionCode ?? ''}` },
  { kind: 'agents', label: 'Agent', key: (o) => String(o.account) },
];

/** Fields with a fixed set of values (requirements part A). */
const CHOICES: Record<string, string[]> = {
  type: ['voice', 'multimedia', 'video', 'voiceClickToDial', 'videoClickToDial'],
  processMethod: ['release', 'transfer'],
  deviceType: ['skillQueue', 'ivr'],
  queuingMethod: ['', 'defaultTone', 'customTone', 'ivr'],
  keepingMethod: ['', 'defaultTone', 'customTone'],
  answerMode: ['reportEmployeeId', 'noVoice'],
  accessCodeType: ['multimedia', 'voice', 'video', 'clickToDial'],
  platformRole: ['commonAgent', 'qualityChecker', 'calloutAgent'],
  agentType: ['audio', 'video', 'multimedia', 'versatile'],
  gender: ['female', 'male', 'unspecified'],
  calledParty: ['agent', 'ivr'],
};

/** What an on/off feature of the channel holds when switched on. */
const seedChannel = seedTenant().channels[0]!;
const FEATURE_DEFAULTS: Record<string, unknown> = {
  chatbot: seedChannel.chatbot,
  clickToDial: seedChannel.clickToDial,
  dialogEnd: { noReplyMinutes: 20, conclusion: 'The chat has ended. Thank you for contacting us.' },
  secretKey: 'changeMe123',
  workTime: { timeZone: 'Asia/Shanghai', workdays: [1, 2, 3, 4, 5], workday: [{ start: '09:00', end: '18:00' }], nonWorkday: [], nonWorkingNotice: 'We are closed now.' },
  robotAssistant: { accessCode: '8002', silentAgentSkillQueue: '123451' },
  queuingMethod: 'defaultTone',
  keepingMethod: 'defaultTone',
  extensionCode: '',
  phone: '',
};

const humanize = (k: string) => k.replace(/([A-Z])/g, ' $1').replace(/^./, (c) => c.toUpperCase());

export function mountAdminForms(container: HTMLElement, log: (text: string) => void): { refresh(): Promise<void> } {
  let kind: Kind = 'channels';
  let items: Obj[] = [];
  let selected: string | null = null;
  let draft: Obj | null = null;
  let creating = false;
  let error: { field?: string; message: string } | null = null;
  let status = '';

  async function api(path: string, init: { method?: string; body?: unknown } = {}) {
    const res = await fetch(`/mock/admin${path}`, {
      method: init.method ?? 'GET',
      headers: init.body === undefined ? {} : { 'content-type': 'application/json' },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
    const body = res.status === 204 ? {} : await res.json();
    return { ok: res.ok, body };
  }

  async function refresh(): Promise<void> {
    const { body } = await api(`/${kind}`);
    items = (body.items as Obj[]) ?? [];
    const spec = KINDS.find((k) => k.kind === kind)!;
    if (!creating) {
      const current = items.find((o) => spec.key(o) === selected) ?? items[0];
      selected = current ? spec.key(current) : null;
      draft = current ? structuredClone(current) : null;
    }
    draw();
  }

  function set(path: Array<string | number>, value: unknown): void {
    let o = draft as Record<string | number, unknown>;
    for (const p of path.slice(0, -1)) o = o[p] as Record<string | number, unknown>;
    o[path.at(-1)!] = value;
    draw();
  }

  /** The mock names fields as `skillQueues[1].maxWaitTime` or `maxWaitTime`; ours are dotted. */
  const matches = (path: string) => !!error?.field && (error.field === path || error.field.endsWith(`.${path}`) || error.field.replace(/\[(\d+)\]/g, '.$1') === path);

  function field(path: Array<string | number>, value: unknown, label: string): TemplateResult {
    const id = `adm-${path.join('-')}`;
    const dotted = path.join('.');
    const bad = matches(dotted);
    const err = bad ? html`<span class="adm-error" id=${`${id}-err`}>${error!.message}</span>` : nothing;
    const key = String(path.at(-1));
    const described = bad ? `${id}-err` : undefined;
    if (value === null && key in FEATURE_DEFAULTS) {
      return html`<label class="adm-row"><input type="checkbox" @change=${() => set(path, structuredClone(FEATURE_DEFAULTS[key]))} /> ${label}: off</label>${err}`;
    }
    if (typeof value === 'boolean') {
      return html`<label class="adm-row"><input id=${id} type="checkbox" .checked=${value} @change=${(e: Event) => set(path, (e.target as HTMLInputElement).checked)} /> ${label}</label>${err}`;
    }
    if (typeof value === 'number') {
      return html`<label class="adm-field">${label}<input id=${id} type="number" .value=${String(value)} aria-invalid=${bad ? 'true' : 'false'} aria-describedby=${described ?? nothing}
        @input=${(e: Event) => set(path, Number((e.target as HTMLInputElement).value))} /></label>${err}`;
    }
    if (typeof value === 'string') {
      const choices = CHOICES[key];
      if (choices) {
        return html`<label class="adm-field">${label}<select id=${id} aria-invalid=${bad ? 'true' : 'false'} @change=${(e: Event) => set(path, (e.target as HTMLSelectElement).value || undefined)}>
          ${choices.map((c) => html`<option value=${c} ?selected=${c === value}>${c || '(none)'}</option>`)}</select></label>${err}`;
      }
      return html`<label class="adm-field">${label}<input id=${id} .value=${value} aria-invalid=${bad ? 'true' : 'false'} aria-describedby=${described ?? nothing}
        @input=${(e: Event) => set(path, (e.target as HTMLInputElement).value)} /></label>${err}`;
    }
    if (Array.isArray(value) && value.every((v) => typeof v === 'string' || typeof v === 'number') && !(value.length === 0 && ['workday', 'nonWorkday', 'rules'].includes(key))) {
      const numbers = key === 'workdays';
      return html`<label class="adm-field">${label} (comma-separated)<input id=${id} .value=${value.join(', ')} aria-invalid=${bad ? 'true' : 'false'} aria-describedby=${described ?? nothing}
        @change=${(e: Event) => {
          const parts = (e.target as HTMLInputElement).value.split(',').map((x) => x.trim()).filter(Boolean);
          set(path, numbers ? parts.map(Number) : parts);
        }} /></label>${err}`;
    }
    if (Array.isArray(value)) {
      const template = key === 'rules' ? { keywords: ['keyword'], reply: 'Reply' } : { start: '09:00', end: '18:00' };
      return html`<fieldset class="adm-group"><legend>${label}</legend>
        ${value.map((v, i) => html`<div class="adm-item">${field([...path, i], v, `${humanize(key)} ${i + 1}`)}
          <button type="button" class="secondary" @click=${() => set(path, value.filter((_, j) => j !== i))}>Remove</button></div>`)}
        <button type="button" class="secondary" @click=${() => set(path, [...value, structuredClone(template)])}>Add</button>${err}</fieldset>`;
    }
    if (value && typeof value === 'object') {
      const entries = Object.entries(value as Obj);
      const optional = key in FEATURE_DEFAULTS;
      return html`<fieldset class="adm-group"><legend>${label}${optional ? html` <button type="button" class="secondary" @click=${() => set(path, null)}>Turn off</button>` : nothing}</legend>
        ${entries.map(([k, v]) => field([...path, k], v, humanize(k)))}${err}</fieldset>`;
    }
    return html``;
  }

  async function save(e: Event): Promise<void> {
    e.preventDefault();
    if (!draft) return;
    const spec = KINDS.find((k) => k.kind === kind)!;
    const clean = JSON.parse(JSON.stringify(draft));
    const r = creating ? await api(`/${kind}`, { method: 'POST', body: clean }) : await api(`/${kind}/${encodeURIComponent(selected!)}`, { method: 'PATCH', body: clean });
    if (!r.ok) {
      error = { field: r.body.field, message: r.body.exceptionInfo };
      status = '';
    } else {
      error = null;
      creating = false;
      selected = spec.key(r.body.item as Obj);
      status = 'Saved. New sessions use it.';
      log(`admin: saved ${spec.label.toLowerCase()} ${selected}`);
      await refresh();
    }
    draw();
  }

  async function remove(): Promise<void> {
    const r = await api(`/${kind}/${encodeURIComponent(selected!)}`, { method: 'DELETE' });
    if (!r.ok) error = { field: r.body.field, message: r.body.exceptionInfo };
    else {
      log(`admin: deleted ${kind} ${selected}`);
      selected = null;
      error = null;
      status = 'Deleted.';
      await refresh();
    }
    draw();
  }

  function startNew(): void {
    const template = structuredClone(items[0] ?? {});
    if (kind === 'channels') Object.assign(template, { id: 'new_channel', channelAccessCode: 'web_new', secretKey: null });
    if (kind === 'skill-queues') Object.assign(template, { name: 'NewQueue', description: 'A new queue', type: 'voice', maxWaitTime: 60, maxCallsInQueue: 100, arrangingDuration: 5 });
    if (kind === 'agents') Object.assign(template, { account: 'new-agent', name: 'New agent', employeeId: '10099' });
    if (kind === 'called-routes') Object.assign(template, { extensionCode: '9' });
    draft = template;
    creating = true;
    error = null;
    status = '';
    draw();
  }

  function draw(): void {
    const spec = KINDS.find((k) => k.kind === kind)!;
    render(
      html`<div class="row">
          <label>Configure
            <select @change=${(e: Event) => ((kind = (e.target as HTMLSelectElement).value as Kind), (creating = false), (selected = null), (error = null), (status = ''), void refresh())}>
              ${KINDS.map((k) => html`<option value=${k.kind} ?selected=${k.kind === kind}>${k.label}</option>`)}
            </select></label>
          ${creating
            ? nothing
            : html`<label>${spec.label}
                <select @change=${(e: Event) => ((selected = (e.target as HTMLSelectElement).value), (error = null), (status = ''), void refresh())}>
                  ${items.map((o) => html`<option ?selected=${spec.key(o) === selected}>${spec.key(o)}</option>`)}
                </select></label>`}
          <button type="button" class="secondary" @click=${startNew}>New</button>
        </div>
        ${error ? html`<p class="error" role="alert">${error.field ? `${error.field}: ` : ''}${error.message}</p>` : nothing}
        ${status ? html`<p class="note" role="status">${status}</p>` : nothing}
        ${draft
          ? html`<form class="adm-form" aria-label=${`${spec.label} settings`} @submit=${save}>
              ${Object.entries(draft).map(([k, v]) => field([k], v, humanize(k)))}
              <div class="row">
                <button type="submit">${creating ? `Create ${spec.label.toLowerCase()}` : 'Save'}</button>
                ${creating
                  ? html`<button type="button" class="secondary" @click=${() => ((creating = false), (error = null), void refresh())}>Cancel</button>`
                  : html`<button type="button" class="secondary" @click=${remove}>Delete</button>`}
              </div>
            </form>`
          : nothing}
        <div class="row"><button type="button" class="secondary" @click=${async () => {
          await api('/reset', { method: 'POST' });
          log('admin: configuration reset to the seeded tenant');
          status = 'Back to the seeded tenant.';
          creating = false;
          await refresh();
        }}>Reset to the seeded tenant</button></div>`,
      container,
    );
  }

  return { refresh };
}
