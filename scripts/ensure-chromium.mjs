// Finds a Chromium for the browser tests; installs Debian's package when it can (root on Debian),
// otherwise says exactly what to install. Prints the path on success.
import { execSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export function findChromium() {
  const candidates = [process.env.CHROME_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable'];
  return candidates.find((p) => p && existsSync(p));
}

export function ensureChromium() {
  let path = findChromium();
  if (path) return path;
  const root = process.getuid?.() === 0;
  if (root && existsSync('/usr/bin/apt-get')) {
    console.log('Chromium not found: installing Debian chromium (apt-get)…');
    execSync('apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium', { stdio: 'inherit' });
    path = findChromium();
    if (path) return path;
  }
  console.error(
    'No Chromium found for the browser tests.\n' +
      '  Debian/Ubuntu: sudo apt-get install -y --no-install-recommends chromium\n' +
      '  macOS: install Google Chrome, then CHROME_PATH="/Applications/Google Chrome.app/Contents/MacOS/Google Chrome"\n' +
      '  Or set CHROME_PATH to any Chromium-based browser binary.',
  );
  process.exit(1);
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(ensureChromium());
