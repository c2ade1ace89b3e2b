import { describe, expect, it } from 'vitest';
import { Gate, hostOf, isLoopbackHost, readCookie, tokenCookie } from './auth';
import { browserCommand } from './open-browser';
import { defaultDataDir } from './data-dir';

describe('the request gate', () => {
  const gate = new Gate({ token: 'a'.repeat(64), port: 8484, bindHost: '127.0.0.1', allowRemote: false });
  const cookie = `momentum-lab-8484=${'a'.repeat(64)}`;

  it('knows loopback addresses', () => {
    for (const h of ['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]']) expect(isLoopbackHost(h), h).toBe(true);
    for (const h of ['0.0.0.0', '192.168.1.2', 'example.org', '::', '128.0.0.1', 'localhost.example'])
      expect(isLoopbackHost(h), h).toBe(false);
  });

  it('parses Host headers strictly', () => {
    expect(hostOf('127.0.0.1:8484')).toEqual({ name: '127.0.0.1', port: 8484 });
    expect(hostOf('[::1]:8484')).toEqual({ name: '::1', port: 8484 });
    expect(hostOf('LOCALHOST:8484')).toEqual({ name: 'localhost', port: 8484 });
    for (const bad of [
      undefined,
      '',
      'a b:1',
      'x:99999999',
      'user@host:1',
      'host:1/path',
      '127.0.0.1:8484, evil.example',
    ])
      expect(hostOf(bad as string), String(bad)).toBe(null);
  });

  it('accepts its own host and origin with the cookie, or the token once', () => {
    expect(gate.check({ host: '127.0.0.1:8484', cookie }, null, { upgrade: false })).toEqual({
      ok: true,
      setCookie: false,
    });
    expect(gate.check({ host: 'localhost:8484' }, 'a'.repeat(64), { upgrade: false })).toEqual({
      ok: true,
      setCookie: true,
    });
    expect(gate.check({ host: '[::1]:8484', origin: 'http://[::1]:8484', cookie }, null, { upgrade: true }).ok).toBe(
      true,
    );
  });

  it('refuses the token on an upgrade (only the cookie opens the socket), other hosts, ports and origins', () => {
    expect(
      gate.check({ host: '127.0.0.1:8484', origin: 'http://127.0.0.1:8484' }, 'a'.repeat(64), { upgrade: true }).ok,
    ).toBe(false);
    expect(gate.check({ host: 'attacker.example:8484', cookie }, null, { upgrade: false }).ok).toBe(false);
    expect(gate.check({ host: '127.0.0.1:8485', cookie }, null, { upgrade: false }).ok).toBe(false);
    expect(
      gate.check({ host: '127.0.0.1:8484', origin: 'http://127.0.0.1:8484.evil.example', cookie }, null, {
        upgrade: false,
      }).ok,
    ).toBe(false);
    expect(
      gate.check({ host: '127.0.0.1:8484', origin: 'http://user@127.0.0.1:8484', cookie }, null, { upgrade: false }).ok,
    ).toBe(false);
    expect(gate.check({ host: '127.0.0.1:8484', cookie: `${cookie}x` }, null, { upgrade: false }).ok).toBe(false);
  });

  it('writes an HttpOnly SameSite=Strict cookie and reads one among others', () => {
    expect(tokenCookie(8484, 'abc')).toBe('momentum-lab-8484=abc; HttpOnly; SameSite=Strict; Path=/');
    expect(readCookie('x=1; momentum-lab-8484=abc; y=2', 'momentum-lab-8484')).toBe('abc');
    expect(readCookie('momentum-lab-84840=abc', 'momentum-lab-8484')).toBe(null);
  });

  it('with --allow-remote, also answers to the machine bound to', () => {
    const remote = new Gate({ token: 't', port: 9000, bindHost: '10.1.2.3', allowRemote: true });
    expect(remote.hostAllowed('10.1.2.3:9000')).toBe(true);
    expect(remote.hostAllowed('evil.example:9000')).toBe(false);
  });
});

describe('the browser opener and the data folder', () => {
  it("uses each platform's own opener", () => {
    expect(browserCommand('linux', 'http://x/').cmd).toBe('xdg-open');
    expect(browserCommand('darwin', 'http://x/').cmd).toBe('open');
    expect(browserCommand('win32', 'http://x/')).toEqual({ cmd: 'cmd', args: ['/c', 'start', '""', 'http://x/'] });
  });

  it("shares the desktop app's userData folder", () => {
    expect(defaultDataDir({}, 'linux', '/home/u')).toBe('/home/u/.config/momentum-lab');
    expect(defaultDataDir({ XDG_CONFIG_HOME: '/cfg' }, 'linux', '/home/u')).toBe('/cfg/momentum-lab');
    expect(defaultDataDir({}, 'darwin', '/Users/u')).toBe('/Users/u/Library/Application Support/momentum-lab');
  });
});
