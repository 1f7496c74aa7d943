// Launch flags for Debian's Chromium here: root needs --no-sandbox; the closed network needs the
// background-networking flags (see ../shared/docs/toolchain.md).
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--no-first-run',
];
export { findChromium, ensureChromium } from './ensure-chromium.mjs';
