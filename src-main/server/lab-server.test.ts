import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import * as devalue from 'devalue';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { LAB_CHANNELS, type LabEvent } from '../../src-core/contracts/lab-api';
import { WIRE_PATH, type WireMessage } from '../../src-core/contracts/lab-wire';
import { CONTENT_SECURITY_POLICY } from '../electron/security';
import type { WorkerHandle, WorkerLauncher } from '../workers/worker-handle';
import { cookieName } from './auth';
import { MAX_BUFFERED_BYTES, startLabServer, type LabServer } from './lab-server';
import { decodeMessage, encodeCall, encodeMessage } from './wire';
import { REFUSAL_CODES } from '../services/test-helpers';

// The browser mode's server over real sockets: the token, the cookie, the
// Host and Origin checks on requests and on the WebSocket upgrade, the codec,
// typed errors for any frame, events to every tab, downloads, and a tab that
// stops reading is cut off instead of buffered without end.

/** Starts nothing: these tests are about the transport (the e2e suite runs real workers through it). */
const idleLauncher: WorkerLauncher = <In, Out>(): WorkerHandle<In, Out> => {
  let exit: ((code: number | null) => void) | null = null;
  setTimeout(() => exit?.(1), 0);
  return { post: () => {}, onMessage: () => {}, onExit: (l) => void (exit = l), kill: () => {}, pid: undefined };
};

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

