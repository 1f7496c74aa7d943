/**
 * The demo's server: static files (the page, the built widget, MSW's worker script) plus the
 * mock contact center over plain HTTP on the same origin, for `?mock=http` (state that spans
 * tabs and reloads). By default the page runs the mock in MSW's service worker instead.
 */
import { createReadStream, existsSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { dirname, extname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createMockHttpServer } from '../mock-server/http/server.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};
/** URL prefix → folder. Only these are served. */
const MOUNTS: Array<[string, string]> = [
  ['/dist/', join(root, 'dist')],
  ['/demo/', join(root, 'demo')],
];

function serveStatic(req: IncomingMessage, res: ServerResponse): void {
  const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
  let file: string | undefined;
  if (path === '/' || path === '/index.html') file = join(root, 'demo', 'index.html');
  else if (path === '/mockServiceWorker.js') file = join(root, 'node_modules', 'msw', 'lib', 'mockServiceWorker.js');
  else {
    for (const [prefix, dir] of MOUNTS) {
      if (!path.startsWith(prefix)) continue;
      const candidate = normalize(join(dir, path.slice(prefix.length)));
      if (candidate.startsWith(dir)) file = candidate;
    }
  }
  if (!file || !existsSync(file) || !statSync(file).isFile()) {
    res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found');
    return;
  }
  res.writeHead(200, {
    'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
    'cache-control': 'no-store',
    // The demo proves the widget works under a strict policy: no inline scripts or styles.
    'content-security-policy': "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; worker-src 'self'",
    // The widget's files, as a CDN must serve them: a page on another origin imports them as modules.
    ...(path.startsWith('/dist/') ? { 'access-control-allow-origin': '*', 'cross-origin-resource-policy': 'cross-origin' } : {}),
  });
  createReadStream(file).pipe(res);
}

/** The demo server: the page, the widget build and the mock contact center over HTTP. */
export function createDemoServer() {
  return createMockHttpServer({ fallback: serveStatic });
}
