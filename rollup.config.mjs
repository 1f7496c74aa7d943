// Builds: the script-tag loader (a tiny IIFE) and the widget module it imports (ESM, Lit inside,
// the chat panel split into a chunk loaded on first open), the npm ESM build (Lit external,
// types from tsc), the server half for integrators (`cec-web-chat/server`: signing, the connector and its CLI) and the mock for
// integrators' tests (`cec-web-chat/mock`), each one folder with its code and its bundled types,
// and the demo page's bundle (never packed: package.json's `files` leaves dist/demo out).
import commonjs from '@rollup/plugin-commonjs';
import json from '@rollup/plugin-json';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import replace from '@rollup/plugin-replace';
import terser from '@rollup/plugin-terser';
import typescript from '@rollup/plugin-typescript';
import { chmodSync, readFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { dts } from 'rollup-plugin-dts';

const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));
/** Puts package.json's version where widget/ui/define.ts reads `__CEC_VERSION__`. */
const version = () => replace({ preventAssignment: true, values: { __CEC_VERSION__: JSON.stringify(pkg.version) } });
/** Node built-ins stay imports; everything else the server half and the mock use is bundled in. */
const nodeBuiltin = (id) => id.startsWith('node:');

const ts = () =>
  typescript({
    tsconfig: './tsconfig.json',
    compilerOptions: { noEmit: false, declaration: false, sourceMap: false, importHelpers: false },
    include: ['widget/**/*.ts', 'mock-server/**/*.ts', 'demo/**/*.ts', 'demo/**/*.tsx'],
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
    plugins: [clean(), version(), ts(), terser({ ecma: 2021, module: false, compress: { passes: 2 } }), sizes()],
    onwarn,
  },
  {
    input: 'widget/script-tag.ts',
    output: { dir: 'dist', format: 'es', entryFileNames: 'cec-chat.esm.js', chunkFileNames: 'chunks/[name]-[hash].js' },
    plugins: [version(), nodeResolve({ browser: true }), ts(), terser({ ecma: 2021, module: true, compress: { passes: 2, unsafe_methods: true }, format: { comments: /^!|@license/ } }), sizes()],
    onwarn,
  },
  {
    input: ['widget/index.ts', 'widget/define-element.ts'],
    output: { dir: 'dist/esm', format: 'esm', preserveModules: true, preserveModulesRoot: 'widget' },
    external: (id) => id === 'lit' || id.startsWith('lit/') || id.startsWith('@lit/'),
    treeshake: { moduleSideEffects: 'no-external' },
    plugins: [version(), nodeResolve(), ts()],
    onwarn,
  },
  {
    // cec-web-chat/server (signing, the connector) and the `cec-web-chat` command: what they use
    // (jose, valibot, the fetch ↔ node:http bridge, ioredis) is bundled in, so a widget-only install needs
    // none of it.
    input: { index: 'widget/server/index.ts', bin: 'widget/server/bin.ts' },
    output: { dir: 'dist/server', format: 'esm', chunkFileNames: '[name]-[hash].js', banner: (chunk) => (chunk.name === 'bin' ? '#!/usr/bin/env node' : '') },
    external: nodeBuiltin,
    // ioredis is CommonJS (with a JSON table of commands): commonjs() and json() bundle it as ESM.
    plugins: [
      nodeResolve({ exportConditions: ['node'], preferBuiltins: true }),
      json(),
      commonjs(),
      ts(),
      // The command stays executable after every build (`npx cec-web-chat` in a clone runs this file).
      { name: 'executable-bin', writeBundle: (options) => chmodSync(`${options.dir}/bin.js`, 0o755) },
    ],
    onwarn,
  },
  {
    // cec-web-chat/mock, and the mock's command line (`cec-web-chat mock`): msw is the
    // integrator's (a peer dependency of this entry only).
    input: { index: 'mock-server/mock-contact-center.ts', cli: 'mock-server/http/cli.ts' },
    output: { dir: 'dist/mock', format: 'esm', chunkFileNames: '[name]-[hash].js' },
    external: (id) => nodeBuiltin(id) || id === 'msw' || id.startsWith('msw/'),
    // The HTTP server's router compiles routes with path-to-regexp and reads cookies with
    // cookie (MSW's own, both CommonJS): commonjs() bundles them as ESM.
    plugins: [nodeResolve({ exportConditions: ['node'] }), commonjs(), ts()],
    onwarn,
  },
  {
    input: { index: 'widget/server/index.ts' },
    output: { dir: 'dist/server', format: 'esm' },
    external: nodeBuiltin,
    // The config's types come from valibot schemas: their declarations come along.
    plugins: [dts({ tsconfig: './tsconfig.json', includeExternal: ['valibot'] })],
  },
  {
    input: { index: 'mock-server/mock-contact-center.ts' },
    output: { dir: 'dist/mock', format: 'esm' },
    external: (id) => nodeBuiltin(id) || id === 'msw' || id.startsWith('msw/'),
    // The tenant's types are inferred from valibot schemas: their declarations come along.
    plugins: [dts({ tsconfig: './tsconfig.json', includeExternal: ['valibot'] })],
  },
  {
    input: { demo: 'demo/main.ts', embed: 'demo/embed.ts' },
    output: { dir: 'dist/demo', format: 'esm', sourcemap: true, chunkFileNames: '[name]-[hash].js' },
    plugins: [nodeResolve({ browser: true }), ts()],
    onwarn,
  },
  {
    // The README's React 19 and Vue 3 examples, built as an integrator's bundler would build them
    // (the package name resolved to this checkout); test/ui/framework-examples.test.ts runs them.
    input: { react: 'demo/examples/react/support.tsx', vue: 'demo/examples/vue/support.ts' },
    output: { dir: 'dist/demo/examples', format: 'esm', chunkFileNames: '[name]-[hash].js' },
    plugins: [
      {
        name: 'examples-resolve',
        resolveId: (id) =>
          id === 'cec-web-chat'
            ? fileURLToPath(new URL('./widget/index.ts', import.meta.url))
            : id === 'vue'
              ? fileURLToPath(new URL('./node_modules/vue/dist/vue.esm-bundler.js', import.meta.url))
              : null,
      },
      replace({
        preventAssignment: true,
        values: {
          'process.env.NODE_ENV': JSON.stringify('production'),
          __VUE_OPTIONS_API__: 'true',
          __VUE_PROD_DEVTOOLS__: 'false',
          __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: 'false',
        },
      }),
      version(),
      nodeResolve({ browser: true }),
      commonjs(),
      ts(),
    ],
    onwarn,
  },
];
