import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LAB_CHANNELS, type LabApi } from '../../src-core/contracts/lab-api';
import type { ServicesOf } from '../services/service-context';
import { IPC_PREFIX, isLabFrame, wireIpc, type IpcMainLike } from './ipc';
import {
  CONTENT_SECURITY_POLICY,
  denyPermissionCheck,
  denyPermissionRequest,
  guardWebContents,
  isAllowedExternalUrl,
  isAppUrl,
  windowOptions,
  type GuardedContents,
} from './security';

// Electron's security checklist, item by item, on the pure parts of the glue
// (the Electron binary cannot start here). Property tests use fast-check with
// WHATWG URL parsing as the oracle.

const RUNS = Number(process.env['HARDENING_RUNS'] ?? 2000);
const ALLOWLIST = ['github.com', 'www.electronjs.org', 'distill.pub', 'pytorch.org'];

function parse(raw: string): URL | null {
  try {
    return new URL(raw);
  } catch {
    return null;
  }
}

/** URLs an attacker might try: random web URLs, lookalikes of the lab and of the allowlist, and junk. */
const hostileUrl = fc.oneof(
  fc.webUrl({ withFragments: true, withQueryParameters: true }),
  fc.string({ maxLength: 80 }),
  fc
    .tuple(
      fc.constantFrom(
        'app',
        'APP',
        'https',
        'http',
        'file',
        'javascript',
        'data',
        'blob',
        'ftp',
        'ws',
        'chrome',
        'devtools',
        'view-source',
        'about',
      ),
      fc.constantFrom('://', ':', ':/', ':////', ':\\\\', '://user:pw@', '://lab@', '://%6cab'),
      fc.constantFrom(
        'lab',
        'LAB',
        'lab.',
        'lab.evil.com',
        'evil.com',
        'lab:80',
        'labx',
        '127.0.0.1',
        '[::1]',
        ...ALLOWLIST,
        ...ALLOWLIST.map((h) => `${h}.evil.com`),
        ...ALLOWLIST.map((h) => `evil${h}`),
      ),
      fc.constantFrom(
        '',
        '/',
        '/index.html',
        '/../../etc/passwd',
        '\\..\\x',
        '?q=1',
        '#frag',
        '@evil.com/',
        '%00',
        '/%2e%2e/',
      ),
    )
    .map(([s, sep, host, tail]) => `${s}${sep}${host}${tail}`),
);

describe('the window factory (windowOptions)', () => {
  const options = windowOptions({
    bounds: { x: 10, y: 20, width: 1200, height: 800 },
    minWidth: 800,
    minHeight: 600,
    preloadPath: '/app/out/preload/index.cjs',
  });
  const prefs = options.webPreferences;
  it('isolates, sandboxes and keeps Node out of the page, its workers and its subframes', () => {
    expect(prefs.contextIsolation).toBe(true);
    expect(prefs.sandbox).toBe(true);
    expect(prefs.nodeIntegration).toBe(false);
    expect(prefs.nodeIntegrationInWorker).toBe(false);
    expect(prefs.nodeIntegrationInSubFrames).toBe(false);
  });
  it('keeps web security on, insecure content and experiments off, and no <webview>', () => {
    expect(prefs.webSecurity).toBe(true);
    expect(prefs.allowRunningInsecureContent).toBe(false);
    expect(prefs.experimentalFeatures).toBe(false);
    expect(prefs.enableBlinkFeatures).toBeUndefined();
    expect(prefs.webviewTag).toBe(false);
  });
  it('sets no webPreference outside the reviewed list', () => {
    const reviewed = [
      'preload',
      'contextIsolation',
      'sandbox',
      'nodeIntegration',
      'nodeIntegrationInWorker',
      'nodeIntegrationInSubFrames',
      'webSecurity',
      'allowRunningInsecureContent',
      'experimentalFeatures',
      'enableBlinkFeatures',
      'webviewTag',
      'spellcheck',
    ];
    expect(Object.keys(prefs).sort()).toEqual(reviewed.sort());
    expect(prefs.preload).toBe('/app/out/preload/index.cjs');
  });
  it('starts hidden, with the restored bounds and the minimum size', () => {
    expect(options).toMatchObject({
      x: 10,
      y: 20,
      width: 1200,
      height: 800,
      minWidth: 800,
      minHeight: 600,
      show: false,
      title: 'Momentum Lab',
    });
    expect('icon' in options).toBe(false);
    expect(
      windowOptions({
        bounds: { width: 900, height: 700 },
        minWidth: 1,
        minHeight: 1,
        preloadPath: 'p',
        iconPath: '/i.png',
      }),
    ).toMatchObject({ icon: '/i.png' });
  });
  it('the app passes windowOptions straight to BrowserWindow (no options built inline)', () => {
    const index = readFileSync(resolve('src-main/index.ts'), 'utf8');
    expect(index).toMatch(/new BrowserWindow\(\s*windowOptions\(/);
    expect(index).not.toMatch(/webPreferences\s*:/);
  });
});

function cspDirectives(csp: string): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const part of csp.split(';')) {
    const [name, ...values] = part.trim().split(/\s+/);
    if (name) map.set(name.toLowerCase(), values);
  }
  return map;
}

