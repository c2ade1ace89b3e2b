#!/usr/bin/env node
// Static scan of the Electron glue with @doyensec/electronegativity.
//
// The scanner exits 0 even when it finds problems, and its CLI does not parse
// its own flags with the commander it now resolves to, so this script calls
// its runner directly, reads the findings, and fails (exit 1) on any HIGH
// finding that docs/electronegativity-accepted.json does not accept with a
// reason. MEDIUM and LOW findings are printed.
//
// What is scanned: src-main (the main process, preload and IPC wiring; the
// TypeScript sources, since the scanner cannot parse the bundle's private
// class fields) together with the renderer's index.html (its CSP meta tag).
//
//   node scripts/electronegativity.mjs             scan, print, exit 1 on unaccepted HIGH
//   node scripts/electronegativity.mjs --self-test also prove the scan catches a bad window
//   node scripts/electronegativity.mjs --json      print the findings as JSON

import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const ELECTRON_VERSION = '45.0.0';

async function scan(input) {
  const run = require('@doyensec/electronegativity/dist/runner.js');
  // The runner logs its progress (and a failed look-up of Electron releases offline): keep stdout for our report.
  const log = console.log;
  const warn = console.warn;
  console.log = () => {};
  console.warn = () => {};
  try {
    const result = await run(
      {
        input,
        output: undefined,
        isSarif: false,
        customScan: [],
        excludeFromScan: [],
        severitySet: undefined,
        confidenceSet: undefined,
        isRelative: true,
        isVerbose: false,
        electronUpgrade: undefined,
        electronVersionOverride: ELECTRON_VERSION,
        parserPlugins: [],
      },
      false,
    );
    return {
      checks: result.globalChecks + result.atomicChecks,
      errors: result.errors.filter((e) => !e.tolerable),
      findings: result.issues.map((i) => ({
        id: i.id,
        severity: i.severity.name,
        confidence: i.confidence.name,
        file: String(i.file).replace(/\\/g, '/'),
        line: i.location?.line ?? 0,
        description: i.description,
      })),
    };
  } finally {
    console.log = log;
    console.warn = warn;
  }
}

/** The tree the scanner sees: src-main and the renderer's HTML, copied side by side. */
function stage() {
  const dir = mkdtempSync(join(tmpdir(), 'ml-electronegativity-'));
  cpSync(join(root, 'src-main'), join(dir, 'src-main'), { recursive: true, filter: (p) => !p.endsWith('.test.ts') });
  const html = existsSync(join(root, 'out/renderer/index.html'))
    ? join(root, 'out/renderer/index.html')
    : join(root, 'src-renderer/index.html');
  cpSync(html, join(dir, 'renderer/index.html'));
  return dir;
}

function loadAccepted() {
  const path = join(root, 'docs/electronegativity-accepted.json');
  const list = JSON.parse(readFileSync(path, 'utf8'));
  for (const a of list) {
    if (!a.id || !a.file || typeof a.reason !== 'string' || a.reason.trim().length < 20) {
      throw new Error(
        `${path}: every accepted finding needs an id, a file and a reason of a sentence (${JSON.stringify(a)})`,
      );
    }
  }
  return list;
}

const isAccepted = (accepted, f) => accepted.find((a) => a.id === f.id && a.file === f.file);

async function selfTest() {
  // A window with Node in the page and no isolation: the scan must flag it HIGH.
  const dir = mkdtempSync(join(tmpdir(), 'ml-electronegativity-bad-'));
  writeFileSync(
    join(dir, 'main.js'),
    `const { BrowserWindow } = require('electron');\nconst w = new BrowserWindow({ webPreferences: { nodeIntegration: true, contextIsolation: false, sandbox: false, webSecurity: false } });\nw.loadURL('http://example.com');\n`,
  );
  try {
    const { findings } = await scan(dir);
    const high = findings.filter((f) => f.severity === 'HIGH').map((f) => f.id);
    const all = findings.map((f) => f.id);
    const missing = [
      ...['CONTEXT_ISOLATION_JS_CHECK', 'LIMIT_NAVIGATION_GLOBAL_CHECK'].filter((id) => !high.includes(id)),
      ...['SANDBOX_JS_CHECK', 'WEB_SECURITY_JS_CHECK'].filter((id) => !all.includes(id)),
    ];
    if (missing.length > 0)
      throw new Error(
        `self-test: the scan missed ${missing.join(', ')} in a deliberately insecure window (found ${all.join(', ') || 'nothing'})`,
      );
    console.log(
      `electronegativity self-test: a deliberately insecure window gives ${high.length} HIGH and ${all.length - high.length} other findings, as it should`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main() {
  const args = process.argv.slice(2);
  if (args.includes('--self-test')) await selfTest();
  const accepted = loadAccepted();
  const dir = stage();
  let result;
  try {
    result = await scan(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  if (args.includes('--json')) console.log(JSON.stringify(result, null, 2));
  let failed = false;
  if (result.errors.length > 0) {
    // A file the scanner could not parse is a file it did not check.
    for (const e of result.errors) console.error(`electronegativity: could not parse ${e.file}: ${e.message}`);
    failed = true;
  }
  const rows = result.findings.map((f) => ({ ...f, accepted: isAccepted(accepted, f) }));
  for (const f of rows) {
    const tag = f.severity === 'HIGH' ? (f.accepted ? 'HIGH (accepted)' : 'HIGH') : f.severity;
    console.log(
      `${tag.padEnd(16)} ${f.id.padEnd(42)} ${f.file}:${f.line}${f.accepted ? `  -- ${f.accepted.reason}` : ''}`,
    );
  }
  const blocking = rows.filter((f) => f.severity === 'HIGH' && !f.accepted);
  for (const a of accepted) {
    if (!rows.some((f) => f.id === a.id && f.file === a.file))
      console.log(
        `note: accepted finding ${a.id} in ${a.file} no longer occurs; remove it from docs/electronegativity-accepted.json`,
      );
  }
  const count = (s) => rows.filter((f) => f.severity === s).length;
  console.log(
    `electronegativity ${require('@doyensec/electronegativity/package.json').version}: ${result.checks} checks on src-main + renderer/index.html: ` +
      `${count('HIGH')} HIGH (${blocking.length} not accepted), ${count('MEDIUM')} MEDIUM, ${count('LOW')} LOW, ${count('INFORMATIONAL')} informational`,
  );
  if (blocking.length > 0) {
    console.error(
      `electronegativity: ${blocking.length} HIGH finding(s) not accepted in docs/electronegativity-accepted.json`,
    );
    failed = true;
  }
  process.exit(failed ? 1 : 0);
}

main().catch((err) => {
  console.error(`electronegativity: ${err.message}`);
  process.exit(1);
});
