import * as devalue from 'devalue';
import type { LabBridge, LabEvent, LabResult } from '../../src-core/contracts/lab-api';
import { WIRE_PATH, type WireCall, type WireDownload, type WireMessage } from '../../src-core/contracts/lab-wire';

// window.lab in the browser mode: the same LabBridge the preload gives in
// Electron (every method answers a LabResult; onEvent subscribes to pushed
// events), built over one WebSocket to `momentum-lab serve`. The page's
// cookie authenticates the socket; the server validates every call.
// Exports come back with download links, fetched here as downloads. When
// the socket drops (server stopped, tab cut off for reading too slowly) a
// banner says so, calls answer a typed error at once, and the page reloads
// once the server answers again (events were missed meanwhile).

type Listener = (event: LabEvent) => void;

const lost = (message: string): LabResult<never> => ({ ok: false, error: { code: 'internal', message } });

function download(d: WireDownload): void {
  const a = document.createElement('a');
  a.href = d.url;
  a.download = d.name;
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
}

function banner(text: string): void {
  let el = document.getElementById('lab-connection');
  if (!el) {
    el = document.createElement('div');
    el.id = 'lab-connection';
    el.setAttribute('role', 'alert');
    el.setAttribute(
      'style',
      'position:fixed;left:0;right:0;bottom:0;z-index:1000;padding:8px 12px;background:#b00020;color:#fff;font:14px system-ui,sans-serif;text-align:center',
    );
    document.body.append(el);
  }
  el.textContent = text;
}

export function installSocketBridge(channels: readonly string[]): void {
  const listeners = new Set<Listener>();
  const pending = new Map<number, (r: LabResult<unknown>) => void>();
  const queued: string[] = [];
  let nextId = 1;
  let ws: WebSocket;
  let open = false;
  let dropped = false;
  const socketUrl = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${WIRE_PATH}`;

  const onMessage = (e: MessageEvent) => {
    if (typeof e.data !== 'string') return;
    let msg: WireMessage;
    try {
      msg = devalue.parse(e.data) as WireMessage;
    } catch {
      return;
    }
    if (msg.kind === 'event') {
      for (const l of listeners) l(msg.event);
    } else if (msg.kind === 'result') {
      if (msg.id === null) {
        console.error('Momentum Lab: the server refused a message:', msg.result.ok ? '' : msg.result.error.message);
        return;
      }
      for (const d of msg.downloads ?? []) download(d);
      pending.get(msg.id)?.(msg.result);
      pending.delete(msg.id);
    }
  };

  const connect = () => {
    ws = new WebSocket(socketUrl);
    ws.addEventListener('open', () => {
      if (dropped) {
        // Events were missed while away: read the whole state afresh.
        location.reload();
        return;
      }
      open = true;
      for (const f of queued.splice(0)) ws.send(f);
    });
    ws.addEventListener('message', onMessage);
    ws.addEventListener('close', () => {
      open = false;
      if (!dropped) {
        dropped = true;
        for (const settle of pending.values()) settle(lost('the connection to the lab server was lost'));
        pending.clear();
      }
      banner(
        'Momentum Lab: the connection to the lab server is lost; trying again. If the server was stopped, start it again and open the new URL it prints.',
      );
      setTimeout(connect, 1500);
    });
  };
  connect();

  const call = (channel: string, payload: unknown): Promise<LabResult<unknown>> => {
    if (dropped) return Promise.resolve(lost('not connected to the lab server'));
    const id = nextId++;
    const frame = devalue.stringify({ id, channel, ...(payload === undefined ? {} : { payload }) } satisfies WireCall);
    return new Promise((resolve) => {
      pending.set(id, resolve);
      if (open) ws.send(frame);
      else queued.push(frame);
    });
  };

  const lab: Record<string, unknown> = {};
  for (const channel of channels) lab[channel] = (payload?: unknown) => call(channel, payload);
  lab['onEvent'] = (listener: Listener) => {
    listeners.add(listener);
    return () => listeners.delete(listener);
  };
  Object.defineProperty(window, 'lab', {
    value: Object.freeze(lab as unknown as LabBridge),
    writable: false,
    configurable: false,
  });
}
