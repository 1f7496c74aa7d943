/**
 * The labelled test picture a video call shows in place of the agent's camera when the contact
 * center has no media session for the call (the mock: see CallEvent.testMedia). A canvas
 * stream: dark background, "TEST" and the agent's name, and a dot that moves so a frozen
 * picture is easy to tell apart. Frames are drawn on the injected clock, 10 a second.
 */
import type { Clock } from './clock.js';

export interface TestPicture {
  stream: MediaStream;
  /** Stops drawing and ends the stream's track. */
  stop(): void;
}

/** A 320×240 canvas stream naming `agentName`; null where the browser cannot capture a canvas. */
export function testPicture(agentName: string, clock: Clock): TestPicture | null {
  const canvas = document.createElement('canvas');
  canvas.width = 320;
  canvas.height = 240;
  const g = canvas.getContext('2d');
  if (!g || typeof canvas.captureStream !== 'function') return null;
  const stream = canvas.captureStream(10);
  let timer: unknown = null;
  const draw = () => {
    const x = 40 + ((((clock.now() / 20) % 240) + 240) % 240);
    g.fillStyle = '#1f2a44';
    g.fillRect(0, 0, 320, 240);
    g.fillStyle = '#fff';
    g.textAlign = 'center';
    g.font = 'bold 28px sans-serif';
    g.fillText('TEST', 160, 90);
    g.font = '20px sans-serif';
    g.fillText(agentName.slice(0, 24), 160, 130);
    g.fillStyle = '#4cc38a';
    g.beginPath();
    g.arc(x, 190, 12, 0, 7);
    g.fill();
    timer = clock.setTimeout(draw, 100);
  };
  draw();
  return {
    stream,
    stop() {
      clock.clearTimeout(timer);
      for (const track of stream.getTracks()) track.stop();
    },
  };
}
