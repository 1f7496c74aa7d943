/**
 * The Administrator pane: forms for the web channel (Table 4), skill queues (Table 1), called
 * routes (Table 2) and agents (Table 3) of the seed's admin guide, Batch Configure for agents
 * (step 5) and, after a web channel is saved, its Integration instructions (step 6 → 7).
 *
 * A form always shows the tenant as it is now: it is drawn from the stored object with the
 * administrator's edits laid over it, re-read after every preset, reset and save (and on a
 * timer, for changes made in other tabs). A save sends only what was edited: a PATCH of the
 * changed top-level fields, each merged with its current stored value.
 */
import { live } from 'lit/directives/live.js';
import { html, nothing, render, type TemplateResult } from 'lit';
import { seedTenant } from '../mock-server/config/seed.js';
import { matchLocale } from '../widget/core/locale.js';
import { mountBatchForm } from './admin-batch.js';
import { adminApi, CHOICES, languageName, sentence, TEXT_KEYS, type AdminApi, type AdminError, type Obj } from './admin-util.js';
import { renderIntegration } from './integration.js';

type Kind = 'channels' | 'skill-queues' | 'called-routes' | 'agents';
type Mode = Kind | 'batch';
type Path = Array<string | number>;

const KINDS: Array<{ kind: Kind; label: string; key: (o: Obj) => string }> = [
  { kind: 'channels', label: 'Web channel', key: (o) => String(o.id) },
  { kind: 'skill-queues', label: 'Skill queue', key: (o) => String(o.name) },
  { kind: 'called-routes', label: 'Called route', key: (o) => `${o.accessCode}${o.extensionCode ?? ''}` },
  { kind: 'agents', label: 'Agent', key: (o) => String(o.account) },
];

/** The guide's names for a queue's overflow policies (Skill Parameter Configuration). */
const POLICIES: Array<[string, string]> = [
  ['onTimeout', 'On timeout'],
  ['onBusy', 'On busy'],
  ['onNoAgents', 'On no agents'],
];
/** Waiting tones exist for voice and video queues only (Table 1 note). */
const TONE_TYPES = ['voice', 'video'];

/** What an on/off feature of the channel holds when switched on. */
const seedChannel = seedTenant().channels[0]!;
const FEATURE_DEFAULTS: Record<string, unknown> = {
  chatbot: seedChannel.chatbot,
  clickToDial: seedChannel.clickToDial,
  dialogEnd: { noReplyMinutes: 20, conclusion: 'The chat has ended. Thank you for contacting us.' },
  secretKey: 'changeMe123',
  workTime: { timeZone: 'Asia/Shanghai', workdays: [1, 2, 3, 4, 5], workday: [{ start: '09:00', end: '18:00' }], nonWorkday: [], nonWorkingNotice: 'We are closed now.' },
  robotAssistant: { accessCode: '8002', silentAgentSkillQueue: '123451' },
};

/** Optional fields that a stored object may leave out but the form always offers (Tables 1–3). */
const OPTIONAL_FIELDS: Partial<Record<Kind, string[]>> = {
  'skill-queues': ['queuingMethod', 'keepingMethod'],
  agents: ['name', 'phone'],
  'called-routes': ['extensionCode'],
};
/** Labels where the guide's name differs from the field name. */
const LABELS: Record<string, string> = {
  phone: 'Phone (mobile or fixed-line number)',
  queuingMethod: 'Queuing method',
  keepingMethod: 'Keeping method',
};

const humanize = (k: string) => LABELS[k] ?? k.replace(/([A-Z])/g, ' $1').replace(/^./, (c) => c.toUpperCase());

function setAt(o: Obj, path: Path, value: unknown): void {
  let cur = o as Record<string | number, unknown>;
  for (const [i, p] of path.slice(0, -1).entries()) {
    if (!cur[p] || typeof cur[p] !== 'object') cur[p] = typeof path[i + 1] === 'number' ? [] : {};
    cur = cur[p] as Record<string | number, unknown>;
  }
  if (value === undefined) delete cur[path.at(-1)!];
  else cur[path.at(-1)!] = value;
}

