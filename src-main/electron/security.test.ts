import { describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY, isAllowedExternalUrl, isAppUrl } from './security';

// The window's webPreferences are checked through the factory that uses them (windowOptions, hardening.test.ts).

describe('the content security policy', () => {
  it('allows no eval and no inline script', () => {
    const script = CONTENT_SECURITY_POLICY.split(';').find((d) => d.trim().startsWith('script-src'));
    expect(script?.trim()).toBe("script-src 'self'");
    expect(CONTENT_SECURITY_POLICY).not.toContain('unsafe-eval');
    expect(CONTENT_SECURITY_POLICY).toContain("object-src 'none'");
  });
});

describe('navigation checks parse URLs instead of matching prefixes', () => {
  const cases: [url: string, devServer: string | undefined, ok: boolean][] = [
    ['app://lab/index.html', undefined, true],
    ['app://lab.evil.com/index.html', undefined, false],
    ['app://evil/index.html', undefined, false],
    ['https://lab/', undefined, false],
    ['file:///etc/passwd', undefined, false],
    ['not a url', undefined, false],
    // The dev server's origin when one is given, and nothing that merely starts like it.
    ['http://localhost:5173/x', 'http://localhost:5173', true],
    ['http://localhost:5173.evil.com/', 'http://localhost:5173', false],
    ['http://localhost:5174/', 'http://localhost:5173', false],
  ];
  it('accept the lab origin, and the dev server origin when one is given', () => {
    for (const [url, dev, ok] of cases) expect(isAppUrl(url, dev), `${url} (dev server ${dev})`).toBe(ok);
  });
  it('opens only allowlisted https links externally', () => {
    expect(isAllowedExternalUrl('https://distill.pub/2017/momentum/')).toBe(true);
    expect(isAllowedExternalUrl('http://distill.pub/')).toBe(false);
    expect(isAllowedExternalUrl('https://distill.pub.evil.com/')).toBe(false);
    expect(isAllowedExternalUrl('https://user:pw@github.com/')).toBe(false);
    expect(isAllowedExternalUrl('javascript:alert(1)')).toBe(false);
  });
});