function checkCsp(csp: string): void {
  const d = cspDirectives(csp);
  const script = d.get('script-src') ?? d.get('default-src');
  expect(script, 'script-src (or default-src)').toBeDefined();
  for (const v of script!) {
    expect([
      "'unsafe-eval'",
      "'unsafe-inline'",
      "'wasm-unsafe-eval'",
      "'unsafe-hashes'",
      '*',
      'data:',
      'blob:',
      'http:',
      'https:',
    ]).not.toContain(v.toLowerCase());
  }
  expect(csp.toLowerCase()).not.toContain('unsafe-eval');
  expect(d.get('default-src')).toEqual(["'self'"]);
  expect(d.get('object-src')).toEqual(["'none'"]);
  expect(d.get('base-uri')).toEqual(["'none'"]);
  expect(d.get('frame-ancestors')).toEqual(["'none'"]);
  expect(d.get('connect-src')).toEqual(["'self'"]);
}

function metaCsp(html: string): string | null {
  const m = /<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]*)"/i.exec(html);
  return m ? m[1] : null;
}

describe('the content security policy', () => {
  it('allows no eval and no inline script, no plugins, no base or frame tricks', () =>
    checkCsp(CONTENT_SECURITY_POLICY));
  it('the renderer source carries the same policy as a meta tag', () => {
    expect(metaCsp(readFileSync(resolve('src-renderer/index.html'), 'utf8'))).toBe(CONTENT_SECURITY_POLICY);
  });
  const built = resolve('out/renderer/index.html');
  it.skipIf(!existsSync(built))(
    'the built renderer keeps the policy, and its scripts are files, not inline code or handlers',
    () => {
      const html = readFileSync(built, 'utf8');
      expect(metaCsp(html)).toBe(CONTENT_SECURITY_POLICY);
      const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)];
      expect(scripts.length).toBeGreaterThan(0);
      for (const [, attrs, body] of scripts) {
        expect(attrs).toMatch(/\ssrc="\.\/assets\/[^"]+\.js"/);
        expect(body.trim()).toBe('');
      }
      expect(html).not.toMatch(/\son[a-z]+\s*=/i);
      expect(html).not.toMatch(/javascript:/i);
    },
  );
  it.skipIf(!existsSync(resolve('out/renderer/assets')))(
    'the built bundle does not call eval or new Function (the CSP would block it)',
    () => {
      for (const f of readdirSync(resolve('out/renderer/assets')).filter((n) => n.endsWith('.js'))) {
        const js = readFileSync(resolve('out/renderer/assets', f), 'utf8');
        expect(js, f).not.toMatch(/\beval\s*\(/);
        // zod probes for eval support with a guarded `new Function("")` (caught, then it runs without JIT); nothing else may.
        expect(js.replaceAll('new Function("")', ''), f).not.toMatch(/\bnew Function\s*\(/);
      }
    },
  );
});

