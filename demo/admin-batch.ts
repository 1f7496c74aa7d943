/**
 * Batch Configure (step 5 of the admin guide): select agents by employee ID or employee-ID
 * segment (`10021, 10020-10029`), see how many and which, set their agent information —
 * platform role, agent type, skill queues, the switches — and apply it to all of them at once.
 * The mock applies it all or nothing; an error is shown next to the field, naming the agent.
 */
import { live } from 'lit/directives/live.js';
import { html, nothing, type TemplateResult } from 'lit';
import { CHOICES, sentence, type AdminApi, type AdminError, type Obj } from './admin-util.js';

/** One token of the selection: an employee ID or an inclusive segment of them. */
export type Selector = { id: string } | { from: string; to: string };

/**
 * Parses "10021, 10020-10029" (commas, spaces or semicolons between tokens) into selectors.
 * Throws a sentence for a token that is neither 1–20 digits nor a segment low–high of them.
 */
export function parseSelection(text: string): Selector[] {
  const out: Selector[] = [];
  for (const token of text.split(/[\s,;]+/).filter(Boolean)) {
    const seg = /^(\d{1,20})\s*[-–]\s*(\d{1,20})$/.exec(token);
    if (seg) {
      if (BigInt(seg[1]!) > BigInt(seg[2]!)) throw new Error(`The segment ${token} runs backwards: write the lower employee ID first.`);
      out.push({ from: seg[1]!, to: seg[2]! });
    } else if (/^\d{1,20}$/.test(token)) out.push({ id: token });
    else throw new Error(`"${token}" is not an employee ID (digits) or a segment such as 10020-10029.`);
  }
  return out;
}

/** The employee IDs of a segment, keeping leading zeros when both ends have the same length (at most 1000). */
function expand(s: { from: string; to: string }): string[] {
  const width = s.from.length === s.to.length ? s.from.length : 0;
  const out: string[] = [];
  for (let id = BigInt(s.from); id <= BigInt(s.to) && out.length < 1000; id++) out.push(id.toString().padStart(width, '0'));
  return out;
}

/**
 * The agents a selection picks, in the tenant's order, and the employee IDs selected that are
 * no agent's — segments included: the admin API refuses a batch that selects any of them.
 */
export function resolveSelection(selectors: Selector[], agents: Obj[]): { agents: Obj[]; missing: string[] } {
  const ids = new Set(selectors.flatMap((s) => ('id' in s ? [s.id] : expand(s))));
  const picked = agents.filter((a) => ids.has(String(a.employeeId)));
  const missing = [...ids].filter((id) => !agents.some((a) => a.employeeId === id));
  return { agents: picked, missing };
}

/**
 * A batch error as a sentence: API field names in words, the selection named as such, and
 * internal references (`(allowances.videoAgents)`) left out; the API already names the agent.
 */
export function batchSentence(field: string, message: string): string {
  let text = message.replace(/^select(\[\d+\])?\s/, 'The selection ').replace(/\s*\(allowances\.\w+\)/g, '');
  text = text.replace(/\b([a-z]+(?:[A-Z][a-z]*)+)(?:\[(\d+)\])?/g, (_, name: string, i?: string) => name.replace(/([A-Z])/g, ' $1').toLowerCase() + (i === undefined ? '' : ` ${Number(i) + 1}`));
  void field;
  return sentence(undefined, text);
}

const SWITCHES: Array<[string, string]> = [
  ['intelligentRecognition', 'Intelligent recognition'],
  ['singlePhoneSignIn', 'SinglePhone agent recognition'],
  ['anonymization', 'Agent number anonymization flag'],
];

interface BatchDeps {
  api: AdminApi;
  log: (text: string) => void;
  changed: () => void;
  draw: () => void;
}

/**
 * The Batch Configure form's state and view, drawn inside the Administrator pane. Applies with
 * `POST /mock/admin/agents/batch-configure {select: ["10021", "10020-10029"], set: {...}}`.
 */
