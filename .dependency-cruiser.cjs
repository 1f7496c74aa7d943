/**
 * The house's layering (README "Architecture"), checked by `npm test`:
 *   npx depcruise widget mock-server demo scripts --config .dependency-cruiser.cjs
 * Type-only imports count too: a type is a dependency on the shape of another layer.
 */
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'A circle means two files cannot be understood (or changed) one at a time.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'widget-never-imports-the-mock',
      comment: 'The widget ships to customers; the mock contact center never does.',
      severity: 'error',
      from: { path: '^widget/' },
      to: { path: '^mock-server/' },
    },
    {
      name: 'core-is-pure',
      comment: 'widget/core is pure TypeScript: it imports only itself (no Lit, no client, no DOM helpers).',
      severity: 'error',
      from: { path: '^widget/core/' },
      to: { pathNot: '^widget/core/' },
    },
    {
      name: 'client-below-ui',
      comment: 'widget/client is the browser network layer: it may use the core, never the view or the server half.',
      severity: 'error',
      from: { path: '^widget/client/' },
      to: { path: '^widget/(ui|server)/|^widget/[^/]+\\.ts$' },
    },
    {
      name: 'one-seam-between-view-and-session',
      comment: 'Only the session controller in widget/ui talks to widget/client.',
      severity: 'error',
      from: { path: '^widget/ui/', pathNot: '^widget/ui/chat/session-controller\\.ts$' },
      to: { path: '^widget/client/' },
    },
    {
      name: 'browser-code-never-imports-server-code',
      comment: 'widget/server holds secrets and Node-only code; nothing in the browser bundle may reach it.',
      severity: 'error',
      from: { path: '^widget/', pathNot: '^widget/server/' },
      to: { path: '^widget/server/' },
    },
    {
      name: 'server-half-never-imports-the-browser',
      comment: 'The integrator server half (signing, connector) uses only the core protocol from the widget.',
      severity: 'error',
      from: { path: '^widget/server/' },
      to: { path: '^widget/(ui|client)/' },
    },
    {
      name: 'mock-uses-only-the-core',
      comment: 'The mock imports only protocol types and shared pure helpers from the widget (widget/core).',
      severity: 'error',
      from: { path: '^mock-server/' },
      to: { path: '^widget/', pathNot: '^widget/(core|server/sign)' },
    },
    {
      name: 'no-orphans',
      comment: 'A source file nothing imports is dead code (entry points are listed here).',
      severity: 'error',
      from: {
        orphan: true,
        path: '^(widget|mock-server)/',
        pathNot: [
          '\\.d\\.ts$',
          '^widget/(index|define-element|script-tag|loader)\\.ts$',
          '^widget/server/',
          '^mock-server/(index|node|browser)\\.ts$',
          '^mock-server/http/cli\\.ts$',
          '\\.md$',
        ],
      },
      to: {},
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|dist|\\.cache)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'] },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
