// Byte counts of the script-tag files, shared by the benchmark and the size budget check.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, gzipSync } from 'node:zlib';

export function sizeOf(buffers) {
  let raw = 0,
    gzip = 0,
    brotli = 0;
  for (const b of buffers) {
    raw += b.length;
    gzip += gzipSync(b, { level: 9 }).length;
    brotli += brotliCompressSync(b).length;
  }
  return { raw, gzip, brotli };
}

/** What a page loads for the script tag before anyone opens the chat: the loader and the widget module, of the build in `dist` (this checkout's by default). */
export function scriptTagSize(dist = 'dist') {
  return sizeOf(['cec-chat.js', 'cec-chat.esm.js'].map((f) => readFileSync(join(dist, f))));
}

export function budgets() {
  const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
  return pkg.sizeBudget ?? { scriptTagBrotli: 12288, firstOpenBrotli: 30720 };
}