function get(port: number, path: string, headers: Record<string, string> = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path, method: 'GET', headers: { Host: `127.0.0.1:${port}`, ...headers } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
        );
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/** Open the socket; resolves with the open client, or with the HTTP status the upgrade got instead. */
function openSocket(port: number, headers: Record<string, string>): Promise<WebSocket | number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}${WIRE_PATH}`, { headers, maxPayload: 1 << 30 });
    ws.on('open', () => resolve(ws));
    ws.on('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      ws.terminate();
    });
    ws.on('error', () => resolve(-1));
  });
}

/** A client that collects every message the server sends it. */
function collect(ws: WebSocket): WireMessage[] {
  const got: WireMessage[] = [];
  ws.on('message', (data) => got.push(decodeMessage(String(data))));
  return got;
}

async function until<T>(get: () => T | undefined, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = get();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('the lab server', () => {
  let dir: string;
  let renderer: string;
  let server: LabServer;
  let cookie: string;
  let origin: string;
  let host: string;
  let events = 0;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ml-serve-'));
    renderer = join(dir, 'renderer');
    mkdirSync(join(renderer, 'assets'), { recursive: true });
    writeFileSync(
      join(renderer, 'browser.html'),
      '<!doctype html><html><head><meta name="momentum-lab-host" content="" /></head><body><script type="module" src="./assets/app.js"></script></body></html>',
    );
    writeFileSync(join(renderer, 'assets', 'app.js'), 'console.log("app")');
    writeFileSync(join(dir, 'secret.txt'), 'outside the renderer folder');
    server = await startLabServer({
      rendererDir: renderer,
      dataDir: join(dir, 'data'),
      launcher: idleLauncher,
      labOptions: { simSettleMs: 60_000 },
      onEvent: () => void events++,
    });
    cookie = `${cookieName(server.port)}=${server.token}`;
    host = `127.0.0.1:${server.port}`;
    origin = `http://${host}`;
  });
  afterAll(async () => {
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('listens on loopback and prints a URL with a 256-bit token', () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/`);
    expect(server.tokenUrl).toMatch(/\?token=[0-9a-f]{64}$/);
  });

  it('refuses a non-loopback address unless --allow-remote', async () => {
    await expect(
      startLabServer({ rendererDir: renderer, dataDir: join(dir, 'data2'), launcher: idleLauncher, host: '0.0.0.0' }),
    ).rejects.toThrow(/allow-remote/);
  });

  it('answers 403 without a token, with a wrong token and with a wrong cookie', async () => {
    expect((await get(server.port, '/')).status).toBe(403);
    expect((await get(server.port, '/assets/app.js')).status).toBe(403);
    expect((await get(server.port, `/?token=${'0'.repeat(64)}`)).status).toBe(403);
    expect((await get(server.port, `/?token=${server.token.slice(0, -1)}`)).status).toBe(403);
    expect((await get(server.port, '/', { Cookie: `${cookieName(server.port)}=${'f'.repeat(64)}` })).status).toBe(403);
    // Another server's cookie name with this token is not this server's cookie.
    expect((await get(server.port, '/', { Cookie: `${cookieName(server.port + 1)}=${server.token}` })).status).toBe(
      403,
    );
  });

  it('takes the token once, sets an HttpOnly SameSite=Strict cookie and drops the token from the address', async () => {
    const r = await get(server.port, `/?token=${server.token}`);
    expect(r.status).toBe(302);
    expect(r.headers['location']).toBe('/');
    const set = String(r.headers['set-cookie']);
    expect(set).toContain(`${cookieName(server.port)}=${server.token}`);
    expect(set).toMatch(/HttpOnly/);
    expect(set).toMatch(/SameSite=Strict/);
    const page = await get(server.port, '/', { Cookie: cookie });
    expect(page.status).toBe(200);
    expect(page.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    expect(page.headers['x-frame-options']).toBe('DENY');
    const html = page.body.toString();
    expect(html).not.toContain(server.token);
    const meta = /<meta name="momentum-lab-host" content="([^"]*)"/.exec(html)?.[1] ?? '';
    expect(JSON.parse(meta.replace(/&quot;/g, '"').replace(/&amp;/g, '&'))).toEqual({
      kind: 'browser',
      files: 'upload',
      dataDir: join(dir, 'data'),
    });
    expect((await get(server.port, '/assets/app.js', { Cookie: cookie })).body.toString()).toBe('console.log("app")');
  });

  it("the browser entry carries the app's CSP, and its built page loads scripts from files only", () => {
    const csp = (html: string) => /<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]*)"/i.exec(html)?.[1];
    expect(csp(readFileSync(resolve('src-renderer/browser.html'), 'utf8'))).toBe(CONTENT_SECURITY_POLICY);
    const built = resolve('out/renderer/browser.html');
    if (!existsSync(built)) return;
    const html = readFileSync(built, 'utf8');
    expect(csp(html)).toBe(CONTENT_SECURITY_POLICY);
    for (const [, attrs, body] of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)) {
      expect(attrs).toMatch(/\ssrc="\.\/assets\/[^"]+\.js"/);
      expect(body.trim()).toBe('');
    }
    expect(html).toMatch(/<meta name="momentum-lab-host" content=""/); // the placeholder the server fills in
  });

  it('serves nothing outside the renderer folder', async () => {
    for (const path of [
      '/../secret.txt',
      '/%2e%2e/secret.txt',
      '/assets/%2e%2e%2f%2e%2e%2fsecret.txt',
      '/%E0%A4%A',
      '/assets/',
      '/assets%00/app.js',
    ]) {
      const r = await get(server.port, path, { Cookie: cookie });
      expect(r.status, path).not.toBe(200);
      expect(r.body.toString(), path).not.toContain('outside the renderer');
    }
  });

  it('answers 403 to a rebinding Host, even with the right cookie and token', async () => {
    for (const h of [
      'evil.example',
      `evil.example:${server.port}`,
      `127.0.0.1:${server.port + 1}`,
      `localhost.evil.example:${server.port}`,
      `127.0.0.1.nip.io:${server.port}`,
      `127.0.0.1:${server.port}@evil.example`,
      `[::2]:${server.port}`,
    ]) {
      expect((await get(server.port, `/?token=${server.token}`, { Host: h, Cookie: cookie })).status, h).toBe(403);
    }
    expect((await get(server.port, '/', { Host: `localhost:${server.port}`, Cookie: cookie })).status).toBe(200);
  });

  it('refuses a request another site makes (foreign Origin)', async () => {
    expect((await get(server.port, '/', { Cookie: cookie, Origin: 'http://evil.example' })).status).toBe(403);
    expect((await get(server.port, '/', { Cookie: cookie, Origin: origin })).status).toBe(200);
  });

  it('lets only its own origin with the cookie upgrade to the WebSocket', async () => {
    for (const [what, headers] of [
      ['foreign origin', { Cookie: cookie, Origin: 'http://evil.example' }],
      ['foreign origin, same host name, other port', { Cookie: cookie, Origin: `http://127.0.0.1:${server.port + 1}` }],
      ['https origin', { Cookie: cookie, Origin: `https://${host}` }],
      ['null origin', { Cookie: cookie, Origin: 'null' }],
      ['no origin', { Cookie: cookie }],
      ['no cookie', { Origin: origin }],
      ['wrong cookie', { Cookie: `${cookieName(server.port)}=${'a'.repeat(64)}`, Origin: origin }],
      ['rebinding host', { Cookie: cookie, Origin: 'http://evil.example', Host: 'evil.example' }],
    ] as const) {
      const got = await openSocket(server.port, headers);
      expect(got, what).toBe(403);
    }
    const ok = await openSocket(server.port, { Cookie: cookie, Origin: origin });
    expect(ok).toBeInstanceOf(WebSocket);
    (ok as WebSocket).close();
  });

  it('carries calls and answers with the devalue codec (NaN, ±Infinity, -0 and typed arrays intact)', async () => {
    const ws = (await openSocket(server.port, { Cookie: cookie, Origin: origin })) as WebSocket;
    const got = collect(ws);
    ws.send(encodeCall({ id: 7, channel: 'listSessions' }));
    const reply = await until(() => got.find((m) => m.kind === 'result' && m.id === 7));
    expect(reply.kind === 'result' && reply.result.ok && Array.isArray(reply.result.value)).toBe(true);
    // MNIST digits come back as typed arrays.
    ws.send(encodeCall({ id: 8, channel: 'digits', payload: { split: 'test', indices: [0, 1] } }));
    const digits = await until(() => got.find((m) => m.kind === 'result' && m.id === 8));
    if (digits.kind !== 'result' || !digits.result.ok) throw new Error(JSON.stringify(digits).slice(0, 300));
    const value = digits.result.value as { pixels: Uint8Array; labels: Uint8Array };
    expect(value.pixels).toBeInstanceOf(Uint8Array);
    expect(value.pixels.length).toBe(2 * 28 * 28);
    expect([...value.labels]).toEqual([7, 2]); // the first two MNIST test digits
    ws.close();
  });

  it('the codec keeps every double (NaN, ±Infinity, -0) and typed arrays bit for bit', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double()),
        fc.float64Array(),
        fc.float32Array(),
        fc.int32Array(),
        (numbers, f64, f32, i32) => {
          const event = { channel: 'command', command: { numbers, f64, f32, i32 } } as unknown as LabEvent;
          const back = decodeMessage(encodeMessage({ kind: 'event', event }));
          if (back.kind !== 'event') return false;
          const c = (
            back.event as unknown as {
              command: { numbers: number[]; f64: Float64Array; f32: Float32Array; i32: Int32Array };
            }
          ).command;
          expect(c.numbers.length).toBe(numbers.length);
          numbers.forEach((n, i) => expect(Object.is(c.numbers[i], n)).toBe(true));
          expect(c.f64).toBeInstanceOf(Float64Array);
          expect(c.f32).toBeInstanceOf(Float32Array);
          expect(c.i32).toBeInstanceOf(Int32Array);
          expect(
            Buffer.from(c.f64.buffer, c.f64.byteOffset, c.f64.byteLength).equals(
              Buffer.from(f64.buffer, f64.byteOffset, f64.byteLength),
            ),
          ).toBe(true);
          expect(
            Buffer.from(c.f32.buffer, c.f32.byteOffset, c.f32.byteLength).equals(
              Buffer.from(f32.buffer, f32.byteOffset, f32.byteLength),
            ),
          ).toBe(true);
          expect([...c.i32]).toEqual([...i32]);
          return true;
        },
      ),
      { numRuns: 200 },
    );
  });

  it('sends every event to every open tab, in order', async () => {
    const a = (await openSocket(server.port, { Cookie: cookie, Origin: origin })) as WebSocket;
    const b = (await openSocket(server.port, { Cookie: cookie, Origin: origin })) as WebSocket;
    const gotA = collect(a);
    const gotB = collect(b);
    for (let i = 0; i < 50; i++)
      server.emit({
        channel: 'command',
        command: { type: 'view.show', view: i % 2 ? 'training' : 'momentum' },
      } as LabEvent);
    await until(() => (gotA.length >= 50 && gotB.length >= 50 ? true : undefined));
    expect(gotA.map((m) => (m.kind === 'event' && m.event.channel === 'command' ? m.event.command : null))).toEqual(
      gotB.map((m) => (m.kind === 'event' && m.event.channel === 'command' ? m.event.command : null)),
    );
    a.close();
    b.close();
  });

  it('a payload fuzz over the socket gets one typed answer per frame, never an internal error, and the socket stays open', async () => {
    const ws = (await openSocket(server.port, { Cookie: cookie, Origin: origin })) as WebSocket;
    const got = collect(ws);
    let id = 1000;
    const channel = fc.oneof(
      fc.constantFrom(...LAB_CHANNELS.filter((c) => c !== 'useBuiltinDataset')),
      fc.string({ maxLength: 20 }),
      fc.constantFrom('__proto__', 'constructor', 'toString', 'hasOwnProperty'),
    );
    const payload = fc.anything({
      withTypedArray: true,
      withBigInt: true,
      withDate: true,
      withMap: true,
      withSet: true,
      withNullPrototype: false,
      withBoxedValues: true,
      withSparseArray: true,
      maxDepth: 3,
    });
    const frame = fc.oneof(
      // Well-formed envelopes with hostile payloads: the channel's schema answers.
      {
        arbitrary: fc
          .tuple(channel, payload)
          .map(([c, p]) => ({ text: devalue.stringify({ id: ++id, channel: c, payload: p }), id })),
        weight: 5,
      },
      // Broken envelopes: wrong id types, extra keys, arrays, primitives.
      { arbitrary: payload.map((p) => ({ text: devalue.stringify(p), id: null as number | null })), weight: 2 },
      {
        arbitrary: fc
          .tuple(fc.oneof(fc.double(), fc.string(), fc.constant(-1)), channel)
          .map(([i, c]) => ({ text: devalue.stringify({ id: i, channel: c }), id: null as number | null })),
        weight: 1,
      },
      // Not devalue at all, or devalue with a poisoned key.
      { arbitrary: fc.string({ maxLength: 200 }).map((t) => ({ text: t, id: null as number | null })), weight: 2 },
      {
        arbitrary: fc
          .constantFrom(
            '[{"id":1,"__proto__":2},5]',
            '[{"a":1}]',
            '[]',
            '-1',
            '[["Set",1]]',
            '[{"id":-9}]',
            '{',
            '[{"id":1,"channel":2,"payload":3},9,"listSessions",{"x":1}]',
          )
          .map((t) => ({ text: t, id: null as number | null })),
        weight: 1,
      },
    );
    const frames = fc.sample(frame, { numRuns: 600, seed: 13 });
    const before = got.length;
    for (const f of frames) ws.send(f.text);
    ws.send(new Uint8Array([1, 2, 3]), { binary: true });
    await until(() => (got.length - before >= frames.length + 1 ? true : undefined), 60_000);
    expect(ws.readyState).toBe(WebSocket.OPEN);
    const results = got.slice(before);
    expect(results.every((m) => m.kind === 'result' || m.kind === 'event')).toBe(true);
    const answers = results.filter((m): m is Extract<WireMessage, { kind: 'result' }> => m.kind === 'result');
    expect(answers.length).toBe(frames.length + 1);
    const tally: Record<string, number> = {};
    for (const a of answers) {
      const key = a.result.ok ? 'ok' : a.result.error.code;
      tally[key] = (tally[key] ?? 0) + 1;
      if (!a.result.ok) {
        expect(REFUSAL_CODES, `${a.result.error.code}: ${a.result.error.message}`).toContain(a.result.error.code);
        expect(a.result.error.message.length).toBeLessThan(2000);
      }
    }
    // Every well-formed call got its own answer, matched by id.
    const ids = new Set(answers.map((a) => a.id));
    for (const f of frames) if (f.id !== null) expect(ids.has(f.id)).toBe(true);
    expect(tally['invalid-input']).toBeGreaterThan(100);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    console.log(`socket fuzz: ${answers.length} frames; answers ${JSON.stringify(tally)}`);
    ws.close();
  });

  it('an export in the browser lands in the data folder and is offered as a download to the tab that asked', async () => {
    const ws = (await openSocket(server.port, { Cookie: cookie, Origin: origin })) as WebSocket;
    const got = collect(ws);
    const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="5" height="5"/></svg>';
    ws.send(encodeCall({ id: 1, channel: 'exportFigure', payload: { format: 'svg', name: 'loss', svg } }));
    ws.send(encodeCall({ id: 2, channel: 'exportFigure', payload: { format: 'svg', name: 'loss', svg } }));
    const first = await until(() => got.find((m) => m.kind === 'result' && m.id === 1));
    const second = await until(() => got.find((m) => m.kind === 'result' && m.id === 2));
    if (first.kind !== 'result' || second.kind !== 'result' || !first.result.ok || !second.result.ok)
      throw new Error(JSON.stringify([first, second]));
    const paths = [first, second].map((m) =>
      m.kind === 'result' && m.result.ok ? (m.result.value as { path: string }).path : '',
    );
    expect(paths).toEqual([join(dir, 'data', 'exports', 'loss.svg'), join(dir, 'data', 'exports', 'loss (2).svg')]);
    const dl = first.downloads?.[0];
    expect(dl?.name).toBe('loss.svg');
    const r = await get(server.port, dl!.url, { Cookie: cookie });
    expect(r.status).toBe(200);
    expect(String(r.headers['content-disposition'])).toMatch(/^attachment; filename="loss.svg"/);
    expect(r.body.toString()).toBe(readFileSync(paths[0], 'utf8'));
    expect((await get(server.port, dl!.url)).status).toBe(403); // the cookie is needed
    expect((await get(server.port, `/download/${'0'.repeat(32)}/loss.svg`, { Cookie: cookie })).status).toBe(404);
    // There is no dialog to answer an open request in the browser: a clear, typed refusal.
    ws.send(encodeCall({ id: 3, channel: 'importSessionFile' }));
    const imp = await until(() => got.find((m) => m.kind === 'result' && m.id === 3));
    expect(
      imp.kind === 'result' &&
        !imp.result.ok &&
        imp.result.error.code === 'invalid-input' &&
        /no file dialog in the browser/.test(imp.result.error.message),
    ).toBe(true);
    ws.close();
  });

  it('cuts off a tab that stops reading instead of buffering its events without end', async () => {
    await until(() => (server.connections() === 0 ? true : undefined)); // earlier tests' sockets have closed
    const slow = (await openSocket(server.port, { Cookie: cookie, Origin: origin })) as WebSocket;
    const fast = (await openSocket(server.port, { Cookie: cookie, Origin: origin })) as WebSocket;
    const gotFast = collect(fast);
    let slowClosed = false;
    slow.on('close', () => (slowClosed = true));
    (slow as unknown as { _socket: { pause(): void } })._socket.pause();
    const big = 'x'.repeat(1 << 20);
    const n = Math.ceil((MAX_BUFFERED_BYTES * 1.5) / (1 << 20));
    for (let i = 0; i < n; i++) {
      server.emit({ channel: 'command', command: { type: big } } as unknown as LabEvent);
      // The reading tab keeps up (it is in this process too: wait for it now and then).
      if (i % 4 === 3) await until(() => (gotFast.length >= i - 3 ? true : undefined), 30_000);
    }
    await until(() => (gotFast.length >= n ? true : undefined), 60_000);
    expect(server.connections()).toBe(1); // the reader stays, the stalled tab is gone
    (slow as unknown as { _socket: { resume(): void } })._socket.resume();
    await until(() => (slowClosed ? true : undefined));
    fast.close();
  });
});
