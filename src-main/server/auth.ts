import { randomBytes, timingSafeEqual } from 'node:crypto';
import { hostname, networkInterfaces } from 'node:os';

// Who may talk to the local server, as pure checks over request headers, in
// the manner of Jupyter: a random token given once in the URL and then held
// in an HttpOnly, SameSite=Strict cookie; the Host header must name this
// server (a DNS-rebinding page sends its own name); an Origin, when sent (a
// browser always sends one on a WebSocket upgrade), must be this server's.

/** 32 random bytes as hex: the secret in the URL the server prints. */
export function makeToken(): string {
  return randomBytes(32).toString('hex');
}

/** Cookies are not per port; each server names its own, so two labs on one host do not clobber each other. */
export function cookieName(port: number): string {
  return `momentum-lab-${port}`;
}

export function tokenCookie(port: number, token: string): string {
  return `${cookieName(port)}=${token}; HttpOnly; SameSite=Strict; Path=/`;
}

/** Is this bind address a loopback one (the default; anything else needs --allow-remote)? */
export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

/** "name:port" → name (lower case, brackets kept off IPv6); null when the header is not a host[:port]. */
export function hostOf(header: string | undefined): { name: string; port: number | null } | null {
  if (typeof header !== 'string' || header.length === 0 || header.length > 300) return null;
  const m = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+)(?::(\d{1,5}))?$/.exec(header);
  if (!m) return null;
  return { name: m[1].replace(/^\[|\]$/g, '').toLowerCase(), port: m[2] === undefined ? null : Number(m[2]) };
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function readCookie(header: string | undefined, name: string): string | null {
  if (typeof header !== 'string') return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return null;
}

export interface GateOptions {
  token: string;
  port: number;
  /** The address the server listens on. */
  bindHost: string;
  /** Served beyond loopback (--allow-remote): the machine's own names and addresses are accepted as Host too. */
  allowRemote: boolean;
}

export type Verdict = { ok: true; setCookie: boolean } | { ok: false; status: 403; reason: string };

export interface RequestHeaders {
  host?: string;
  origin?: string;
  cookie?: string;
}

/** The request checks, built once per server. */
export class Gate {
  readonly #token: string;
  readonly #port: number;
  readonly #names: ReadonlySet<string>;

  constructor(options: GateOptions) {
    this.#token = options.token;
    this.#port = options.port;
    const names = new Set(['localhost', '127.0.0.1', '::1']);
    const bind = options.bindHost.replace(/^\[|\]$/g, '').toLowerCase();
    if (bind !== '0.0.0.0' && bind !== '::') names.add(bind);
    if (options.allowRemote) {
      names.add(hostname().toLowerCase());
      for (const list of Object.values(networkInterfaces()))
        for (const a of list ?? []) names.add(a.address.toLowerCase());
    }
    this.#names = names;
  }

  /** Does the Host header name this server (a known name and this port)? */
  hostAllowed(header: string | undefined): boolean {
    const h = hostOf(header);
    return h !== null && h.port === this.#port && this.#names.has(h.name);
  }

  /** An Origin, if present, must be http://<an allowed host>; `required` (WebSocket upgrades) refuses a missing one. */
  originAllowed(header: string | undefined, required: boolean): boolean {
    if (header === undefined) return !required;
    let url: URL;
    try {
      url = new URL(header);
    } catch {
      return false;
    }
    return url.protocol === 'http:' && url.username === '' && url.pathname === '/' && this.hostAllowed(url.host);
  }

  /** The token from the cookie or, on a page load, from ?token=. */
  check(headers: RequestHeaders, queryToken: string | null, opts: { upgrade: boolean }): Verdict {
    if (!this.hostAllowed(headers.host))
      return { ok: false, status: 403, reason: 'this server answers only to its own address (Host header refused)' };
    if (!this.originAllowed(headers.origin, opts.upgrade))
      return { ok: false, status: 403, reason: 'a request from another site (Origin header refused)' };
    const cookie = readCookie(headers.cookie, cookieName(this.#port));
    if (cookie !== null && safeEqual(cookie, this.#token)) return { ok: true, setCookie: false };
    if (!opts.upgrade && queryToken !== null && safeEqual(queryToken, this.#token))
      return { ok: true, setCookie: true };
    return {
      ok: false,
      status: 403,
      reason:
        queryToken === null && cookie === null
          ? 'no token: open the URL that "momentum-lab serve" printed'
          : 'wrong token',
    };
  }
}
