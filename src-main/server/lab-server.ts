import { AsyncLocalStorage } from 'node:async_hooks';
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { MAX_DROPPED_FILE_BYTES, type CommandState } from '../../src-core/contracts/api-desktop';
import type { LabEvent } from '../../src-core/contracts/lab-api';
import { LabError, toLabErrorData } from '../../src-core/contracts/lab-error';
import {
  HOST_META,
  WIRE_PATH,
  type HostInfo,
  type WireDownload,
  type WireMessage,
} from '../../src-core/contracts/lab-wire';
import { CONTENT_SECURITY_POLICY } from '../electron/security';
import { invokeService } from '../services/invoke';
import type { ServiceContext } from '../services/service-context';
import { createLab, type Lab, type LabOptions } from '../services/services';
import type { WorkerLauncher } from '../workers/worker-handle';
import { Gate, isLoopbackHost, makeToken, tokenCookie } from './auth';
import { Downloads } from './downloads';
import { decodeCall, encodeMessage, salvageId } from './wire';

// The browser shell: the same services table as the Electron main process,
// behind a local HTTP server that serves the built renderer (its browser
// entry, browser.html) and carries window.lab calls and pushed events over
// one WebSocket per tab. Every request and upgrade passes the Gate (Host,
// Origin, token); every call goes through invokeService (the channel's zod
// schema), as IPC does. Events go to every open tab as they come.

/** The page the server gives for "/": the renderer's browser entry. */
export const BROWSER_PAGE = 'browser.html';

/** A tab that reads its socket this far behind is cut off (it reconnects and reloads) rather than buffered without end. */
export const MAX_BUFFERED_BYTES = 64 * 1024 * 1024;

/** Four dropped files at the cap, in base64 inside devalue text, and room for the envelope. */
export const MAX_FRAME_BYTES = Math.ceil((4 * MAX_DROPPED_FILE_BYTES * 4) / 3) + (1 << 20);

/** File pickers answered by the host instead of by upload/download (the e2e harness's test seam). */
export type HostPickers = Pick<ServiceContext, 'pickDatasetFiles' | 'pickSavePath' | 'pickOpenPath'>;

export interface LabServerOptions {
  /** The built renderer (out/renderer). */
  rendererDir: string;
  /** The lab's own data folder: uploads land in datasets/, exports in exports/, the session database (unless labOptions.dbPath) here. */
  dataDir: string;
  launcher: WorkerLauncher;
  /** Default 127.0.0.1. A non-loopback address needs allowRemote. */
  host?: string;
  /** Default 0 (any free port). */
  port?: number;
  /** When the port is taken, try this many following ports. Default 0. */
  portAttempts?: number;
  allowRemote?: boolean;
  labOptions?: LabOptions;
  /** Test seam: pickers answered in-process (no upload, no download). */
  pickers?: HostPickers;
  /** Sees every event the lab pushes (the e2e harness records them). */
  onEvent?: (event: LabEvent) => void;
  /** Sees the commands' enabled state the page publishes (the e2e harness records it); absent: it goes nowhere. */
  onCommandState?: (state: CommandState) => void;
}

export interface LabServer {
  /** http://host:port/ */
  readonly url: string;
  /** The URL with the token: give it once, to the browser. */
  readonly tokenUrl: string;
  readonly token: string;
  readonly port: number;
  readonly dataDir: string;
  /** The services behind the socket; replace it to restart the lab under open tabs (tests). */
  lab: Lab;
  /** Push an event to every open tab (what the lab's own context does; the desktop menu's commands take this way in tests). */
  emit(event: LabEvent): void;
  /** Open sockets (tabs). */
  connections(): number;
  /** Drop every tab's socket, as for a tab cut off for reading too slowly: each reconnects and reloads its state. */
  dropConnections(): void;
  close(): Promise<void>;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
};

const SECURITY_HEADERS = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Cache-Control': 'no-store',
};

const escapeAttr = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The file under root a URL path names, or null (outside root, NUL, malformed escape, a folder). */
export function staticPath(root: string, pathname: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const base = normalize(root);
  const path = normalize(join(base, decoded));
  if (!path.startsWith(base + sep) || path.endsWith(sep)) return null;
  return existsSync(path) && statSync(path).isFile() ? path : null;
}

interface CallScope {
  downloads: string[];
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error) => {
      server.off('listening', onListening);
      reject(err);
    };
    const onListening = () => {
      server.off('error', onError);
      resolve();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
}

