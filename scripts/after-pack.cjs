// electron-builder afterPack hook: put better-sqlite3 built for Electron's ABI
// into the packaged app. scripts/prepare-electron.mjs builds it into
// .native/better-sqlite3-electron-<version>/ (prebuilt download, or node-gyp
// against Electron's headers); node_modules/better-sqlite3 stays built for
// Node so the tests and the CLI keep working.
const { copyFileSync, existsSync } = require('node:fs');
const { execFileSync } = require('node:child_process');
const { join } = require('node:path');

/** Where the unpacked better_sqlite3.node lives inside a packaged app. */
function unpackedSqlitePath(appOutDir, platform, productName) {
  const resources =
    platform === 'darwin'
      ? join(appOutDir, `${productName}.app`, 'Contents', 'Resources')
      : join(appOutDir, 'resources');
  return join(
    resources,
    'app.asar.unpacked',
    'node_modules',
    'better-sqlite3',
    'build',
    'Release',
    'better_sqlite3.node',
  );
}

function electronSqlitePath(projectDir, electronVersion) {
  return join(projectDir, '.native', `better-sqlite3-electron-${electronVersion}`, 'better_sqlite3.node');
}

module.exports = async function afterPack(context) {
  const platform = context.electronPlatformName;
  if (platform !== process.platform) {
    throw new Error(
      `momentum-lab: cannot package for ${platform} on ${process.platform}: better-sqlite3 must be built on the target platform`,
    );
  }
  const projectDir = context.packager.projectDir;
  const electronVersion = context.packager.config.electronVersion ?? require('electron/package.json').version;
  const source = electronSqlitePath(projectDir, electronVersion);
  if (!existsSync(source))
    execFileSync(process.execPath, [join(projectDir, 'scripts', 'prepare-electron.mjs')], {
      stdio: 'inherit',
      cwd: projectDir,
    });
  if (!existsSync(source))
    throw new Error(
      `momentum-lab: ${source} is missing; run "node scripts/prepare-electron.mjs" with network access first`,
    );
  const target = unpackedSqlitePath(context.appOutDir, platform, context.packager.appInfo.productFilename);
  if (!existsSync(target)) throw new Error(`momentum-lab: ${target} not found: is better-sqlite3 in asarUnpack?`);
  copyFileSync(source, target);
  console.log(`momentum-lab: better-sqlite3 for Electron ${electronVersion} -> ${target}`);
};

module.exports.unpackedSqlitePath = unpackedSqlitePath;
module.exports.electronSqlitePath = electronSqlitePath;
