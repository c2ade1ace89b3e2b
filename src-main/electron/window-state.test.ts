import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AppStateFile, DEFAULT_WINDOW, parseAppState, restoreBounds, writeFileAtomic } from './window-state';

const laptop = { workArea: { x: 0, y: 0, width: 1920, height: 1050 } };
const rightMonitor = { workArea: { x: 1920, y: 0, width: 2560, height: 1400 } };

describe('restoring the window bounds', () => {
  it.each([
    ['keeps saved bounds that fit on a display', { x: 100, y: 80, width: 1200, height: 800 }, [laptop]],
    [
      'keeps a window on a second monitor when that monitor is still there',
      { x: 2100, y: 50, width: 1400, height: 900 },
      [laptop, rightMonitor],
    ],
  ])('%s', (_what, saved, displays) => {
    expect(restoreBounds(saved, displays)).toEqual({ ...saved });
  });
  it('centres the default size on the primary display when the saved monitor is gone', () => {
    const b = restoreBounds({ x: 2100, y: 50, width: 1400, height: 900 }, [laptop]);
    expect(b).toEqual({
      x: (1920 - DEFAULT_WINDOW.width) / 2,
      y: Math.round((1050 - DEFAULT_WINDOW.height) / 2),
      width: DEFAULT_WINDOW.width,
      height: DEFAULT_WINDOW.height,
    });
  });
  it.each([
    ['shrinks a window larger than the work area and moves it inside', [50, 10, 3000, 2000], [0, 0, 1920, 1050]],
    ['pulls back a window hanging off the right edge', [1800, 100, 1000, 700], [920, 100, 1000, 700]],
  ])('%s (on the laptop: x, y, width, height %j become %j)', (_what, [x, y, width, height], [ex, ey, ew, eh]) => {
    expect(restoreBounds({ x, y, width, height }, [laptop])).toEqual({ x: ex, y: ey, width: ew, height: eh });
  });
  it('refuses a window whose title bar is above every display', () => {
    const b = restoreBounds({ x: 100, y: -500, width: 1000, height: 400 }, [laptop]);
    expect(b.y).toBeGreaterThanOrEqual(0);
    expect(b.width).toBe(DEFAULT_WINDOW.width);
  });
  it('never makes a window smaller than the minimum unless the display is smaller', () => {
    expect(restoreBounds({ x: 0, y: 0, width: 200, height: 100 }, [laptop])).toMatchObject({ width: 800, height: 560 });
    expect(
      restoreBounds({ x: 0, y: 0, width: 200, height: 100 }, [{ workArea: { x: 0, y: 0, width: 640, height: 480 } }]),
    ).toMatchObject({ width: 640, height: 480 });
  });
  it('uses the default size when nothing was saved', () => {
    expect(restoreBounds(null, [laptop])).toMatchObject({ width: DEFAULT_WINDOW.width, height: DEFAULT_WINDOW.height });
    expect(restoreBounds(null, [])).toEqual({ ...DEFAULT_WINDOW });
  });
});

describe('parsing the saved state', () => {
  it('falls back to defaults for a missing, empty or corrupt file', () => {
    for (const text of [null, '', '{', 'null', '[]', '42']) {
      expect(parseAppState(text)).toEqual({
        version: 1,
        window: { bounds: null, maximized: false },
        lastView: null,
        recentClearedAt: 0,
      });
    }
  });
  it('keeps the good fields and drops the bad ones, field by field', () => {
    const s = parseAppState(
      JSON.stringify({
        window: { bounds: { x: 1, y: 2, width: 'wide', height: 3 }, maximized: true },
        lastView: 'momentum',
      }),
    );
    expect(s.window).toEqual({ bounds: null, maximized: true });
    expect(s.lastView).toBe('momentum');
  });
  it('ignores a last view the app does not have', () => {
    expect(parseAppState(JSON.stringify({ lastView: 'settings' })).lastView).toBeNull();
  });
});

describe('the state file', () => {
  it('is written atomically and read back at the next start', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mlab-state-'));
    const path = join(dir, 'nested', 'window-state.json');
    const a = new AppStateFile(path);
    let heard = 0;
    a.onChange(() => heard++);
    a.update((s) => ({
      ...s,
      lastView: 'compare',
      window: { bounds: { x: 5, y: 6, width: 900, height: 700 }, maximized: false },
    }));
    expect(heard).toBe(1);
    expect(readdirSync(join(dir, 'nested'))).toEqual(['window-state.json']);
    const b = new AppStateFile(path);
    expect(b.state.lastView).toBe('compare');
    expect(b.state.window.bounds).toEqual({ x: 5, y: 6, width: 900, height: 700 });
  });
  it('replaces the old content whole', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mlab-atomic-'));
    const path = join(dir, 'f.json');
    writeFileSync(path, 'x'.repeat(1000));
    writeFileAtomic(path, '{"a":1}');
    expect(readFileSync(path, 'utf8')).toBe('{"a":1}');
    expect(readdirSync(dir)).toEqual(['f.json']);
  });
});
