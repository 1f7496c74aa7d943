// The zero-dependency floor of the benchmark: a hand-written launcher button and chat panel
// (plain DOM, no library), the least any widget can do for "launcher shown" and "click → box".
(function mount() {
  if (!document.body) return void document.addEventListener('DOMContentLoaded', mount, { once: true });
  const host = document.createElement('floor-chat');
  const root = host.attachShadow({ mode: 'open' });
  root.innerHTML = `<style>
button{position:fixed;inset-block-end:20px;inset-inline-end:20px;inline-size:56px;block-size:56px;border-radius:50%;border:none;background:#0b57d0}
section{position:fixed;inset-block-end:90px;inset-inline-end:20px;inline-size:360px;block-size:520px;display:flex;flex-direction:column;background:#fff;border-radius:12px;box-shadow:0 4px 14px rgb(0 0 0/.25);font:15px system-ui}
ol{flex:1;overflow:auto;margin:0}textarea{margin:8px}</style>
<button class="launcher" aria-label="Open chat" aria-expanded="false"></button>`;
  const button = root.querySelector('button');
  button.addEventListener('click', () => {
    let panel = root.querySelector('section');
    if (!panel) {
      panel = document.createElement('section');
      panel.setAttribute('role', 'dialog');
      panel.innerHTML = '<header>Chat</header><ol role="log"></ol><textarea name="message" aria-label="Message"></textarea>';
      root.append(panel);
    }
    button.setAttribute('aria-expanded', 'true');
    panel.querySelector('textarea').focus();
  });
  document.body.append(host);
})();