describe('navigation, new windows and external links (property tests, WHATWG URL parser as the oracle)', () => {
  it(`no URL but app://lab/... is the app (${RUNS} cases)`, () => {
    fc.assert(
      fc.property(hostileUrl, (raw) => {
        const u = parse(raw);
        const expected = u !== null && u.protocol === 'app:' && u.host === 'lab';
        expect(isAppUrl(raw)).toBe(expected);
      }),
      { numRuns: RUNS },
    );
  });
  it(`with a dev server, only its exact origin is added (${RUNS} cases)`, () => {
    const dev = 'http://localhost:5173';
    fc.assert(
      fc.property(
        fc.oneof(
          hostileUrl,
          fc.constantFrom(
            'http://localhost:5173/',
            'http://localhost:5173.evil/',
            'http://localhost:51730/',
            'https://localhost:5173/',
            'http://user@localhost:5173/',
          ),
        ),
        (raw) => {
          const u = parse(raw);
          const expected =
            u !== null && ((u.protocol === 'app:' && u.host === 'lab') || u.origin === 'http://localhost:5173');
          expect(isAppUrl(raw, dev)).toBe(expected);
        },
      ),
      { numRuns: RUNS },
    );
  });
  it(`openExternal gets only https URLs on the allowlist, without credentials (${RUNS} cases)`, () => {
    fc.assert(
      fc.property(hostileUrl, (raw) => {
        if (!isAllowedExternalUrl(raw)) return;
        const u = parse(raw)!;
        expect(u.protocol).toBe('https:');
        expect(ALLOWLIST).toContain(u.hostname);
        expect(u.port).toBe('');
        expect(u.username + u.password).toBe('');
      }),
      { numRuns: RUNS },
    );
  });
  it('the guards refuse every navigation away, every <webview>, every new window', () => {
    type Listener = (event: { preventDefault(): void; url?: string }, url?: unknown) => void;
    const listeners = new Map<string, Listener>();
    let openHandler: ((d: { url: string }) => { action: 'deny' }) | null = null;
    const fake: GuardedContents = {
      on: (name, l) => listeners.set(name, l as Listener),
      setWindowOpenHandler: (h) => {
        openHandler = h;
      },
    };
    const opened: string[] = [];
    guardWebContents(fake, (u) => opened.push(u));
    expect([...listeners.keys()].sort()).toEqual(['will-attach-webview', 'will-navigate', 'will-redirect']);
    const prevented = (name: string, url: string, legacy = false) => {
      let p = false;
      const ev = { preventDefault: () => (p = true), ...(legacy ? {} : { url }) };
      listeners.get(name)!(ev, url);
      return p;
    };
    fc.assert(
      fc.property(hostileUrl, fc.boolean(), (raw, legacy) => {
        expect(prevented('will-navigate', raw, legacy)).toBe(!isAppUrl(raw));
        expect(prevented('will-redirect', raw, legacy)).toBe(!isAppUrl(raw));
        expect(prevented('will-attach-webview', raw)).toBe(true);
        const before = opened.length;
        expect(openHandler!({ url: raw })).toEqual({ action: 'deny' });
        expect(opened.length - before).toBe(isAllowedExternalUrl(raw) ? 1 : 0);
      }),
      { numRuns: RUNS },
    );
    expect(prevented('will-navigate', 'app://lab/index.html')).toBe(false);
    expect(prevented('will-navigate', 'https://github.com/')).toBe(true);
    openHandler!({ url: 'https://distill.pub/2017/momentum/' });
    expect(opened).toContain('https://distill.pub/2017/momentum/');
  });
});

describe('permissions', () => {
  it('every permission request and check is denied', () => {
    const names = [
      'media',
      'geolocation',
      'notifications',
      'midi',
      'midiSysex',
      'pointerLock',
      'fullscreen',
      'openExternal',
      'clipboard-read',
      'clipboard-sanitized-write',
      'display-capture',
      'mediaKeySystem',
      'window-management',
      'unknown',
      'hid',
      'serial',
      'usb',
      'fileSystem',
    ];
    for (const name of names) {
      const answers: boolean[] = [];
      denyPermissionRequest({}, name, (granted) => answers.push(granted));
      expect(answers, name).toEqual([false]);
    }
    expect(denyPermissionCheck()).toBe(false);
    const index = readFileSync(resolve('src-main/index.ts'), 'utf8');
    expect(index).toContain('setPermissionRequestHandler(denyPermissionRequest)');
    expect(index).toContain('setPermissionCheckHandler(denyPermissionCheck)');
  });
});

