/** The new-message sound, in a chunk of its own: only a closed panel or a hidden tab needs it. */
let audio: AudioContext | undefined;
/**
 * A soft two-note chime (Web Audio: no file to load, nothing for the CSP to block), played when a
 * message arrives while the panel is closed or the tab hidden (session-controller.ts). Never throws:
 * without audio (autoplay policy, an old browser) the unread badge still counts.
 */
export function chime(): void {
  try {
    audio ??= new AudioContext();
    const t = audio.currentTime;
    for (const [i, f] of [660, 880].entries()) {
      const osc = audio.createOscillator();
      const gain = audio.createGain();
      osc.frequency.value = f;
      gain.gain.setValueAtTime(0.0001, t + i * 0.12);
      gain.gain.exponentialRampToValueAtTime(0.08, t + i * 0.12 + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, t + i * 0.12 + 0.25);
      osc.connect(gain).connect(audio.destination);
      osc.start(t + i * 0.12);
      osc.stop(t + i * 0.12 + 0.3);
    }
  } catch {
    /* no audio (autoplay policy, old browser): the badge still counts */
  }
}
