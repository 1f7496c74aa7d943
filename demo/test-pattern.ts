/**
 * A generated test-pattern video (colour bars, a moving sweep, a label and a running clock)
 * drawn on a canvas and captured as a MediaStream: the picture a demo video call shows where a
 * real call would show a camera, since the mock contact center carries no media.
 */
const BARS = ['#c0c0c0', '#c0c000', '#00c0c0', '#00c000', '#c000c0', '#c00000', '#0000c0'];

export class TestPattern {
  readonly stream: MediaStream;
  private readonly canvas = document.createElement('canvas');
  private readonly ctx: CanvasRenderingContext2D;
  private timer: ReturnType<typeof setInterval> | undefined;
  private frame = 0;
  private paused = false;

  /** `label` is drawn on the picture; `hue` tints the label band; `small` is a preview size. */
  constructor(private readonly opts: { label: string; hue: number; small?: boolean }) {
    this.canvas.width = opts.small ? 160 : 320;
    this.canvas.height = opts.small ? 90 : 180;
    this.ctx = this.canvas.getContext('2d')!;
    this.draw();
    this.stream = this.canvas.captureStream(15);
    // A timer, not requestAnimationFrame: the picture keeps moving while the tab is in the background.
    this.timer = setInterval(() => this.draw(), 1000 / 15);
  }

  /** A paused pattern (camera off) shows black. */
  setPaused(paused: boolean): void {
    this.paused = paused;
    this.draw();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    for (const t of this.stream.getTracks()) t.stop();
  }

  private draw(): void {
    const { ctx, canvas } = this;
    const w = canvas.width;
    const h = canvas.height;
    if (this.paused) {
      ctx.fillStyle = '#000';
      ctx.fillRect(0, 0, w, h);
      return;
    }
    const barW = w / BARS.length;
    BARS.forEach((c, i) => {
      ctx.fillStyle = c;
      ctx.fillRect(i * barW, 0, barW + 1, h * 0.7);
    });
    ctx.fillStyle = `hsl(${this.opts.hue} 60% 25%)`;
    ctx.fillRect(0, h * 0.7, w, h * 0.3);
    const x = ((this.frame++ * 4) % (w + 20)) - 10;
    ctx.fillStyle = 'rgba(255,255,255,0.8)';
    ctx.fillRect(x, 0, 6, h * 0.7);
    ctx.fillStyle = '#fff';
    ctx.font = `${Math.round(h * 0.11)}px system-ui, sans-serif`;
    ctx.textBaseline = 'middle';
    ctx.fillText(this.opts.label.slice(0, 40), 8, h * 0.8);
    ctx.fillText(new Date().toLocaleTimeString(), 8, h * 0.92);
  }
}