describe('the IPC sender check', () => {
  const frame = (url: string) => ({ url });
  it("trusts only the lab window's own top frame showing the lab", () => {
    const main = frame('app://lab/index.html');
    expect(isLabFrame(main, main)).toBe(true);
    expect(isLabFrame(frame('app://lab/index.html'), main)).toBe(false); // another frame with the same URL (a subframe, another window)
    expect(isLabFrame(null, main)).toBe(false);
    expect(isLabFrame(main, null)).toBe(false);
    expect(isLabFrame(undefined, undefined)).toBe(false);
    const navigated = frame('https://evil.example/');
    expect(isLabFrame(navigated, navigated)).toBe(false);
    const dev = frame('http://localhost:5173/');
    expect(isLabFrame(dev, dev, 'http://localhost:5173')).toBe(true);
    expect(isLabFrame(dev, dev)).toBe(false);
    const destroyed = {
      get url(): string {
        throw new Error('Render frame was disposed');
      },
    };
    expect(isLabFrame(destroyed, destroyed)).toBe(false);
  });
  it(`is false for every URL that is not the lab (${RUNS} cases)`, () => {
    fc.assert(
      fc.property(hostileUrl, (raw) => {
        const f = frame(raw);
        expect(isLabFrame(f, f)).toBe(isAppUrl(raw));
      }),
      { numRuns: RUNS },
    );
  });
});

describe('wireIpc', () => {
  function setup(trust: (frame: unknown) => boolean) {
    const handlers = new Map<string, (event: { senderFrame: unknown }, payload: unknown) => Promise<unknown>>();
    const fakeIpc: IpcMainLike = { handle: (channel, listener) => void handlers.set(channel, listener as never) };
    const calls: string[] = [];
    const services = Object.fromEntries(
      LAB_CHANNELS.map((c) => [
        c,
        async (payload: unknown) => {
          calls.push(c);
          return { echoed: payload };
        },
      ]),
    ) as unknown as ServicesOf<LabApi>;
    wireIpc(fakeIpc, services, trust as never);
    return { handlers, calls };
  }
  it('registers exactly one handler per channel, prefixed', () => {
    const { handlers } = setup(() => true);
    expect([...handlers.keys()].sort()).toEqual(LAB_CHANNELS.map((c) => IPC_PREFIX + c).sort());
  });
  it('every handler refuses a foreign sender with "forbidden" and never reaches the service', async () => {
    const main = { url: 'app://lab/index.html' };
    const { handlers, calls } = setup((f) => isLabFrame(f as { url: string } | null, main));
    const foreign = [
      null,
      { url: 'app://lab/index.html' },
      { url: 'https://evil.example/' },
      { url: 'file:///etc/passwd' },
    ];
    for (const [channel, handle] of handlers) {
      for (const senderFrame of foreign) {
        const r = (await handle({ senderFrame }, { any: 'payload' })) as {
          ok: boolean;
          error: { code: string; message: string };
        };
        expect(r.ok, channel).toBe(false);
        expect(r.error.code).toBe('forbidden');
        expect(r.error.message).toContain(channel.slice(IPC_PREFIX.length));
      }
    }
    expect(calls).toEqual([]);
    for (const [channel, handle] of handlers) {
      const r = (await handle({ senderFrame: main }, 7)) as { ok: boolean; value: unknown };
      expect(r, channel).toEqual({ ok: true, value: { echoed: 7 } });
    }
    expect(calls.sort()).toEqual([...LAB_CHANNELS].sort());
  });
  it('a sender check that throws counts as a refusal, not a crash', async () => {
    const { handlers, calls } = setup(() => {
      throw new Error('frame disposed');
    });
    for (const handle of handlers.values()) {
      const r = (await handle({ senderFrame: null }, undefined)) as { ok: boolean; error: { code: string } };
      expect(r.error.code).toBe('forbidden');
    }
    expect(calls).toEqual([]);
  });
  it('the app wires IPC through isLabFrame', () => {
    expect(readFileSync(resolve('src-main/index.ts'), 'utf8')).toMatch(
      /wireIpc\(ipcMain, lab\.services, \(frame\) => isLabFrame\(/,
    );
  });
});
