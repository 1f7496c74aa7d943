/**
 * The online chat workbench of one agent: sign in, ready / not ready, the waiting customers of
 * the agent's queues, accept, chat with typing, transfer, end, and the wrap-up countdown. The
 * demo shows one card per configured agent, each long-polling its own snapshot.
 */
import { live } from 'lit/directives/live.js';
import { html, nothing, render } from 'lit';
import type { AgentSnapshot } from '../mock-server/runtime/agents.js';
import { API_PATH, type DownlinkMessage } from '../widget/core/protocol.js';
import { TestPattern } from './test-pattern.js';

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

/** An agent status as the workbench says it (the API's values are camelCase codes). */
export function statusLabel(status: AgentSnapshot['status'], wrapLeftSeconds: number): string {
  switch (status) {
    case 'signedOut':
      return 'Signed out';
    case 'notReady':
      return 'Not ready';
    case 'idle':
      return 'Ready';
    case 'busy':
      return 'In a chat';
    case 'wrapUp':
      return `Wrap-up ${wrapLeftSeconds} s`;
    default:
      return String(status);
  }
}

/**
 * An uploaded file as the agent sees it: an image thumbnail (linking to the full picture) or a
 * download link named after the file. The objectKey ends with the URL-encoded file name.
 */
function renderFile(m: DownlinkMessage) {
  const key = m.content;
  if (!/^[\w-]+\/[^/?#]+$/.test(key)) return html`<span class="note">(an attachment with an invalid key)</span>`;
  const url = `${API_PATH}/file/${key}`;
  let name = key.slice(key.indexOf('/') + 1);
  try {
    name = decodeURIComponent(name);
  } catch {
    /* keep it encoded */
  }
  return m.mediaType === 'IMAGE'
    ? html`<a class="attachment" href=${url} target="_blank" rel="noopener noreferrer"><img class="thumb" src=${url} alt=${`Image: ${name}`} loading="lazy" /></a>`
    : html`<a class="attachment" href=${url} download=${name}>📎 ${name}</a>`;
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
  /** The customer's picture in a video call: a generated test pattern (the mock has no media). */
  private remote: TestPattern | null = null;
  /** The agent's own camera preview, also generated. */
  private local: TestPattern | null = null;
  private muted = false;
  private cameraOff = false;

  constructor(
    readonly account: string,
    private readonly container: HTMLElement,
    private readonly deps: DeskDeps,
  ) {}

  /** Long-polls the agent's snapshot, and follows its click-to-dial call, until stop(). */
  async watch(): Promise<void> {
    const generation = ++this.generation;
    void this.watchCall(generation);
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

  /** A call rings without changing the agent's snapshot: ask for it every second while signed in. */
  private async watchCall(generation: number): Promise<void> {
    while (generation === this.generation) {
      if (this.agent && this.agent.status !== 'signedOut') {
        const call = await this.deps
          .mock<{ call: AgentCall | null }>(`/agents/${this.account}/call`)
          .then((r) => r.call)
          .catch(() => this.call);
        if (generation !== this.generation) return;
        if (JSON.stringify(call) !== JSON.stringify(this.call)) {
          this.call = call;
          this.render();
        }
      }
      await new Promise((r) => setTimeout(r, 1000));
    }
  }

  /** Reads the snapshot now (after a configuration change), without waiting for the long poll. */
  async reload(): Promise<void> {
    try {
      this.agent = (await this.deps.mock<{ agent: AgentSnapshot }>(`/agents/${this.account}`)).agent;
    } catch {
      /* the long poll will catch up */
    }
    this.render();
  }

  stop(): void {
    this.generation++;
    this.endMedia();
  }

  /** Starts or stops the generated video to match the call. */
  private syncMedia(): void {
    const c = this.call;
    const video = c && c.status === 'connected' && c.media === 'video';
    if (!video) return this.endMedia();
    this.remote ??= new TestPattern({ label: c.customerName ?? 'Customer', hue: 200 });
    this.local ??= new TestPattern({ label: this.agent?.name ?? this.account, hue: 30, small: true });
    this.local.setPaused(this.cameraOff);
  }

  private endMedia(): void {
    this.remote?.stop();
    this.local?.stop();
    this.remote = this.local = null;
    this.muted = this.cameraOff = false;
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

  /**
   * Transfers to the queue the select shows at the moment of the click. (Reading a value captured
   * at the last render sent the previous queue whenever no snapshot arrived between the choice
   * and the click.)
   */
  private transfer = (e: Event): void => {
    e.preventDefault();
    const queueName = String(new FormData(e.target as HTMLFormElement).get('queueName') ?? '');
    if (!queueName) return;
    this.transferTarget = queueName;
    void this.act('transfer', { queueName });
  };

  render(): void {
    const a = this.agent;
    const name = a?.name ?? this.account;
    const wrapLeft = a?.wrapUpUntil ? Math.max(0, Math.ceil((a.wrapUpUntil - this.deps.now()) / 1000)) : 0;
    const targets = this.deps.queues();
    this.syncMedia();
    render(
      html`<section class="desk" aria-label=${`Agent ${this.account}`}>
        <div class="row">
          <strong>${name}</strong>
          ${a ? html`<span class="status ${a.status}" role="status">${statusLabel(a.status, wrapLeft)}</span>` : nothing}
          ${
            !a || a.status === 'signedOut'
              ? html`<button @click=${() => this.act('sign-in')}>Sign in</button>`
              : html`${
                  a.status === 'notReady'
                    ? html`<button @click=${() => this.act('ready')}>Set ready</button>`
                    : html`<button class="secondary" ?disabled=${a.status !== 'idle'} @click=${() => this.act('not-ready')}>Set not ready</button>`
                }
                <button class="secondary" @click=${() => this.act('sign-out')}>Sign out</button>`
          }
        </div>
        ${a ? html`<p class="note desk-queues">Skill queues: ${a.queues.join(', ') || '(none)'}</p>` : nothing}
        ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
        ${
          a && a.status !== 'signedOut'
            ? html`<ul class="waiting" aria-label=${`Customers waiting for ${name}`}>
              ${a.waiting.length === 0 ? html`<li class="note">Nobody is waiting.</li>` : nothing}
              ${a.waiting.map(
                (w) => html`<li><span>#${w.position} ${w.customerName} · ${w.queueName} · ${w.waitedSeconds}s</span>
                  <button ?disabled=${a.status !== 'idle'} @click=${() => this.act('accept', { sessionId: w.sessionId })}>Accept ${w.customerName}</button></li>`,
              )}
              ${a.waitingTotal > a.waiting.length ? html`<li class="note">and ${a.waitingTotal - a.waiting.length} more waiting</li>` : nothing}
            </ul>`
            : nothing
        }
        ${this.call && this.call.status !== 'ended' ? this.renderCall(this.call) : nothing}
        ${a?.session ? this.renderChat(a, targets) : nothing}
      </section>`,
      this.container,
    );
  }

  private renderCall(c: AgentCall) {
    const kind = c.media === 'video' ? 'Video call' : 'Voice call';
    const state = c.status === 'ringing' ? 'ringing' : 'connected';
    return html`<div class="call" role="group" aria-label=${`${kind} for ${this.account}`}>
      <div class="row">
        <span class="status ${c.status === 'ringing' ? 'wrapUp' : 'busy'}" role="status">${kind} ${state}${c.customerName ? ` · ${c.customerName}` : ''}${this.muted ? ' · microphone muted' : ''}${this.cameraOff ? ' · camera off' : ''}</span>
        ${
          c.status === 'ringing'
            ? html`<button @click=${() => this.act('call/answer')}>Answer call</button>
              <button class="secondary" @click=${() => this.act('call/reject')}>Reject call</button>`
            : html`<button class="secondary" aria-pressed=${this.muted ? 'true' : 'false'} @click=${() => ((this.muted = !this.muted), this.render())}>Mute</button>
              ${
                c.media === 'video'
                  ? html`<button class="secondary" aria-pressed=${this.cameraOff ? 'true' : 'false'} @click=${() => ((this.cameraOff = !this.cameraOff), this.render())}>Camera off</button>`
                  : nothing
              }
              <button class="secondary" @click=${() => this.act('call/hang-up')}>Hang up call</button>`
        }
      </div>
      ${
        c.status === 'connected' && c.media === 'video' && this.remote && this.local
          ? html`<div class="call-video">
            <video class="remote" aria-label=${`${c.customerName ?? 'Customer'}’s video (test pattern)`} .srcObject=${this.remote.stream} autoplay muted playsinline></video>
            ${
              this.cameraOff
                ? html`<div class="local off" role="img" aria-label="Your camera is off">Camera off</div>`
                : html`<video class="local" aria-label="Your camera preview (test pattern)" .srcObject=${this.local.stream} autoplay muted playsinline></video>`
            }
          </div>`
          : nothing
      }
    </div>`;
  }

  private renderChat(a: AgentSnapshot, targets: string[]) {
    const s = a.session!;
    const target = targets.includes(this.transferTarget) ? this.transferTarget : (targets[0] ?? '');
    return html`<h3>Chat with ${s.customerName}</h3>
      <ol class="chat" aria-label=${`${a.name} chat transcript`}>
        ${s.messages.map(
          (m) =>
            html`<li class=${m.sourceType === 'SYSTEM' ? 'sys' : ''}><span class="who">${m.sourceType === 'CUSTOMER' ? m.senderNickname : m.sourceType === 'AGENT' ? 'You' : m.sourceType === 'ROBOT' ? m.senderNickname : 'System'}:</span>${m.mediaType === 'IMAGE' || m.mediaType === 'FILE' ? renderFile(m) : m.content || describeEvent(m)}${m.sourceType === 'AGENT' && m.seq === s.customerReadSeq ? html`<span class="seen">Seen</span>` : nothing}</li>`,
        )}
        ${s.customerTyping ? html`<li class="sys">${s.customerName} is typing…</li>` : nothing}
      </ol>
      ${s.evaluation ? html`<p class="note">Customer rating: ${s.evaluation.evaluation}/5 ${s.evaluation.comment}</p>` : nothing}
      <form class="row" @submit=${this.send}>
        <label>Reply <textarea rows="2" cols="28" .value=${this.draft} @input=${this.onInput}></textarea></label>
        <button type="submit">Send reply</button>
      </form>
      <form class="row" aria-label=${`Transfer ${s.customerName}`} @submit=${this.transfer}>
        <label>Transfer to
          <select name="queueName" @change=${(e: Event) => ((this.transferTarget = (e.target as HTMLSelectElement).value), this.render())}>
            ${targets.map((q) => html`<option value=${q} .selected=${live(q === target)}>${q}</option>`)}
          </select></label>
        <button type="submit" class="secondary">Transfer</button>
        <button type="button" class="secondary" @click=${() => this.act('end')}>End chat</button>
      </form>`;
  }
}
