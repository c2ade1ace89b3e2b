import { isAbsolute, relative, resolve, sep } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { rendererPath } from './renderer-path';

// app://lab/<path> serves files from the renderer folder only, whatever the path says.

const ROOT = resolve('/opt/momentum-lab/out/renderer');
const inside = (p: string) => {
  const rel = relative(ROOT, p);
  return rel !== '' && !isAbsolute(rel) && rel.split(sep)[0] !== '..';
};

describe('rendererPath', () => {
  it('serves the renderer files and index.html for /', () => {
    expect(rendererPath(ROOT, 'app://lab/')).toBe(resolve(ROOT, 'index.html'));
    expect(rendererPath(ROOT, 'app://lab/assets/index-abc.js')).toBe(resolve(ROOT, 'assets/index-abc.js'));
    expect(rendererPath(ROOT, 'app://lab/assets/a%20b.css')).toBe(resolve(ROOT, 'assets/a b.css'));
  });
  it('refuses other hosts, traversal (plain, encoded, double-encoded, backslashes), NUL bytes and malformed escapes', () => {
    for (const url of [
      'app://evil/index.html',
      'app://lab.evil/index.html',
      'app://lab/%2e%2e/%2e%2e/etc/passwd',
      'app://lab/..%2f..%2f..%2fetc%2fpasswd',
      'app://lab/assets/..%2F..%2F..%2F..%2Fetc%2Fpasswd',
      'app://lab/%2E%2E%5C%2E%2E%5Cwindows',
      'app://lab/index.html%00.png',
      'app://lab/%E0%A4%A',
      'app://lab/%',
      'not a url',
      'app://lab/..%2f',
    ]) {
      const p = rendererPath(ROOT, url);
      if (p !== null) expect(inside(p), `${url} -> ${p}`).toBe(true);
    }
    // The URL parser already resolves %2e%2e segments against the root: /etc/passwd *inside* the folder.
    expect(rendererPath(ROOT, 'app://lab/%2e%2e/%2e%2e/etc/passwd')).toBe(resolve(ROOT, 'etc/passwd'));
    expect(rendererPath(ROOT, 'app://lab/..%2f..%2f..%2fetc%2fpasswd')).toBeNull();
    expect(rendererPath(ROOT, 'app://lab//')).toBeNull();
    expect(rendererPath(ROOT, 'app://lab/%')).toBeNull();
    expect(rendererPath(ROOT, 'app://evil/index.html')).toBeNull();
    expect(rendererPath(ROOT, 'app://lab/index.html%00.png')).toBeNull();
  });
  it('never throws and never leaves the folder (5000 random paths)', () => {
    const segment = fc.oneof(
      fc.constantFrom(
        '..',
        '.',
        '%2e%2e',
        '%2E%2e',
        '..%2f',
        '%2f',
        '%5c',
        '\\',
        '..\\',
        '%00',
        '%',
        '%zz',
        '%c0%ae%c0%ae',
        'assets',
        'index.html',
        '',
        '~',
        '%252e%252e',
      ),
      fc.string({ maxLength: 8 }),
    );
    fc.assert(
      fc.property(
        fc.array(segment, { maxLength: 8 }),
        fc.constantFrom('app://lab/', 'app://LAB/', 'app://lab:1/', 'app://lab//'),
        (segments, base) => {
          const p = rendererPath(ROOT, base + segments.join('/'));
          if (p !== null) expect(inside(p), p).toBe(true);
        },
      ),
      { numRuns: 5000 },
    );
  });
});