export function mountBatchForm(deps: BatchDeps): { refresh(): Promise<void>; view(): TemplateResult } {
  let agents: Obj[] = [];
  let queues: Obj[] = [];
  let selection = '';
  let values: Record<string, string> = {};
  let setQueues = false;
  let chosenQueues: string[] = [];
  let error: AdminError | null = null;
  let status = '';
  let focusError = false;

  async function refresh(): Promise<void> {
    const [a, q] = await Promise.all([deps.api.get('/agents'), deps.api.get('/skill-queues')]);
    agents = (a.body.items as Obj[]) ?? [];
    queues = (q.body.items as Obj[]) ?? [];
  }

  function preview(): { agents: Obj[]; missing: string[]; problem?: string } {
    try {
      return resolveSelection(parseSelection(selection), agents);
    } catch (e) {
      return { agents: [], missing: [], problem: (e as Error).message };
    }
  }

  /** The agent information to set: only the fields the administrator chose to change. */
  function changes(): Obj {
    const out: Obj = {};
    if (values.platformRole) out.platformRole = values.platformRole;
    if (values.agentType) out.agentType = values.agentType;
    if (setQueues) out.skillQueues = [...chosenQueues];
    for (const [k] of SWITCHES) if (values[k]) out[k] = values[k] === 'on';
    return out;
  }

  async function apply(e: Event): Promise<void> {
    e.preventDefault();
    const p = preview();
    const set = changes();
    status = '';
    if (p.problem || !selection.trim()) error = { field: 'employeeIds', message: p.problem ?? 'Select agents first: enter employee IDs or a segment such as 10020-10029.' };
    else if (Object.keys(set).length === 0) error = { field: 'set', message: 'Choose at least one field to set.' };
    else {
      const select = parseSelection(selection).map((x) => ('id' in x ? x.id : `${x.from}-${x.to}`));
      const r = await deps.api.send('POST', '/agents/batch-configure', { select, set });
      if (r.ok) {
        error = null;
        const changed = (r.body.items as Obj[] | undefined) ?? p.agents;
        status = `Applied to ${changed.length} agent${changed.length === 1 ? '' : 's'}: ${changed.map((a) => a.account).join(', ')}.`;
        deps.log(`admin: batch configured ${changed.map((a) => a.account).join(', ')} ${JSON.stringify(set)}`);
        deps.changed();
        await refresh();
      } else {
        const field = String(r.body.field ?? '');
        error = { field, message: batchSentence(field, String(r.body.exceptionInfo ?? 'The batch was refused.')) };
      }
    }
    focusError = !!error;
    deps.draw();
    if (focusError) {
      focusError = false;
      const bad = document.querySelector<HTMLElement>('form[aria-label="Batch configure agents"] [aria-invalid="true"]');
      bad?.scrollIntoView({ block: 'center' });
      bad?.focus();
    }
  }

  /** Which of our fields an API error belongs to (`agents[2].agentType`, `set.skillQueues[0]`, `employeeIds[1]`...). */
  const errorField = (): string | undefined => {
    const f = error?.field ?? '';
    if (!error) return undefined;
    for (const k of ['platformRole', 'agentType', 'skillQueues', ...SWITCHES.map(([s]) => s)]) if (new RegExp(`(^|\\.)${k}(\\[|$)`).test(f)) return k;
    if (/intelligent/i.test(f)) return 'intelligentRecognition';
    if (f === 'set') return 'set';
    return 'employeeIds';
  };

  /** The administrator changed the form: the last outcome no longer applies to it. */
  function edited(): void {
    error = null;
    status = '';
    deps.draw();
  }

  function view(): TemplateResult {
    const p = preview();
    const bad = errorField();
    const err = (k: string) => (bad === k ? html`<span class="adm-error" id=${`batch-${k}-err`}>${error!.message}</span>` : nothing);
    const inv = (k: string) => (bad === k ? 'true' : 'false');
    const desc = (k: string) => (bad === k ? `batch-${k}-err` : nothing);
    const choose = (k: string, label: string, choices: Array<[string, string]>) => html`<label class="adm-field">${label}
        <select aria-invalid=${inv(k)} aria-describedby=${desc(k)} @change=${(e: Event) => ((values = { ...values, [k]: (e.target as HTMLSelectElement).value }), edited())}>
          <option value="" .selected=${live(!values[k])}>(keep as is)</option>
          ${choices.map(([v, t]) => html`<option value=${v} .selected=${live(values[k] === v)}>${t}</option>`)}
        </select></label>${err(k)}`;
    return html`<form class="adm-form" aria-label="Batch configure agents" @submit=${apply}>
      <p class="note">Select agents by employee ID or employee-ID segment, then set their agent information. Every selected agent changes, or none does.</p>
      <label class="adm-field">Employee IDs or segments
        <input .value=${selection} placeholder="10021, 10020-10029" aria-invalid=${inv('employeeIds')} aria-describedby=${bad === 'employeeIds' ? 'batch-employeeIds-err' : 'batch-preview'}
          @input=${(e: Event) => ((selection = (e.target as HTMLInputElement).value), edited())} /></label>
      ${err('employeeIds')}
      <div id="batch-preview" role="status" aria-label="Selected agents">
        ${
          !selection.trim()
            ? html`<p class="note">No agent selected yet.</p>`
            : p.problem
              ? html`<p class="adm-error">${p.problem}</p>`
              : html`<p><strong>${p.agents.length} agent${p.agents.length === 1 ? '' : 's'} selected</strong>${p.agents.length ? ':' : '.'}</p>
                <ul class="batch-list">${p.agents.map((a) => html`<li>${a.name ?? a.account} (${a.account}, ${a.employeeId}) · ${a.agentType} · ${(a.skillQueues as string[]).join(', ')}</li>`)}</ul>
                ${
                  p.missing.length
                    ? html`<p class="adm-error">No agent has employee ID ${p.missing.length > 12 ? `${p.missing.slice(0, 12).join(', ')} and ${p.missing.length - 12} more` : p.missing.join(', ')}: every ID selected, segments included, must be an agent's.</p>`
                    : nothing
                }`
        }
      </div>
      <fieldset class="adm-group"><legend>Agent information to set</legend>
        ${choose('platformRole', 'Platform role', CHOICES.platformRole!)}
        ${choose('agentType', 'Agent type', CHOICES.agentType!)}
        <fieldset class="adm-group" aria-invalid=${inv('skillQueues')} tabindex="-1"><legend>
          <label class="adm-row"><input type="checkbox" .checked=${setQueues} @change=${(e: Event) => ((setQueues = (e.target as HTMLInputElement).checked), edited())} /> Set skill queues</label></legend>
          ${
            setQueues
              ? queues.map(
                  (q) => html`<label class="adm-row"><input type="checkbox" .checked=${chosenQueues.includes(String(q.name))}
                @change=${(e: Event) => {
                  const on = (e.target as HTMLInputElement).checked;
                  chosenQueues = on ? [...chosenQueues, String(q.name)] : chosenQueues.filter((n) => n !== q.name);
                  edited();
                }} /> ${q.name} <span class="note">(${q.type})</span></label>`,
                )
              : html`<p class="note">Skill queues are kept as they are.</p>`
          }
          ${err('skillQueues')}</fieldset>
        ${SWITCHES.map(([k, label]) =>
          choose(k, label, [
            ['on', 'On'],
            ['off', 'Off'],
          ]),
        )}
        ${err('set')}
      </fieldset>
      ${status ? html`<p class="note" role="status">${status}</p>` : nothing}
      <div class="row"><button type="submit" ?disabled=${p.agents.length === 0}>Apply to ${p.agents.length} agent${p.agents.length === 1 ? '' : 's'}</button></div>
    </form>`;
  }

  return { refresh, view };
}
