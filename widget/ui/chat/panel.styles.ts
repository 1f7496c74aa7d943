import { css } from 'lit';

/** The panel's styles, adopted into the `<cec-chat>` shadow root when the panel loads. */
export const panelStyles = css`
  .avatar {
    flex: none;
    inline-size: 36px;
    block-size: 36px;
    border-radius: 50%;
    display: grid;
    place-items: center;
    overflow: hidden;
    font-size: 14px;
    font-weight: 600;
    background: var(--_accent-text);
    color: var(--_accent);
  }
  .avatar img {
    inline-size: 100%;
    block-size: 100%;
    object-fit: cover;
  }
  .who {
    flex: 1;
    min-inline-size: 0;
  }
  h2 {
    margin: 0 0 4px;
    font-size: 15px;
  }
  .conn {
    margin: 0;
    font-size: 13px;
    opacity: 0.9;
  }
  .text {
    flex: none;
    border: 1px solid currentColor;
    border-radius: 16px;
    background: transparent;
    color: inherit;
    padding: 3px 10px;
    font-size: 13px;
  }
  .icon:hover,
  .text:hover {
    background: rgb(255 255 255 / 0.18);
  }
  .earlier {
    display: block;
    text-align: center;
    margin: 0 auto 10px;
    font-size: 13px;
    color: var(--_muted);
  }
  .items,
  .block {
    margin: 0;
    padding: 0;
    list-style: none;
    display: flex;
    flex-direction: column;
    gap: 10px;
  }
  /* A block of rows out of view is skipped (its last size kept): see transcriptBlocks. */
  .block {
    content-visibility: auto;
    contain-intrinsic-size: auto 1500px;
  }
  .msg {
    display: flex;
    flex-direction: column;
    align-items: flex-start;
    max-inline-size: 85%;
  }
  .msg.mine {
    align-self: flex-end;
    align-items: flex-end;
  }
  .meta {
    display: flex;
    gap: 6px;
    font-size: 12px;
    color: var(--_muted);
  }
  .bubble,
  .system {
    /* Each message takes its direction from its own text (English in an Arabic page, and so on). */
    unicode-bidi: plaintext;
  }
  .bubble {
    padding: 8px 12px;
    border-radius: 14px;
    background: var(--_surface);
    white-space: pre-wrap;
    overflow-wrap: anywhere;
  }
  .mine .bubble {
    background: var(--_accent);
    color: var(--_accent-text);
  }
  .bubble a {
    color: inherit;
  }
  .status {
    font-size: 12px;
    color: var(--_muted);
  }
  .status.failed {
    color: var(--_danger);
  }
  .link {
    border: none;
    background: none;
    color: inherit;
    text-decoration: underline;
    padding: 0 2px;
  }
  .system {
    align-self: center;
    text-align: center;
    font-size: 13px;
    color: var(--_muted);
    max-inline-size: 90%;
  }
  .cards:empty {
    display: none;
  }
  .cards {
    padding: 0 14px;
    display: flex;
    flex-direction: column;
    gap: 8px;
    max-block-size: 45%;
    overflow-y: auto;
    overscroll-behavior: contain;
  }
  .cards > * {
    flex: none;
  }
  /* Once the chat is over the cards (what ended it, rating, leave-a-message) matter most: they
     take the room the composer had and the transcript keeps a strip of its end. */
  .panel:has([part='ended']) .transcript {
    flex: 1 1 0;
    min-block-size: 64px;
  }
  .panel:has([part='ended']) .cards {
    flex: 0 1 auto;
    max-block-size: none;
    min-block-size: 0;
  }
  /* A form's submit button stays in sight while its form is, however small the panel. */
  .cards button[type='submit'] {
    position: sticky;
    inset-block-end: 0;
    box-shadow: 0 0 0 6px var(--_bg);
  }
  .actions {
    flex: none;
    display: flex;
    justify-content: center;
    padding: 10px 14px calc(10px + env(safe-area-inset-bottom));
    border-block-start: 1px solid var(--_border);
  }
  /* The "new messages" pill floats over the end of the transcript. */
  .pill-at {
    flex: none;
    position: relative;
    block-size: 0;
    display: flex;
    justify-content: center;
  }
  .pill {
    position: absolute;
    inset-block-end: 10px;
    z-index: 1;
    border: none;
    border-radius: 16px;
    padding: 5px 14px;
    font-size: 14px;
    background: var(--_accent);
    color: var(--_accent-text);
    box-shadow: 0 2px 8px rgb(0 0 0 / 0.25);
  }
  .card {
    border: 1px solid var(--_border);
    border-radius: 12px;
    padding: 10px 12px;
    background: var(--_bg);
  }
  .card p {
    margin: 0 0 6px;
  }
  .card.warn {
    border-color: var(--_danger);
  }
  /* A video call: the remote picture, the customer's own camera small in its corner (mirrored). */
  .panel:has(.tiles) .cards {
    max-block-size: 65%;
  }
  .tiles {
    position: relative;
    margin-block-end: 6px;
  }
  .tile {
    margin: 0;
    position: relative;
    display: grid;
    place-items: center;
    overflow: hidden;
    border-radius: 8px;
    background: #1f2a44;
    color: #fff;
  }
  .tile.remote {
    block-size: clamp(120px, 26vh, 220px);
  }
  .tile video {
    inline-size: 100%;
    block-size: 100%;
    object-fit: cover;
  }
  .tile.local {
    position: absolute;
    inset-block-end: 6px;
    inset-inline-end: 6px;
    inline-size: 30%;
    aspect-ratio: 4 / 3;
    border: 2px solid var(--_bg);
  }
  .tile.local video {
    transform: scaleX(-1);
  }
  .tile figcaption {
    position: absolute;
    inset-block-start: 4px;
    inset-inline-start: 4px;
    padding: 1px 6px;
    border-radius: 8px;
    font-size: 12px;
    background: rgb(0 0 0 / 0.6);
  }
  .initials {
    font-size: 32px;
  }
  .call-actions {
    display: flex;
    flex-wrap: wrap;
    gap: 6px;
  }
  .toggle {
    border: 1px solid var(--_border);
    border-radius: 18px;
    padding: 6px 12px;
    background: var(--_bg);
    color: var(--_fg);
  }
  .toggle[aria-pressed='true'] {
    background: var(--_fg);
    color: var(--_bg);
  }
  .hint {
    font-size: 13px;
    color: var(--_muted);
  }
  .primary {
    border: none;
    border-radius: 18px;
    padding: 6px 14px;
    background: var(--_accent);
    color: var(--_accent-text);
  }
  .danger {
    border: none;
    border-radius: 18px;
    padding: 6px 14px;
    background: var(--_danger);
    color: var(--_bg);
  }
  .primary:disabled,
  .chip[aria-disabled='true'],
  .send:disabled {
    opacity: 0.5;
    cursor: default;
  }
  fieldset {
    border: none;
    margin: 0;
    padding: 0;
  }
  legend {
    font-weight: 600;
    padding: 0;
  }
  /* Each star with its level's name under it, visible before one is picked. */
  .stars {
    display: grid;
    grid-auto-flow: column;
    /* Each column as wide as its name wants and the row allows: names wrap between words only. */
    grid-auto-columns: auto;
    gap: 4px;
    margin-block: 4px;
  }
  .star {
    cursor: pointer;
    display: flex;
    flex-direction: column;
    align-items: center;
    text-align: center;
    color: var(--_muted);
  }
  .glyph {
    font-size: 26px;
    line-height: 1.1;
    color: var(--_border);
  }
  .star.on .glyph {
    color: #e8a200;
  }
  .star:has(input:checked) .level {
    color: var(--_fg);
    font-weight: 600;
  }
  .level {
    font-size: 11px;
    line-height: 1.2;
  }
  .star input,
  .attach input,
  .sr {
    position: absolute;
    inline-size: 1px;
    block-size: 1px;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
  }
  .star:has(input:focus-visible) {
    outline: 3px solid var(--_accent);
    border-radius: 4px;
  }
  .field {
    display: flex;
    flex-direction: column;
    gap: 4px;
    font-size: 13px;
    margin-block: 6px;
  }
  .hint.over {
    color: var(--_danger);
    margin: 0;
  }
  .hint.over:empty {
    display: none;
  }
  .leave .hint,
  .rating .hint {
    display: block;
    margin-block-end: 6px;
  }
  /* A preview the browser cannot decode shows the file's name instead of a broken image. */
  .preview.broken,
  .preview:not(.broken) + .fallback {
    display: none;
  }
  .preview {
    display: block;
    max-inline-size: 220px;
    max-block-size: 220px;
    border-radius: 10px;
  }
  .attach {
    display: grid;
    place-items: center;
    cursor: pointer;
    color: var(--_muted);
  }
  .attach:focus-within {
    outline: 3px solid var(--_accent);
  }
  .typing {
    margin: 0;
    padding: 2px 16px;
    font-size: 13px;
    color: var(--_muted);
  }
  .chips {
    display: flex;
    gap: 6px;
  }
  .chip {
    align-self: flex-start;
    border: 1px solid var(--_accent);
    color: var(--_accent);
    background: transparent;
    border-radius: 16px;
    padding: 3px 12px;
    font-size: 14px;
  }
  /* The arrow points the way text runs. */
  [dir='rtl'] .send svg {
    transform: scaleX(-1);
  }
  .send {
    inline-size: 40px;
    block-size: 40px;
    border-radius: 50%;
    border: none;
    background: var(--_accent);
    color: var(--_accent-text);
    display: grid;
    place-items: center;
  }
  .error {
    margin: 10px 14px 0;
    padding: 10px 12px;
    border-radius: 10px;
    background: color-mix(in srgb, var(--_danger) 12%, var(--_bg));
    color: var(--_fg);
  }
  .error p {
    margin: 0 0 6px;
  }
  @media (prefers-reduced-motion: no-preference) {
    .panel {
      animation: rise 160ms ease-out;
    }
    @keyframes rise {
      from {
        opacity: 0;
        transform: translateY(8px);
      }
    }
  }
`;
