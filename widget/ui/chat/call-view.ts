/**
 * The video part of the click-to-dial card: the remote picture and the customer's own camera
 * preview (mirrored, as a mirror shows one), and the microphone and camera switches.
 *
 * The remote tile is honest about what it shows: the remote stream when the call has one —
 * today only the labelled test picture of a contact center without media (the mock) — else the
 * agent's initials with "Connecting video…" until the call connects, "Video paused" after.
 */
import { html, nothing, type TemplateResult } from 'lit';
import type { CallState } from '../../core/call.js';
import type { Translation } from '../i18n/index.js';

/** What the call card needs from the panel. */
export interface CallControls {
  hangUp(): void;
  dismiss(): void;
  /** Turns the microphone or the camera off, or back on. */
  toggle(what: 'mic' | 'camera'): void;
  /** The call's streams (null while there is none). */
  streams: { local: MediaStream | null; remote: MediaStream | null };
}

/**
 * Starts a video once its stream has loaded (again: Chrome reloads a preview whose tracks are
 * switched): autoplay alone may leave it paused. A refused play() leaves the tile
 * as it is (the controls and status still say what is happening).
 */
const play = (e: Event) => void (e.target as HTMLVideoElement).play().catch(() => {});

const initials = (name: string) =>
  name
    .trim()
    .split(/\s+/)
    .slice(0, 2)
    .map((w) => [...w][0]?.toUpperCase() ?? '')
    .join('');

/** The two tiles of a video call in progress. */
export function videoTiles(c: CallState, t: Translation, streams: CallControls['streams']): TemplateResult {
  const { local, remote } = streams;
  return html`<div class="tiles">
    <figure class="tile remote" part="call-remote">
      ${remote ? html`<video autoplay playsinline .srcObject=${remote} @loadedmetadata=${play}></video>` : html`<span class="initials" aria-hidden="true">${initials(c.agentName ?? '')}</span>`}
      <figcaption>${remote ? (c.testPicture ? t.callTestPicture : c.agentName) : c.status === 'connected' ? t.callVideoPaused : t.callVideoConnecting}</figcaption>
    </figure>
    <figure class="tile local" part="call-local">
      ${local ? html`<video muted autoplay playsinline .muted=${true} .srcObject=${local} ?hidden=${!!c.cameraOff} @loadedmetadata=${play}></video>` : nothing}
      <figcaption>${c.cameraOff ? t.callCameraIsOff : t.you}</figcaption>
    </figure>
  </div>`;
}

/** Microphone and camera switches (pressed: off), and a status line that says what is off. */
export function callToggles(c: CallState, t: Translation, toggle: CallControls['toggle']): TemplateResult {
  const sw = (what: 'mic' | 'camera', off: boolean | undefined, label: string) => html`<button class="toggle" aria-pressed=${off ? 'true' : 'false'} @click=${() => toggle(what)}>${label}</button>`;
  return html`${sw('mic', c.micOff, t.callMute)}${sw('camera', c.cameraOff, t.callCameraOff)}
    <p class="sr" role="status">${[c.micOff && t.callMuted, c.cameraOff && t.callCameraIsOff].filter(Boolean).join(' ')}</p>`;
}