export async function startLabServer(options: LabServerOptions): Promise<LabServer> {
  const host = options.host ?? '127.0.0.1';
  if (!isLoopbackHost(host) && !options.allowRemote) {
    throw new LabError(
      'invalid-input',
      `--host ${host} is not a loopback address; add --allow-remote to serve other machines (anyone with the URL and its token can then train, read sessions and write files here)`,
    );
  }
  const page = join(options.rendererDir, BROWSER_PAGE);
  if (!existsSync(page))
    throw new LabError('not-found', `${page} is missing: build the renderer first (npx electron-vite build)`);

  const token = makeToken();
  const downloads = new Downloads(join(options.dataDir, 'exports'));
  const dropDir = join(options.dataDir, 'datasets');
  const scope = new AsyncLocalStorage<CallScope>();
  const sockets = new Set<WebSocket>();

  const broadcast = (message: WireMessage) => {
    let text: string;
    try {
      text = encodeMessage(message);
    } catch (err) {
      console.error(`momentum-lab serve: could not encode an event: ${(err as Error).message}`);
      return;
    }
    for (const ws of sockets) send(ws, text);
  };
  const send = (ws: WebSocket, text: string) => {
    if (ws.readyState !== ws.OPEN) return;
    if (ws.bufferedAmount > MAX_BUFFERED_BYTES) {
      ws.terminate(); // too far behind: the tab reconnects and reloads its state
      return;
    }
    ws.send(text);
  };

  const pickers: HostPickers = options.pickers ?? {
    pickDatasetFiles: async () => {
      throw new LabError(
        'invalid-input',
        `Open dataset: there is no file dialog in the browser; use "Open dataset…" in the Training view, or drop the four IDX files on the page (they are copied into ${dropDir})`,
      );
    },
    pickOpenPath: async (req) => {
      throw new LabError(
        'invalid-input',
        `${req.title}: there is no file dialog in the browser; use "Import session file…" in the Sessions view, or drop the file on the page (it is uploaded and checked before anything is added)`,
      );
    },
    pickSavePath: async (req) => {
      const path = downloads.reserve(req.defaultName);
      scope.getStore()?.downloads.push(path);
      return path;
    },
  };
  const ctx: ServiceContext = {
    launcher: options.launcher,
    emit: (event) => {
      options.onEvent?.(event);
      broadcast({ kind: 'event', event });
    },
    ...pickers,
    ...(options.onCommandState ? { showCommandState: options.onCommandState } : {}),
  };
  let lab = createLab(ctx, { dbPath: join(options.dataDir, 'momentum-lab.db'), dropDir, ...options.labOptions });

  const hostInfo: HostInfo = {
    kind: 'browser',
    files: options.pickers ? 'dialogs' : 'upload',
    dataDir: options.dataDir,
  };
  const pageHtml = () =>
    readFileSync(page, 'utf8').replace(
      /<meta name="momentum-lab-host" content="[^"]*"/,
      `<meta name="${HOST_META}" content="${escapeAttr(JSON.stringify(hostInfo))}"`,
    );

  let gate: Gate | null = null;
  let boundPort = 0;

  const refuse = (res: ServerResponse, status: number, reason: string) => {
    res
      .writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' })
      .end(`Momentum Lab: ${reason}\n`);
  };

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://lab.invalid');
    } catch {
      return refuse(res, 400, 'bad request');
    }
    const verdict = gate!.check(
      { host: req.headers.host, origin: req.headers.origin, cookie: req.headers.cookie },
      url.searchParams.get('token'),
      { upgrade: false },
    );
    if (!verdict.ok) return refuse(res, verdict.status, verdict.reason);
    if (req.method !== 'GET' && req.method !== 'HEAD')
      return refuse(res, 405, 'only GET here; the lab talks over its WebSocket');
    if (verdict.setCookie) {
      // The token leaves the address bar (and the history) at once; the cookie carries it from now on.
      url.searchParams.delete('token');
      res
        .writeHead(302, {
          ...SECURITY_HEADERS,
          'Set-Cookie': tokenCookie(boundPort, token),
          Location: url.pathname + url.search,
        })
        .end();
      return;
    }
    const dl = /^\/download\/([0-9a-f]{32})\/[^/]*$/.exec(url.pathname);
    if (dl) {
      const path = downloads.resolve(dl[1]);
      if (!path || !existsSync(path)) return refuse(res, 404, 'no such download');
      const name = path.slice(path.lastIndexOf(sep) + 1);
      res.writeHead(200, {
        ...SECURITY_HEADERS,
        'Content-Type': 'application/octet-stream',
        'Content-Length': statSync(path).size,
        'Content-Disposition': `attachment; filename="${name.replace(/[^\x20-\x7e]|["\\]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(name)}`,
      });
      if (req.method === 'HEAD') return res.end();
      createReadStream(path).pipe(res);
      return;
    }
    if (url.pathname === '/' || url.pathname === '/index.html' || url.pathname === `/${BROWSER_PAGE}`) {
      res
        .writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': TYPES['.html'] })
        .end(req.method === 'HEAD' ? undefined : pageHtml());
      return;
    }
    const file = staticPath(options.rendererDir, url.pathname);
    if (!file) return refuse(res, 404, 'not found');
    res.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream' });
    if (req.method === 'HEAD') return res.end();
    createReadStream(file).pipe(res);
  };

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });
  const http = createServer(handle);

  const refuseUpgrade = (socket: Duplex, status: number, reason: string) => {
    socket.end(
      `HTTP/1.1 ${status} ${status === 403 ? 'Forbidden' : 'Not Found'}\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\nMomentum Lab: ${reason}\n`,
    );
  };
  http.on('upgrade', (req, socket, head) => {
    let path: string;
    try {
      path = new URL(req.url ?? '/', 'http://lab.invalid').pathname;
    } catch {
      path = '';
    }
    if (path !== WIRE_PATH) return refuseUpgrade(socket, 404, 'not found');
    const verdict = gate!.check(
      { host: req.headers.host, origin: req.headers.origin, cookie: req.headers.cookie },
      null,
      { upgrade: true },
    );
    if (!verdict.ok) return refuseUpgrade(socket, 403, verdict.reason);
    wss.handleUpgrade(req, socket, head, (ws) => connect(ws));
  });

  const connect = (ws: WebSocket) => {
    sockets.add(ws);
    ws.on('close', () => sockets.delete(ws));
    ws.on('error', () => sockets.delete(ws));
    ws.on('message', (data, isBinary) => {
      const text = isBinary
        ? null
        : Buffer.isBuffer(data)
          ? data.toString('utf8')
          : Buffer.concat(Array.isArray(data) ? data : [Buffer.from(data)]).toString('utf8');
      const reply = (message: WireMessage) => {
        let encoded: string;
        try {
          encoded = encodeMessage(message);
        } catch (err) {
          encoded = encodeMessage({
            kind: 'result',
            id: message.kind === 'result' ? message.id : null,
            result: {
              ok: false,
              error: { code: 'internal', message: `could not encode the answer: ${(err as Error).message}` },
            },
          });
        }
        send(ws, encoded);
      };
      if (text === null) {
        reply({
          kind: 'result',
          id: null,
          result: {
            ok: false,
            error: {
              code: 'invalid-input',
              message: 'socket frame: binary frames are not accepted; send devalue text',
            },
          },
        });
        return;
      }
      let call;
      try {
        call = decodeCall(text);
      } catch (err) {
        reply({ kind: 'result', id: salvageId(text), result: { ok: false, error: toLabErrorData(err) } });
        return;
      }
      const calls: CallScope = { downloads: [] };
      void scope.run(calls, async () => {
        const result = await invokeService(lab.services, call.channel, call.payload);
        const offered: WireDownload[] = result.ok
          ? calls.downloads.filter((p) => existsSync(p)).map((p) => downloads.offer(p))
          : [];
        reply({ kind: 'result', id: call.id, result, ...(offered.length > 0 ? { downloads: offered } : {}) });
      });
    });
  };

  let port = options.port ?? 0;
  for (let attempt = 0; ; attempt++) {
    try {
      await listen(http, port, host);
      break;
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (code === 'EADDRINUSE' && port !== 0 && attempt < (options.portAttempts ?? 0)) {
        port += 1;
        continue;
      }
      lab.shutdown();
      if (code === 'EADDRINUSE') throw new LabError('busy', `port ${port} is in use; choose another with --port`);
      if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND')
        throw new LabError('invalid-input', `--host ${host}: not an address of this machine`);
      throw err;
    }
  }
  const bound = (http.address() as AddressInfo).port;
  boundPort = bound;
  gate = new Gate({ token, port: bound, bindHost: host, allowRemote: options.allowRemote ?? false });
  const shownHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  const base = `http://${shownHost}:${bound}/`;

  let stopped = false;
  const server: LabServer = {
    url: base,
    tokenUrl: `${base}?token=${token}`,
    token,
    port: bound,
    dataDir: options.dataDir,
    get lab() {
      return lab;
    },
    set lab(next: Lab) {
      lab = next;
    },
    emit: (event) => ctx.emit(event),
    connections: () => sockets.size,
    dropConnections: () => {
      for (const ws of sockets) ws.terminate();
    },
    close: async () => {
      if (stopped) return;
      stopped = true;
      for (const ws of sockets) ws.terminate();
      wss.close();
      const closed = new Promise<void>((resolve) => http.close(() => resolve()));
      http.closeAllConnections();
      await closed;
      lab.shutdown();
    },
  };
  return server;
}
