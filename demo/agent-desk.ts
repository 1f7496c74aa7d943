/**
 * The online chat workbench of one agent: sign in, ready / not ready, the waiting customers of
 * the agent's queues, accept, chat with typing, transfer, end, and the wrap-up countdown. The
 * demo shows one card per configured agent, each long-polling its own snapshot.
 */
import { html, nothing, render } from 'lit';
import type { AgentSnapshot } from '../mock-server/runtime/agents.js';
import type { DownlinkMessage } from '../widget/core/protocol.js';

export type MockApi = <T = Record<string, unknown>>(path: string, init?: { method?: string; body?: unknown }) => Promise<T>;

export interface DeskDeps {
  mock: MockApi;
  log: (text: string) => void;
  /** The mock clock's time, for the wrap-up countdown. */
  now: () => number;
  /** Queues that chats may be transferred to. */
  queues: () => string[];
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

/** A click-to-dial call ringing on or connected to this agent (GET /mock/agents/:a/call). */
interface AgentCall {
  callId: string;
  status: 'ringing' | 'connected' | 'ended';
  media: 'voice' | 'video';
  customerName?: string;
}

export class AgentCard {
  private agent: AgentSnapshot | null = null;
  private call: AgentCall | null = null;
  private error = '';
  private draft = '';
  private typingSent = false;
  private generation = 0;
  private transferTarget = '';

  constructor(
    readonly account: string,
    private readonly container: HTMLElement,
    private readonly deps: DeskDeps,
  ) {}

  /** Long-polls the agent's snapshot until stop(). */
  async watch(): Promise<void> {
    const generation = ++this.generation;
    let version = 0;
    while (generation === this.generation) {
      try {
        const res = await this.deps.mock<{ agent: AgentSnapshot }>(`/agents/${this.account}?version=${version}&wait=20`);
        if (generation !== this.generation) return;
        this.agent = res.agent;
        version = res.agent.version;
        this.call = await this.deps
          .mock<{ call: AgentCall | null }>(`/agents/${this.account}/call`)
          .then((r) => r.call)
          .catch(() => null);
        this.render();
      } catch {
        await new Promise((r) => setTimeout(r, 1000));
      }
    }
  }

  stop(): void {
    this.generation++;
  }

  private async act(action: string, body?: unknown): Promise<void> {
    try {
      this.error = '';
      const res = await this.deps.mock<{ agent?: AgentSnapshot }>(`/agents/${this.account}/${action}`, { body: body ?? {} });
      if (res.agent) this.agent = res.agent;
      this.deps.log(`agent ${this.account}: ${action}${body ? ` ${JSON.stringify(body)}` : ''}`);
    } catch (e) {
      this.error = (e as Error).message;
    }
    this.render();
  }

  private onInput = (e: Event): void => {
    this.draft = (e.target as HTMLTextAreaElement).value;
    const typing = this.draft.length > 0;
    if (typing !== this.typingSent && this.agent?.session) {
      this.typingSent = typing;
      void this.deps.mock(`/agents/${this.account}/typing`, { body: { typing } });
    }
  };

  private send = (e: Event): void => {
    e.preventDefault();
    if (!this.draft.trim()) return;
    const content = this.draft;
    this.draft = '';
    this.typingSent = false;
    void this.act('send', { content });
  };

  render(): void {
    const a = this.agent;
    const name = a?.name ?? this.account;
    const wrapLeft = a?.wrapUpUntil ? Math.max(0, Math.ceil((a.wrapUpUntil - this.deps.now()) / 1000)) : 0;
    const targets = this.deps.queues();
    render(
      html`<section class="desk" aria-label=${`Agent ${this.account}`}>
        <div class="row">
          <strong>${name}</strong>
          ${a ? html`<span class="status ${a.status}" role="status">${a.status === 'wrapUp' ? `wrap-up ${wrapLeft}s` : a.status}</span>` : nothing}
          ${!a || a.status === 'signedOut'
            ? html`<button @click=${() => this.act('sign-in')}>Sign in</button>`
            : html`${a.status === 'notReady'
                  ? html`<button @click=${() => this.act('ready')}>Set ready</button>`
                  : html`<button class="secondary" ?disabled=${a.status !== 'idle'} @click=${() => this.act('not-ready')}>Set not ready</button>`}
                <button class="secondary" @click=${() => this.act('sign-out')}>Sign out</button>`}
        </div>
        ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
        ${a && a.status !== 'signedOut'
          ? html`<ul class="waiting" aria-label=${`Customers waiting for ${name}`}>
              ${a.waiting.length === 0 ? html`<li class="note">Nobody is waiting.</li>` : nothing}
              ${a.waiting.map(
                (w) => html`<li><span>#${w.position} ${w.customerName} · ${w.queueName} · ${w.waitedSeconds}s</span>
                  <button ?disabled=${a.status !== 'idle'} @click=${() => this.act('accept', { sessionId: w.sessionId })}>Accept ${w.customerName}</button></li>`,
              )}
            </ul>`
          : nothing}
        ${this.call && this.call.status !== 'ended' ? this.renderCall(this.call) : nothing}
        ${a?.session ? this.renderChat(a, targets) : nothing}
      </section>`,
      this.container,
    );
  }

  private renderCall(c: AgentCall) {
    const kind = c.media === 'video' ? 'Video call' : 'Voice call';
    return html`<div class="row call" role="group" aria-label=${`${kind} for ${this.account}`}>
      <span class="status ${c.status === 'ringing' ? 'wrapUp' : 'busy'}" role="status">${kind} ${c.status}${c.customerName ? ` · ${c.customerName}` : ''}</span>
      ${c.status === 'ringing'
        ? html`<button @click=${() => this.act('call/answer')}>Answer call</button>
            <button class="secondary" @click=${() => this.act('call/reject')}>Reject call</button>`
        : html`<button class="secondary" @click=${() => this.act('call/hang-up')}>Hang up call</button>`}
    </div>`;
  }

  private renderChat(a: AgentSnapshot, targets: string[]) {
    const s = a.session!;
    const target = targets.includes(this.transferTarget) ? this.transferTarget : (targets[0] ?? '');
    return html`<h3>Chat with ${s.customerName}</h3>
      <ol class="chat" aria-label=${`${a.name} chat transcript`}>
        ${s.messages.map(
          (m) => html`<li class=${m.sourceType === 'SYSTEM' ? 'sys' : ''}><span class="who">${m.sourceType === 'CUSTOMER' ? m.senderNickname : m.sourceType === 'AGENT' ? 'You' : m.sourceType === 'ROBOT' ? m.senderNickname : 'System'}:</span>${m.content || describeEvent(m)}</li>`,
        )}
        ${s.customerTyping ? html`<li class="sys">${s.customerName} is typing…</li>` : nothing}
      </ol>
      ${s.evaluation ? html`<p class="note">Customer rating: ${s.evaluation.evaluation}/5 ${s.evaluation.comment}</p>` : nothing}
      <form class="row" @submit=${this.send}>
        <label>Reply <textarea rows="2" cols="28" .value=${this.draft} @input=${this.onInput}></textarea></label>
        <button type="submit">Send reply</button>
      </form>
      <div class="row">
        <label>Transfer to
          <select @change=${(e: Event) => (this.transferTarget = (e.target as HTMLSelectElement).value)}>
            ${targets.map((q) => html`<option ?selected=${q === target}>${q}</option>`)}
          </select></label>
        <button class="secondary" @click=${() => this.act('transfer', { queueName: target })}>Transfer</button>
        <button class="secondary" @click=${() => this.act('end')}>End chat</button>
      </div>`;
  }
}
