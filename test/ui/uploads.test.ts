/** Sending images and files: picker and paste, checked before upload, previewed, seen by the agent. */
import { expect } from '@open-wc/testing';
import { startBrowserMock } from '../../mock-server/browser.js';
import { Clock } from '../../mock-server/runtime/clock.js';
import { $, openWidget, shadow, textOf, until } from './helpers.js';

const clock = new Clock('manual', Date.parse('2026-11-25T10:00:00Z'));
const { cc, worker } = await startBrowserMock({ clock });
after(() => worker.stop());

const PNG = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 73, 72, 68, 82]);
/** The delivery state of the customer's latest message. */
const lastStatus = (el: Parameters<typeof shadow>[0]) => [...shadow(el).querySelectorAll('.mine .status')].at(-1)?.textContent?.trim();
const files = (...f: File[]) => {
  const dt = new DataTransfer();
  for (const x of f) dt.items.add(x);
  return dt;
};

describe('images and files', () => {
  it('picks an image: preview at once, uploaded, sent once; the agent gets it', async () => {
    cc.desk.signIn('alice');
    cc.desk.setReady('alice', true);
    const el = await openWidget();
    const input = $<HTMLInputElement>(el, 'input[type="file"]')!;
    expect(input.getAttribute('aria-label')).to.equal('Send a file or image');
    input.files = files(new File([PNG], 'receipt.png', { type: 'image/png' })).files;
    input.dispatchEvent(new Event('change'));
    await until(() => shadow(el).querySelector('.mine img.preview') !== null, 'preview');
    await until(() => lastStatus(el) === 'Sent', 'sent');
    const img = shadow(el).querySelector<HTMLImageElement>('.mine img.preview')!;
    expect(img.alt).to.equal('receipt.png');
    await until(() => img.complete, 'image loaded');
    const stream = cc.allSessions().at(-1)!.stream;
    const sent = stream.messages.filter((m) => m.mediaType === 'IMAGE');
    expect(sent).to.have.length(1);
    expect(sent[0]!.content.endsWith('/receipt.png')).to.equal(true);
  });

  it('pastes a screenshot from the clipboard', async () => {
    const el = await openWidget();
    const box = $<HTMLTextAreaElement>(el, 'textarea[name="message"]')!;
    box.dispatchEvent(new ClipboardEvent('paste', { clipboardData: files(new File([PNG], 'image.png', { type: 'image/png' })), bubbles: true, cancelable: true }));
    await until(() => lastStatus(el) === 'Sent', 'pasted image sent');
  });

  it('refuses a file of another type or over the size limit, with a sentence, before uploading', async () => {
    const el = await openWidget();
    const input = $<HTMLInputElement>(el, 'input[type="file"]')!;
    input.files = files(new File(['<svg/>'], 'logo.svg', { type: 'image/svg+xml' })).files;
    input.dispatchEvent(new Event('change'));
    await el.updateComplete;
    expect(textOf(el, '.composer [role="alert"]')).to.contain('This kind of file cannot be sent');
    input.files = files(new File([new Uint8Array(5 * 1024 * 1024 + 1)], 'big.txt', { type: 'text/plain' })).files;
    input.dispatchEvent(new Event('change'));
    await el.updateComplete;
    expect(textOf(el, '.composer [role="alert"]')).to.equal('This file is too large: at most 5 MB.');
    expect(shadow(el).querySelectorAll('.mine')).to.have.length(0);
  });
});
