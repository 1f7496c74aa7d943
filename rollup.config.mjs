// Builds: the script-tag loader (a tiny IIFE) and the widget module it imports (ESM, Lit inside,
// the chat panel split into a chunk loaded on first open), the npm ESM build (Lit external,
// types from tsc), the Node server entry (signing helper, connector, its CLI), and the demo page's bundle.
import { nodeResolve } from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import typescript from '@rollup/plugin-typescript';
import { rmSync } from 'node:fs';
import { brotliCompressSync, gzipSync } from 'node:zlib';

const ts = () =>
  typescript({
    tsconfig: './tsconfig.json',
    compilerOptions: { noEmit: false, declaration: false, sourceMap: false, importHelpers: false },
    include: ['widget/**/*.ts', 'mock-server/**/*.ts', 'demo/**/*.ts'],
    noEmitOnError: true,
  });

/** Prints raw / gzip / brotli bytes of each emitted chunk, as lit's own build does. */
const sizes = () => ({
  name: 'sizes',
  generateBundle(_options, bundle) {
    for (const file of Object.values(bundle)) {
      if (file.type !== 'chunk') continue;
      const raw = Buffer.from(file.code);
      const gz = gzipSync(raw, { level: 9 }).length;
      const br = brotliCompressSync(raw).length;
      console.log(`${file.fileName}: ${raw.length} B raw, ${gz} B gzip, ${br} B brotli`);
    }
  },
});

/** Starts from an empty dist/, so no stale chunk is measured or shipped. */
const clean = () => ({
  name: 'clean',
  buildStart() {
    rmSync('dist', { recursive: true, force: true });
  },
});

const onwarn = (warning, warn) => {
  // MSW and jose are ESM with `this` at top level in a few places; harmless.
  if (warning.code === 'THIS_IS_UNDEFINED' || warning.code === 'CIRCULAR_DEPENDENCY') return;
  warn(warning);
};

export default [
  {
    input: 'widget/loader.ts',
    output: { file: 'dist/cec-chat.js', format: 'iife' },
    plugins: [clean(), ts(), terser({ ecma: 2021, module: false, compress: { passes: 2 } }), sizes()],
    onwarn,
  },
  {
    input: 'widget/script-tag.ts',
    output: { dir: 'dist', format: 'es', entryFileNames: 'cec-chat.esm.js', chunkFileNames: 'chunks/[name]-[hash].js' },
    plugins: [nodeResolve({ browser: true }), ts(), terser({ ecma: 2021, module: true, compress: { passes: 2 }, format: { comments: /^!|@license/ } }), sizes()],
    onwarn,
  },
  {
    input: ['widget/index.ts', 'widget/define-element.ts'],
    output: { dir: 'dist/esm', format: 'esm', preserveModules: true, preserveModulesRoot: 'widget' },
    external: (id) => id === 'lit' || id.startsWith('lit/') || id.startsWith('@lit/'),
    treeshake: { moduleSideEffects: 'no-external' },
    plugins: [nodeResolve(), ts()],
    onwarn,
  },
  {
    input: { index: 'widget/server/index.ts', sign: 'widget/server/sign.ts', cli: 'widget/server/connector/cli.ts' },
    output: { dir: 'dist/server', format: 'esm', chunkFileNames: '[name]-[hash].js', banner: (chunk) => (chunk.name === 'cli' ? '#!/usr/bin/env node' : '') },
    external: ['jose', 'valibot', '@hono/node-server', 'ioredis', /^node:/],
    plugins: [ts()],
    onwarn,
  },
  {
    input: { demo: 'demo/main.ts', embed: 'demo/embed.ts' },
    output: { dir: 'dist/demo', format: 'esm', sourcemap: true, chunkFileNames: '[name]-[hash].js' },
    plugins: [nodeResolve({ browser: true }), ts()],
    onwarn,
  },
];
