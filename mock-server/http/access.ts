/**
 * Who may use the mock over plain HTTP (issue 13 case 4).
 *
 * - The channel API answers CORS for allowed origins only: the page's own origin (same host
 *   and port as the request's Host), any `localhost` / `127.0.0.1` / `[::1]` origin, and those
 *   configured (`--allowed-origin`). Other origins get no CORS headers, so a browser hides the
 *   answer, and their preflights are refused.
 * - The `/mock` control APIs (admin, agents, clock, faults, sign, reset) answer only requests
 *   that carry no Origin (curl, tests) or an allowed one, and whose Host header names this
 *   machine (`localhost`, `*.localhost`, `127.0.0.1`, `[::1]`) or a configured host
 *   (`--allowed-host`): a DNS-rebinding page, whose requests carry its own host name, is refused.
 */
import type { IncomingHttpHeaders } from 'node:http';

export interface AccessOptions {
  /** Extra origins allowed to call the mock from a browser, e.g. `https://qa.example.com`. */
  allowedOrigins?: readonly string[];
  /** Extra Host header values (name or name:port) allowed for the `/mock` APIs. */
  allowedHosts?: readonly string[];
}

/** The verdict "answer, with no CORS headers": one shared, frozen object. */
const NO_CORS: { cors: Record<string, string> } = Object.freeze({ cors: Object.freeze({}) });

const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

/** `name` of `name:port` or `[v6]:port`, lower-cased. */
function hostName(host: string): string {
  const h = host.trim().toLowerCase();
  if (h.startsWith('[')) return h.slice(0, h.indexOf(']') + 1);
  const colon = h.lastIndexOf(':');
  return colon >= 0 ? h.slice(0, colon) : h;
}

const isLoopback = (name: string): boolean => LOOPBACK_NAMES.has(name) || name.endsWith('.localhost');

export class AccessPolicy {
  private readonly origins: ReadonlySet<string>;
  private readonly hosts: ReadonlySet<string>;

  constructor(opts: AccessOptions = {}) {
    this.origins = new Set((opts.allowedOrigins ?? []).map((o) => o.trim().toLowerCase().replace(/\/+$/, '')));
    this.hosts = new Set((opts.allowedHosts ?? []).map((h) => h.trim().toLowerCase()));
  }

  /** Whether the Host header names this machine or a configured host. */
  hostAllowed(host: string | undefined): boolean {
    if (!host) return false;
    const h = host.trim().toLowerCase();
    return isLoopback(hostName(h)) || this.hosts.has(h) || this.hosts.has(hostName(h));
  }

  /** Whether a browser page of `origin` may read the mock's answers (same origin, loopback or configured). */
  originAllowed(origin: string, host: string | undefined): boolean {
    let url: URL;
    try {
      url = new URL(origin);
    } catch {
      return false;
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
    if (host && url.host === host.trim().toLowerCase()) return true;
    return isLoopback(url.hostname === '::1' ? '[::1]' : url.hostname) || this.origins.has(url.origin);
  }

  /**
   * The verdict for one request: `refuse` with a reason, or the CORS headers to add (none for
   * a request without Origin, or from an origin that may not read the answer).
   */
  check(path: string, headers: IncomingHttpHeaders): { refuse: string } | { readonly cors: Readonly<Record<string, string>> } {
    const origin = typeof headers.origin === 'string' ? headers.origin : undefined;
    const host = headers.host;
    // Routes match without regard to case (`/MOCK/admin` is `/mock/admin`): so does this check.
    const lower = path.toLowerCase();
    const control = lower === '/mock' || lower.startsWith('/mock/');
    if (control && !this.hostAllowed(host)) return { refuse: 'The mock control APIs answer only requests to localhost or an allowed host (--allowed-host).' };
    if (origin === undefined || (origin === 'null' && !control)) return NO_CORS;
    if (!this.originAllowed(origin, host)) {
      if (control) return { refuse: 'The mock control APIs answer only pages of this origin, localhost or an allowed origin (--allowed-origin).' };
      return NO_CORS;
    }
    return {
      cors: {
        'access-control-allow-origin': origin,
        'access-control-allow-methods': 'GET,POST,PUT,PATCH,DELETE,OPTIONS',
        'access-control-allow-headers': 'content-type,authorization,ccmessaging-token,x-app-key,x-token-expire',
        'access-control-expose-headers': 'ccmessaging-token',
        'access-control-max-age': '600',
        vary: 'Origin',
      },
    };
  }
}

/**
 * The warning printed when the mock listens beyond this machine (`--host 0.0.0.0` and the
 * like), or null for a loopback host.
 */
export function exposureWarning(host: string): string | null {
  const h = host.trim().toLowerCase();
  if (h === '127.0.0.1' || h === 'localhost' || h === '::1' || h === '[::1]') return null;
  return (
    `WARNING: --host ${host} makes the mock reachable from other machines. It has no real authentication: ` +
    'anyone who can reach it can use the channel API, and the users of unsigned channels are whoever they say. ' +
    'Use it only on a trusted network; the /mock control APIs still answer only localhost and the hosts given with --allowed-host.'
  );
}