export interface AdminPane {
  /** Re-reads the tenant; the administrator's unsaved edits stay on top of it. */
  refresh(): Promise<void>;
}

export interface AdminDeps {
  log: (text: string) => void;
  /** Something was saved: other panes re-read what they show. */
  changed: () => void;
  /** The Customer pane's Try, on exactly this channel. */
  tryChannel: (channelId: string) => void;
  /** The demo's mock runs in this tab only (MSW worker), not on the server. */
  inPage: boolean;
}

/**
 * Draws the Administrator pane into `container` and returns its refresh. Reads and writes the
 * tenant through `/mock/admin` (collections keyed by name, full code, account and id).
 */
export function mountAdminForms(container: HTMLElement, deps: AdminDeps): AdminPane {
  const api: AdminApi = adminApi;
  let mode: Mode = 'channels';
  let items: Obj[] = [];
  let selected: string | null = null;
  /** The stored object (null while creating a new one). */
  let base: Obj | null = null;
  /** The administrator's edits, replayed in order over `base` (or the new object's template). */
  let edits: Array<{ path: Path; value: unknown }> = [];
  let template: Obj | null = null;
  let draft: Obj | null = null;
  let error: AdminError | null = null;
  let status = '';
  let focusError = false;
  let busy = false;
  /** The chosen kind's objects are still being read: no form, no New. */
  let loading = true;
  /** The channel whose Integration instructions are shown (after a save). */
  let integrationFor: Obj | null = null;
  const queues: Obj[] = [];
  const ivrs: Obj[] = [];

  const batch = mountBatchForm({ api, log: deps.log, changed: () => deps.changed(), draw: () => draw() });
  const creating = () => template !== null;
  const spec = () => KINDS.find((k) => k.kind === mode)!;

  function rebuild(): void {
    const start = creating() ? template : base;
    draft = start ? structuredClone(start) : null;
    if (!draft) return;
    for (const f of OPTIONAL_FIELDS[mode as Kind] ?? []) if (!(f in draft)) draft[f] = '';
    for (const e of edits) setAt(draft, e.path, structuredClone(e.value));
  }

  /** Bumped by every read and write: an older read that answers late is dropped, never shown. */
  let generation = 0;

  async function refresh(): Promise<void> {
    if (busy) return;
    const mine = ++generation;
    const [qs, vs] = await Promise.all([api.get('/skill-queues'), api.get('/ivrs')]);
    if (mine !== generation) return;
    queues.splice(0, queues.length, ...((qs.body.items as Obj[]) ?? []));
    ivrs.splice(0, ivrs.length, ...((vs.body.items as Obj[]) ?? []));
    if (mode === 'batch') {
      await batch.refresh();
      if (mine !== generation) return;
      draw();
      return;
    }
    const { body } = await api.get(`/${mode}`);
    if (mine !== generation) return;
    items = (body.items as Obj[]) ?? [];
    const current = items.find((o) => spec().key(o) === selected) ?? (creating() ? undefined : items[0]);
    loading = false;
    if (!creating()) selected = current ? spec().key(current) : null;
    base = current ? structuredClone(current) : null;
    if (integrationFor && mode === 'channels') integrationFor = items.find((c) => c.id === integrationFor!.id) ?? null;
    rebuild();
    draw();
  }

  function set(path: Path, value: unknown): void {
    edits.push({ path, value: structuredClone(value) });
    rebuild();
    draw();
  }

  const matches = (path: string) => !!error?.field && (error.field === path || error.field.replace(/\[(\d+)\]/g, '.$1') === path || error.field.endsWith(`.${path}`));

  function errorFor(path: Path, id: string) {
    const bad = matches(path.join('.'));
    return { bad, err: bad ? html`<span class="adm-error" id=${`${id}-err`}>${error!.message}</span>` : nothing, described: bad ? `${id}-err` : undefined };
  }

  function select(path: Path, value: string, label: string, choices: Array<[string, string]>): TemplateResult {
    const id = `adm-${path.join('-')}`;
    const { bad, err, described } = errorFor(path, id);
    return html`<label class="adm-field">${label}<select id=${id} aria-invalid=${bad ? 'true' : 'false'} aria-describedby=${described ?? nothing}
        @change=${(e: Event) => set(path, (e.target as HTMLSelectElement).value)}>
        ${choices.map(([v, text]) => html`<option value=${v} .selected=${live(v === value)}>${text}</option>`)}</select></label>${err}`;
  }

  /** A skill queue's overflow policy: process method, then (for transfer) device type and target. */
  function policy(key: string, label: string): TemplateResult {
    const q = draft!;
    const p = (q[key] as Obj | undefined) ?? { processMethod: 'release', deviceType: 'skillQueue' };
    const multimedia = q.type === 'multimedia';
    const sameType = queues.filter((x) => x.type === q.type && x.name !== q.name);
    const targets: Array<[string, string]> = p.deviceType === 'ivr' ? ivrs.map((v) => [String(v.accessCode), `${v.name} (${v.accessCode})`]) : sameType.map((x) => [String(x.name), String(x.name)]);
    const firstTarget = (device: unknown) => (device === 'ivr' ? ivrs[0]?.accessCode : sameType[0]?.name) as string | undefined;
    const setPolicy = (next: Obj) => set([key], next);
    const { err } = errorFor([key], `adm-${key}`);
    return html`<fieldset class="adm-group"><legend>${label}</legend>
      <label class="adm-field">Process method<select id=${`adm-${key}-processMethod`} aria-invalid=${matches(`${key}.processMethod`) ? 'true' : 'false'}
        @change=${(e: Event) => {
          const method = (e.target as HTMLSelectElement).value;
          setPolicy(
            method === 'transfer'
              ? { processMethod: 'transfer', deviceType: 'skillQueue', target: firstTarget('skillQueue') ?? '' }
              : { processMethod: 'release', deviceType: p.deviceType ?? 'skillQueue' },
          );
        }}>
        ${CHOICES.processMethod!.map(([v, text]) => html`<option value=${v} .selected=${live(v === p.processMethod)}>${text}</option>`)}</select></label>
      ${
        p.processMethod === 'transfer'
          ? html`<label class="adm-field">Device type<select id=${`adm-${key}-deviceType`} aria-invalid=${matches(`${key}.deviceType`) ? 'true' : 'false'}
              @change=${(e: Event) => {
                const device = (e.target as HTMLSelectElement).value;
                setPolicy({ processMethod: 'transfer', deviceType: device, target: firstTarget(device) ?? '' });
              }}>
              ${(multimedia ? CHOICES.deviceType!.filter(([v]) => v === 'skillQueue') : CHOICES.deviceType!).map(([v, text]) => html`<option value=${v} .selected=${live(v === p.deviceType)}>${text}</option>`)}</select></label>
            ${matches(`${key}.deviceType`) ? html`<span class="adm-error">${error!.message}</span>` : nothing}
            ${
              targets.length
                ? select([key, 'target'], String(p.target ?? ''), p.deviceType === 'ivr' ? 'Target IVR' : 'Target skill queue', [
                    ...(targets.some(([v]) => v === p.target) ? [] : ([[String(p.target ?? ''), p.target ? `${p.target} (not available)` : '(choose)']] as Array<[string, string]>)),
                    ...targets,
                  ])
                : html`<p class="note">${p.deviceType === 'ivr' ? 'The tenant has no IVR flow.' : `No other ${q.type} queue to transfer to: create one first (a queue transfers only to a queue of its own type).`}</p>`
            }
            ${multimedia ? html`<p class="note">A multimedia queue can transfer only to a skill queue.</p>` : nothing}`
          : nothing
      }
      ${err}</fieldset>`;
  }

  /** The language tag typed for each text (by path), not yet added. */
  const newTags = new Map<string, string>();
  const isText = (path: Path, value: unknown) =>
    mode === 'channels' &&
    (typeof value === 'string' || (!!value && typeof value === 'object' && !Array.isArray(value))) &&
    (TEXT_KEYS.has(String(path.at(-1))) || (path[0] === 'satisfactionLevels' && path.length === 2));

  /** Moves the keyboard to the element `id` once the form is drawn again. */
  const focusLater = (id: string) => queueMicrotask(() => container.querySelector<HTMLElement>(`#${CSS.escape(id)}`)?.focus());

  /**
   * A customer-facing text: one input while it is one text for every language, with "Add a
   * language"; once given by language, a group with one input per tag (each removable while
   * another is left) and a tag box that adds a language (Enter or Add). Errors name the language.
   */
  function textField(path: Path, value: string | Record<string, string>, label: string): TemplateResult {
    const id = `adm-${path.join('-')}`;
    const { bad, err, described } = errorFor(path, id);
    const k = path.join('.');
    const fallbackTag = String(draft?.defaultLocale || 'en');
    const tagId = `${id}-newlang`;
    if (typeof value === 'string') {
      return html`<div class="adm-text"><label class="adm-field">${label}<input id=${id} .value=${value} dir="auto" aria-invalid=${bad ? 'true' : 'false'} aria-describedby=${described ?? nothing}
          @input=${(e: Event) => set(path, (e.target as HTMLInputElement).value)} /></label>
        <button type="button" class="secondary adm-lang-add" @click=${() => {
          set(path, value === '' ? {} : { [fallbackTag]: value });
          focusLater(tagId);
        }}>Add a language</button></div>${err}`;
    }
    const entries = Object.entries(value);
    // The text a customer gets when theirs is missing (core/locale.ts): labelled as the field itself.
    const main = matchLocale(Object.keys(value), fallbackTag) ?? entries[0]?.[0];
    const add = () => {
      const tag = (newTags.get(k) ?? '').trim();
      if (!tag) return;
      newTags.delete(k);
      if (!(tag in value)) set(path, { ...value, [tag]: '' });
      else draw();
      focusLater(`${id}-${tag}`);
    };
    return html`<fieldset class="adm-group" id=${id} tabindex="-1" aria-invalid=${bad ? 'true' : 'false'}><legend>${label}</legend>
      ${entries.map(([tag, text]) => {
        const p = [...path, tag];
        const one = errorFor(p, `${id}-${tag}`);
        const noteId = `${id}-${tag}-note`;
        const describedBy = [tag === main ? noteId : '', one.described ?? ''].filter(Boolean).join(' ');
        return html`<div class="adm-lang"><label class="adm-field">${tag === main ? label : `${languageName(tag)} (${tag})`}<input id=${`${id}-${tag}`} lang=${tag} dir="auto" .value=${live(text)}
            aria-invalid=${one.bad ? 'true' : 'false'} aria-describedby=${describedBy || nothing}
            @input=${(e: Event) => set(p, (e.target as HTMLInputElement).value)} /></label>
          ${
            entries.length > 1
              ? html`<button type="button" class="secondary" @click=${() => {
                  const rest = { ...value };
                  delete rest[tag];
                  set(path, rest);
                  focusLater(tagId);
                }}>Remove ${tag}</button>`
              : nothing
          }${tag === main ? html`<span class="note" id=${noteId}>${languageName(tag)} (${tag}): for every language without its own text</span>` : nothing}${one.err}</div>`;
      })}
      <div class="row"><label class="adm-field">Language tag (such as pt-BR, fr, es)<input id=${tagId} .value=${live(newTags.get(k) ?? '')} autocomplete="off" spellcheck="false"
          @input=${(e: Event) => newTags.set(k, (e.target as HTMLInputElement).value)}
          @keydown=${(e: KeyboardEvent) => {
            if (e.key === 'Enter') e.preventDefault(), add();
          }} /></label>
        <button type="button" class="secondary" @click=${add}>Add</button></div>
      ${err}</fieldset>`;
  }

  function field(path: Path, value: unknown, label: string): TemplateResult {
    const id = `adm-${path.join('-')}`;
    const { bad, err, described } = errorFor(path, id);
    const key = String(path.at(-1));
    if (isText(path, value)) return textField(path, value as string | Record<string, string>, label);
    // The level names are texts: one editor each (exactly five, so no Add / Remove).
    if (path.length === 1 && mode === 'channels' && key === 'satisfactionLevels' && Array.isArray(value)) {
      return html`<fieldset class="adm-group" id=${id} tabindex="-1" aria-invalid=${bad ? 'true' : 'false'}><legend>${label}</legend>
        ${value.map((v, i) => field([...path, i], v, `Level ${i + 1}`))}${err}</fieldset>`;
    }
    if (path.length === 1 && mode === 'skill-queues') {
      const p = POLICIES.find(([k]) => k === key);
      if (p) return policy(p[0], p[1]);
      if ((key === 'queuingMethod' || key === 'keepingMethod') && !TONE_TYPES.includes(String(draft!.type))) return html``;
    }
    if (path.length === 1 && mode === 'agents' && key === 'skillQueues' && Array.isArray(value)) return queueChecks(path, value as string[], label, bad, err);
    if (value === null && key in FEATURE_DEFAULTS) {
      return html`<label class="adm-row"><input type="checkbox" id=${id} aria-invalid=${bad ? 'true' : 'false'} @change=${() => set(path, FEATURE_DEFAULTS[key])} /> ${label}: off</label>${err}`;
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
      if (choices) return select(path, value, label, choices.some(([v]) => v === value) ? choices : [[value, value], ...choices]);
      return html`<label class="adm-field">${label}<input id=${id} .value=${value} aria-invalid=${bad ? 'true' : 'false'} aria-describedby=${described ?? nothing}
        @input=${(e: Event) => set(path, (e.target as HTMLInputElement).value)} /></label>${err}`;
    }
    if (Array.isArray(value) && value.every((v) => typeof v === 'string' || typeof v === 'number') && !(value.length === 0 && ['workday', 'nonWorkday', 'rules'].includes(key))) {
      const numbers = key === 'workdays';
      return html`<label class="adm-field">${label} (comma-separated)<input id=${id} .value=${value.join(', ')} aria-invalid=${bad ? 'true' : 'false'} aria-describedby=${described ?? nothing}
        @change=${(e: Event) => {
          const parts = (e.target as HTMLInputElement).value
            .split(',')
            .map((x) => x.trim())
            .filter(Boolean);
          set(path, numbers ? parts.map(Number) : parts);
        }} /></label>${err}`;
    }
    if (Array.isArray(value)) {
      const blank = key === 'rules' ? { keywords: ['keyword'], reply: 'Reply' } : { start: '09:00', end: '18:00' };
      return html`<fieldset class="adm-group"><legend>${label}</legend>
        ${value.map(
          (v, i) => html`<div class="adm-item">${field([...path, i], v, `${humanize(key)} ${i + 1}`)}
          <button type="button" class="secondary" @click=${() =>
            set(
              path,
              value.filter((_, j) => j !== i),
            )}>Remove</button></div>`,
        )}
        <button type="button" class="secondary" @click=${() => set(path, [...value, blank])}>Add</button>${err}</fieldset>`;
    }
    if (value && typeof value === 'object') {
      const entries = Object.entries(value as Obj);
      const optional = key in FEATURE_DEFAULTS;
      return html`<fieldset class="adm-group"><legend>${label}${optional ? html` <button type="button" class="secondary" @click=${() => set(path, null)}>Turn off</button>` : nothing}</legend>
        ${entries.map(([k, v]) => field([...path, k], v, humanize(k)))}${err}</fieldset>`;
    }
    return html``;
  }

  /** An agent's skill queues as one checkbox per queue of the tenant (Select Skill Queue). */
  function queueChecks(path: Path, value: string[], label: string, bad: boolean, err: unknown): TemplateResult {
    const toggle = (name: string, on: boolean) => set(path, on ? [...value.filter((n) => n !== name), name] : value.filter((n) => n !== name));
    return html`<fieldset class="adm-group" id=${`adm-${path.join('-')}`} tabindex="-1" aria-invalid=${bad ? 'true' : 'false'}><legend>${label}</legend>
      ${queues.map(
        (q) => html`<label class="adm-row"><input type="checkbox" .checked=${value.includes(String(q.name))}
        @change=${(e: Event) => toggle(String(q.name), (e.target as HTMLInputElement).checked)} /> ${q.name} <span class="note">(${q.type})</span></label>`,
      )}
      ${err}</fieldset>`;
  }

  /** The edited top-level fields with their current values: exactly what a PATCH should carry. */
  function changedFields(): Obj {
    const out: Obj = {};
    for (const k of new Set(edits.map((e) => String(e.path[0])))) {
      const v = draft![k];
      if (JSON.stringify(v) !== JSON.stringify(base?.[k] ?? (OPTIONAL_FIELDS[mode as Kind]?.includes(k) ? '' : undefined))) out[k] = v === undefined ? null : v;
    }
    // A queue moved to a type without waiting tones: the tones go too.
    if (mode === 'skill-queues' && 'type' in out && !TONE_TYPES.includes(String(out.type))) {
      if (base?.queuingMethod) out.queuingMethod = '';
      if (base?.keepingMethod) out.keepingMethod = '';
    }
    return out;
  }

  async function save(e: Event): Promise<void> {
    e.preventDefault();
    if (!draft || busy) return;
    busy = true;
    generation++;
    // Edits made while the request is on its way are not part of it: they stay after the save.
    const sent = edits.length;
    try {
      const label = spec().label;
      let r;
      if (creating()) {
        const body = JSON.parse(JSON.stringify(draft)) as Obj;
        for (const f of OPTIONAL_FIELDS[mode as Kind] ?? []) if (body[f] === '') delete body[f];
        if (mode === 'skill-queues' && !TONE_TYPES.includes(String(body.type))) delete body.queuingMethod, delete body.keepingMethod;
        r = await api.send('POST', `/${mode}`, body);
      } else {
        const patch = changedFields();
        if (Object.keys(patch).length === 0) {
          error = null;
          // A web channel saved as it is: its Integration instructions are what the administrator is after.
          if (mode === 'channels' && base) {
            status = 'Nothing to save: no field was changed. Its Integration instructions are below.';
            integrationFor = base;
          } else status = 'Nothing to save: no field was changed.';
          return;
        }
        r = await api.send('PATCH', `/${mode}/${encodeURIComponent(selected!)}`, patch);
      }
      if (!r.ok) {
        error = { field: r.body.field as string | undefined, message: sentence(r.body.field as string | undefined, String(r.body.exceptionInfo ?? 'The change was refused.')) };
        status = '';
        focusError = true;
        return;
      }
      const item = r.body.item as Obj;
      const wasNew = creating();
      error = null;
      template = null;
      edits = edits.slice(sent);
      selected = spec().key(item);
      status = `Saved. New sessions use it.`;
      deps.log(`admin: ${wasNew ? 'created' : 'saved'} ${label.toLowerCase()} ${selected}`);
      if (mode === 'channels') integrationFor = item;
      deps.changed();
    } finally {
      busy = false;
      await refresh();
    }
  }

  async function remove(): Promise<void> {
    const r = await api.send('DELETE', `/${mode}/${encodeURIComponent(selected!)}`);
    if (!r.ok) {
      error = { field: r.body.field as string | undefined, message: sentence(undefined, String(r.body.exceptionInfo)) };
    } else {
      deps.log(`admin: deleted ${mode} ${selected}`);
      selected = null;
      error = null;
      edits = [];
      integrationFor = null;
      status = 'Deleted.';
      deps.changed();
    }
    await refresh();
  }

  function startNew(): void {
    const t = structuredClone(items[0] ?? {});
    if (mode === 'channels') Object.assign(t, { id: 'new_channel', channelAccessCode: 'web_new', secretKey: null });
    if (mode === 'skill-queues') {
      Object.assign(t, { name: 'NewQueue', description: 'A new queue', type: 'voice', maxWaitTime: 60, maxCallsInQueue: 100, arrangingDuration: 5 });
      for (const [k] of POLICIES) t[k] = { processMethod: 'release', deviceType: 'skillQueue' };
    }
    if (mode === 'agents') Object.assign(t, { account: 'new-agent', name: 'New agent', employeeId: '10099' });
    if (mode === 'called-routes') Object.assign(t, { extensionCode: '9' });
    template = t;
    edits = [];
    error = null;
    status = '';
    integrationFor = null;
    rebuild();
    draw();
  }

  function switchTo(next: Mode): void {
    mode = next;
    // Nothing of the previous kind may show under the new kind's name while it loads.
    items = [];
    base = null;
    draft = null;
    loading = true;
    template = null;
    selected = null;
    edits = [];
    error = null;
    status = '';
    integrationFor = null;
    draw();
    void refresh();
  }

  function draw(): void {
    const s = mode === 'batch' ? null : spec();
    const dirty = edits.length > 0;
    render(
      html`<div class="row">
          <label>Configure
            <select aria-label="Configure" @change=${(e: Event) => switchTo((e.target as HTMLSelectElement).value as Mode)}>
              ${KINDS.map((k) => html`<option value=${k.kind} .selected=${live(k.kind === mode)}>${k.label}</option>`)}
              <option value="batch" .selected=${live(mode === 'batch')}>Batch configure agents</option>
            </select></label>
          ${
            s && !creating()
              ? html`<label>${s.label}
                <select aria-label=${s.label} @change=${(e: Event) => ((selected = (e.target as HTMLSelectElement).value), (edits = []), (error = null), (status = ''), (integrationFor = null), (base = null), (draft = null), (loading = true), draw(), void refresh())}>
                  ${items.map((o) => html`<option .selected=${live(s.key(o) === selected)}>${s.key(o)}</option>`)}
                </select></label>`
              : nothing
          }
          ${s ? html`<button type="button" class="secondary" ?disabled=${loading} @click=${startNew}>New</button>` : nothing}
        </div>
        ${error ? html`<p class="error" role="alert">${error.message}</p>` : nothing}
        ${status ? html`<p class="note" role="status">${status}</p>` : nothing}
        ${integrationFor && mode === 'channels' ? renderIntegration(integrationFor, { tryChannel: deps.tryChannel, inPage: deps.inPage, close: () => ((integrationFor = null), draw()) }, () => draw()) : nothing}
        ${mode === 'batch' ? batch.view() : nothing}
        ${
          s && draft
            ? html`<form class="adm-form" aria-label=${`${s.label} settings`} @submit=${save}>
              ${Object.entries(draft).map(([k, v]) => field([k], v, humanize(k)))}
              <div class="row">
                <button type="submit">${creating() ? `Create ${s.label.toLowerCase()}` : 'Save'}</button>
                ${
                  creating()
                    ? html`<button type="button" class="secondary" @click=${() => ((template = null), (edits = []), (error = null), void refresh())}>Cancel</button>`
                    : html`<button type="button" class="secondary" ?disabled=${!dirty} @click=${() => ((edits = []), (error = null), (status = ''), rebuild(), draw())}>Discard changes</button>
                      <button type="button" class="secondary" @click=${remove}>Delete</button>
                      ${mode === 'channels' && base && !integrationFor ? html`<button type="button" class="secondary" @click=${() => ((integrationFor = base), draw())}>Integration instructions</button>` : nothing}`
                }
              </div>
            </form>`
            : nothing
        }
        <div class="row"><button type="button" class="secondary" @click=${async () => {
          await api.send('POST', '/reset');
          deps.log('admin: configuration reset to the seeded tenant');
          status = 'Back to the seeded tenant.';
          template = null;
          edits = [];
          error = null;
          integrationFor = null;
          deps.changed();
          await refresh();
        }}>Reset to the seeded tenant</button></div>`,
      container,
    );
    if (focusError) {
      focusError = false;
      const bad = container.querySelector<HTMLElement>('form [aria-invalid="true"]');
      const target = bad ?? container.querySelector<HTMLElement>('[role="alert"]');
      if (target) {
        if (!bad) target.tabIndex = -1;
        target.scrollIntoView({ block: 'center' });
        target.focus();
      }
    }
  }

  return { refresh };
}
