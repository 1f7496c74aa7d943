/**
 * Integration instructions (step 6 → 7 of the admin guide): shown after a web channel is saved.
 * The channel ID to record, the script tag and the stub snippet ready to copy, the server-side
 * signing snippet (`cec-web-chat/server`, the key left out) when the channel has a secretKey,
 * the matching connector config (`connector.json`, secrets named by environment variable only),
 * and Try, which opens the widget on exactly this channel.
 */
import { html, nothing, type TemplateResult } from 'lit';
import type { Obj } from './admin-util.js';
import { CONNECTOR_ENV, connectorConfig, type ChannelLike } from './connector-config.js';

/** The embed snippets for a channel served from `origin` (the contact center and the widget's CDN). */
export function snippets(channelId: string, origin: string, signed: boolean): { scriptTag: string; stub: string; server: string | null } {
  const src = `${origin}/dist/cec-chat.js`;
  const auth = signed ? `,\n                    authorization: () => fetch('/chat-signature').then((r) => r.text())` : '';
  return {
    scriptTag: `<script src="${src}" data-channel-id="${channelId}" data-base-url="${origin}" async></script>`,
    stub: [
      `<script>window.CecChat=window.CecChat||function(){(CecChat.q=CecChat.q||[]).push(arguments)}</script>`,
      `<script src="${src}" async></script>`,
      `<script>`,
      `  CecChat('init', { channelId: '${channelId}', baseUrl: '${origin}'${signed ? ", userId: 'YOUR_USER_ID'" : ''}${auth} });`,
      `</script>`,
    ].join('\n'),
    server: signed
      ? [
          `// Your server (Node). The channel's secretKey stays here: set CEC_SECRET_KEY in its environment.`,
          `import { signChannelToken } from 'cec-web-chat/server';`,
          ``,
          `app.get('/chat-signature', requireLogin, async (req, res) => {`,
          `  res.type('text').send(await signChannelToken({`,
          `    secretKey: process.env.CEC_SECRET_KEY, channelId: '${channelId}',`,
          `    userId: req.user.id, name: req.user.name,`,
          `  }));`,
          `});`,
        ].join('\n')
      : null,
  };
}

let copied = '';
let copiedTimer: ReturnType<typeof setTimeout> | undefined;

/** Copies `text`; falls back to selecting the snippet when the clipboard is not available. */
async function copy(text: string, what: string, pre: HTMLElement | null, redraw: () => void): Promise<void> {
  try {
    await navigator.clipboard.writeText(text);
    copied = `Copied the ${what}.`;
  } catch {
    const range = document.createRange();
    if (pre) range.selectNodeContents(pre);
    getSelection()?.removeAllRanges();
    getSelection()?.addRange(range);
    copied = document.execCommand('copy') ? `Copied the ${what}.` : `The ${what} is selected: press Ctrl+C (⌘C) to copy it.`;
  }
  clearTimeout(copiedTimer);
  copiedTimer = setTimeout(() => ((copied = ''), redraw()), 5000);
  redraw();
}

/**
 * connector.json for this channel, its upstream the mock's real-CEC face at `origin/cec` (an
 * integrator puts the CEC's API Fabric gateway there), and the environment variables the
 * connector reads the secrets from.
 */
export function connectorSnippet(channel: ChannelLike, origin: string): { json: string; env: string[] } {
  const signed = !!channel.secretKey || channel.hasSecretKey === true;
  return {
    json: JSON.stringify(connectorConfig([channel], `${origin}/cec`), null, 2),
    env: [CONNECTOR_ENV.appKey, CONNECTOR_ENV.appSecret, ...(signed ? [CONNECTOR_ENV.secretKey] : [])],
  };
}

export interface IntegrationDeps {
  tryChannel: (channelId: string) => void;
  inPage: boolean;
  close: () => void;
}

/**
 * The Integration instructions of a saved web channel (an admin API channel object, whose
 * secretKey may be hidden). `redraw` re-renders the pane when the Copy status changes.
 */
export function renderIntegration(channel: Obj, deps: IntegrationDeps, redraw: () => void): TemplateResult {
  const id = String(channel.id);
  // The admin API may leave the key itself out and only say that there is one.
  const signed = !!channel.secretKey || channel.hasSecretKey === true || channel.requiresSignature === true;
  const s = snippets(id, location.origin, signed);
  const c = connectorSnippet(channel as unknown as ChannelLike, location.origin);
  const block = (what: string, text: string, slug: string) => html`<section class="snippet" aria-labelledby=${`int-${slug}-h`}>
      <div class="row"><h4 id=${`int-${slug}-h`}>${what[0]!.toUpperCase() + what.slice(1)}</h4>
        <button type="button" class="secondary" aria-label=${`Copy the ${what}`}
          @click=${(e: Event) => copy(text, what, (e.target as HTMLElement).closest('.snippet')!.querySelector('pre'), redraw)}>Copy</button></div>
      <pre tabindex="0"><code>${text}</code></pre></section>`;
  return html`<section class="integration" aria-labelledby="int-h">
    <h3 id="int-h">Integration instructions</h3>
    <p>Channel ID: <strong class="channel-id">${id}</strong> — record it: the token API and the page integration use it.</p>
    ${
      deps.inPage
        ? html`<p class="note">The mock runs in this tab (MSW worker), so this channel exists only here. Open <a href="/?mock=http">the demo with the server's mock</a> for a channel every page can use.</p>`
        : nothing
    }
    ${
      signed
        ? html`<p class="note">This channel has a secretKey: the page needs a signature from your server, so use the stub snippet with <code>authorization</code> and the server snippet below.</p>`
        : html`${block('script tag', s.scriptTag, 'tag')}`
    }
    ${block('stub snippet', s.stub, 'stub')}
    ${s.server ? block('server-side signing snippet', s.server, 'server') : nothing}
    ${block('connector config', c.json, 'connector')}
    <p class="note">Save it as <code>connector.json</code> and run <code>npx cec-web-chat connector --config connector.json</code> with
      ${c.env.map((name, i) => html`${i ? (i === c.env.length - 1 ? ' and ' : ', ') : ''}<code>${name}</code>`)} set in its environment
      (the ${c.env.length > 2 ? "CEC's AK/SK and this channel's secretKey" : "CEC's AK/SK"}: never in the file). <code>upstream.baseUrl</code> is this mock's real-CEC face;
      for a real CEC put its API Fabric gateway there, and list your shop's origin in <code>allowedOrigins</code> when the page calls the connector from another origin.</p>
    <div class="row">
      <button type="button" @click=${() => deps.tryChannel(id)}>Try channel ${id}</button>
      <button type="button" class="secondary" @click=${deps.close}>Close instructions</button>
    </div>
    <p class="note copied" role="status" aria-live="polite">${copied}</p>
  </section>`;
}
