/**
 * custom-elements.json is generated (`npm run manifest`) and committed: this test regenerates it
 * into a temporary folder and fails when the committed copy is stale, and checks that it
 * documents what integrators style and listen to.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

// The analyzer takes its output folder relative to the working directory.
mkdirSync('.cache', { recursive: true });
const dir = mkdtempSync('.cache/cem-');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Manifest {
  modules: Array<{
    declarations?: Array<{
      tagName?: string;
      attributes?: Array<{ name: string }>;
      members?: Array<{ name: string }>;
      events?: Array<{ name: string }>;
      cssParts?: Array<{ name: string }>;
      cssProperties?: Array<{ name: string }>;
    }>;
  }>;
}

describe('custom-elements.json', () => {
  it('is up to date with the element and the host events (run `npm run manifest` when this fails)', () => {
    execFileSync(process.execPath, ['node_modules/@custom-elements-manifest/analyzer/cem.js', 'analyze', '--config', 'custom-elements-manifest.config.mjs', '--quiet'], {
      env: { ...process.env, CEM_OUTDIR: dir },
    });
    const fresh = JSON.parse(readFileSync(join(dir, 'custom-elements.json'), 'utf8'));
    const committed = JSON.parse(readFileSync('custom-elements.json', 'utf8'));
    expect(committed).toEqual(fresh);
  }, 30_000);

  it('documents attributes, events, CSS parts and custom properties of <cec-chat>', () => {
    const m = JSON.parse(readFileSync('custom-elements.json', 'utf8')) as Manifest;
    const el = m.modules.flatMap((x) => x.declarations ?? []).find((d) => d.tagName === 'cec-chat')!;
    const names = (xs?: Array<{ name: string }>) => (xs ?? []).map((x) => x.name);
    expect(names(el.attributes)).toEqual(expect.arrayContaining(['channel-id', 'user-id', 'locale', 'position', 'theme', 'open', 'muted']));
    expect(names(el.attributes)).not.toContain('unread');
    expect(names(el.events)).toEqual(['cec-state-change', 'cec-message', 'cec-queue-position', 'cec-agent-joined', 'cec-session-end', 'cec-evaluation', 'cec-error', 'cec-open', 'cec-close']);
    expect(names(el.cssParts)).toEqual(expect.arrayContaining(['launcher', 'panel', 'avatar', 'call', 'transcript', 'composer']));
    expect(names(el.cssProperties)).toEqual(expect.arrayContaining(['--cec-accent', '--cec-bg', '--cec-fg', '--cec-muted', '--cec-surface', '--cec-border', '--cec-danger']));
  });
});
