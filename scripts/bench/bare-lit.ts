/** The floor for the benchmark: a bare Lit element rendering one launcher button. */
import { LitElement, css, html } from 'lit';

class BareLauncher extends LitElement {
  static override styles = css`
    button {
      position: fixed;
      inset-block-end: 20px;
      inset-inline-end: 20px;
      inline-size: 56px;
      block-size: 56px;
      border-radius: 50%;
      border: none;
      background: #0b57d0;
    }
  `;
  override render() {
    return html`<button class="launcher" aria-label="Open chat"></button>`;
  }
}
customElements.define('bare-launcher', BareLauncher);
