/**
 * A video call from the widget (Chromium with a fake camera and microphone) against the mock:
 * the customer's own camera plays in a mirrored preview, the remote tile shows the agent's
 * initials until the call connects and then the mock's labelled test picture, the microphone
 * and camera switches are toggle buttons that turn the tracks off and say so, and no track
 * stays live once the call is over or the widget is gone.
 */
import { expect } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { startBrowserMock } from '../../mock-server/browser.js';
import { Clock } from '../../mock-server/runtime/clock.js';
import { $, accessible, chatWithAgent, click, textOf, until } from './helpers.js';

const clock = new Clock('manual', Date.parse('2026-11-25T10:00:00Z'));
const { cc, worker } = await startBrowserMock({ clock });
after(() => worker.stop());
beforeEach(() => {
  cc.store.update('skillQueues', 'WebCallback', { type: 'videoClickToDial' });
  cc.store.update('channels', 'demo', { clickToDial: { calledParty: 'agent', skillQueue: 'WebCallback', media: ['voice', 'video'] } });
});
afterEach(() => {
  for (const s of cc.allSessions()) cc.end(s, 'customer');
  cc.desk.signOut('bob');
  clock.advance(60_000);
});

const video = (el: HTMLElement, part: string) => el.shadowRoot!.querySelector<HTMLVideoElement>(`[part="${part}"] video`);
const liveVideo = (v: HTMLVideoElement | null) => (v?.srcObject as MediaStream | null)?.getVideoTracks().find((t) => t.readyState === 'live') ?? null;
const toggle = (el: HTMLElement, name: string) => [...el.shadowRoot!.querySelectorAll<HTMLButtonElement>('[part="call"] button.toggle')].find((b) => b.textContent?.trim() === name)!;

describe('video call', () => {
  it('shows the camera preview and the test picture, switches mic and camera, and stops every track on hang-up', async () => {
    const el = await chatWithAgent(cc, 'bob');
    await click(el, 'Video call');
    await until(() => liveVideo(video(el, 'call-local')) !== null, 'the local preview has a live camera track');
    const local = video(el, 'call-local')!;
    expect(local.muted).to.equal(true);
    expect(getComputedStyle(local).transform).to.contain('matrix(-1'); // mirrored
    await until(() => !local.paused && local.readyState >= 2, 'the preview plays');
    await until(() => textOf(el, '[part="call"]').includes('Ringing'), 'ringing');
    // Before the agent answers: initials and "Connecting video…", no pretend picture.
    expect(video(el, 'call-remote')).to.equal(null);
    expect(textOf(el, '[part="call-remote"]')).to.equal('B Connecting video…');

    cc.calls.answer('bob');
    await until(() => liveVideo(video(el, 'call-remote')) !== null, 'the remote tile shows a picture');
    expect(textOf(el, '[part="call-remote"]')).to.equal('Test picture (no real video)');
    const stream = local.srcObject as MediaStream;
    const tracks = [...stream.getTracks(), ...(video(el, 'call-remote')!.srcObject as MediaStream).getTracks()];
    expect(tracks.map((t) => t.kind).sort()).to.deep.equal(['audio', 'video', 'video']);

    // Mute, by keyboard: a real button, focused and pressed with the space bar.
    const mute = toggle(el, 'Mute');
    expect(mute.getAttribute('aria-pressed')).to.equal('false');
    mute.focus();
    await sendKeys({ press: 'Space' });
    await until(() => mute.getAttribute('aria-pressed') === 'true', 'mute is pressed');
    expect(stream.getAudioTracks()[0]!.enabled).to.equal(false);
    expect(textOf(el, '[part="call"] p.sr[role="status"]')).to.equal('Your microphone is off.');

    const camera = toggle(el, 'Camera off');
    camera.focus();
    await sendKeys({ press: 'Enter' });
    await until(() => camera.getAttribute('aria-pressed') === 'true', 'camera off is pressed');
    expect(stream.getVideoTracks()[0]!.enabled).to.equal(false);
    expect(local.hidden).to.equal(true);
    expect(textOf(el, '[part="call-local"]')).to.equal('Your camera is off.');
    expect(textOf(el, '[part="call"] p.sr[role="status"]')).to.equal('Your microphone is off. Your camera is off.');
    await accessible(el); // axe, with both tiles and the pressed switches on screen

    await click(el, 'Mute');
    expect(stream.getAudioTracks()[0]!.enabled).to.equal(true);
    expect(mute.getAttribute('aria-pressed')).to.equal('false');

    await click(el, 'Hang up');
    await until(() => textOf(el, '[part="call"]').includes('Call ended.'), 'ended');
    expect(tracks.filter((t) => t.readyState === 'live').length).to.equal(0);
    expect(video(el, 'call-local')).to.equal(null);
    expect(el.shadowRoot!.querySelector('[part="call"] button.toggle')).to.equal(null);
  });

  /** A connected video call with both pictures; returns the widget and every track it holds. */
  async function connectedVideoCall() {
    const el = await chatWithAgent(cc, 'bob');
    await click(el, 'Video call');
    await until(() => textOf(el, '[part="call"]').includes('Ringing'), 'ringing');
    cc.calls.answer('bob');
    await until(() => liveVideo(video(el, 'call-remote')) !== null && liveVideo(video(el, 'call-local')) !== null, 'connected with pictures');
    return { el, tracks: [video(el, 'call-local')!, video(el, 'call-remote')!].flatMap((v) => (v.srcObject as MediaStream).getTracks()) };
  }

  it('stops every track when the agent hangs up', async () => {
    const { el, tracks } = await connectedVideoCall();
    cc.calls.hangUp('bob');
    await until(() => textOf(el, '[part="call"]').includes('The agent ended the call.'), 'the agent hung up');
    await until(() => tracks.every((t) => t.readyState === 'ended'), 'no track stays live after the agent hangs up');
  });

  it('stops every track when the widget is destroyed mid-call, and drops the call', async () => {
    const { el, tracks } = await connectedVideoCall();
    await el.destroy();
    expect(tracks.filter((t) => t.readyState === 'live').length).to.equal(0);
    await until(() => cc.calls.agentCall('bob') === null, 'the call is dropped on the agent side too');
  });

  it('a voice call keeps the plain card: no pictures, no switches', async () => {
    const el = await chatWithAgent(cc, 'bob');
    await click(el, 'Voice call');
    await until(() => textOf(el, '[part="call"]').includes('Ringing'), 'ringing');
    cc.calls.answer('bob');
    await until(() => /Connected · /.test(textOf(el, '[part="call"]')), 'connected');
    expect($(el, '[part="call"] .tiles')).to.equal(null);
    expect($(el, '[part="call"] button.toggle')).to.equal(null);
    await click(el, 'Hang up');
  });
});
