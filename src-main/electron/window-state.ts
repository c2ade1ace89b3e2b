import { readFileSync } from 'node:fs';
import { APP_VIEW_IDS, type AppViewId } from '../../src-core/contracts/app-command';
import type { DesktopState } from '../../src-core/contracts/api-desktop';
import type { DesktopStateStore } from '../services/desktop/desktop';
import { writeFileAtomic } from '../services/shared/atomic-file';

export { writeFileAtomic };

// What the lab remembers between starts: window size and position, whether
// it was maximised, and the last view.
// A small JSON file in userData, parsed tolerantly (a bad file means
// defaults, never a crash) and written atomically (temp file, fsync, rename).
// Pure functions first; the file store at the end. No Electron import.

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** What the window needs to know of a display (Electron's Display has more). */
export interface DisplayArea {
  workArea: Rect;
}

export interface AppState {
  version: 1;
  window: { bounds: Rect | null; maximized: boolean };
  lastView: AppViewId | null;
  /** Unix ms of the last Clear Recent: Open Recent lists sessions updated after it. */
  recentClearedAt: number;
}

export const DEFAULT_WINDOW = { width: 1280, height: 860 } as const;
export const MIN_WINDOW = { width: 800, height: 560 } as const;
/** A restored window must show at least this much of its title bar on some display. */
const MIN_VISIBLE = 64;

export function defaultAppState(): AppState {
  return { version: 1, window: { bounds: null, maximized: false }, lastView: null, recentClearedAt: 0 };
}

const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && Math.abs(v) < 1e6;

function parseRect(v: unknown): Rect | null {
  if (!v || typeof v !== 'object') return null;
  const r = v as Record<string, unknown>;
  if (!isInt(r['x']) || !isInt(r['y']) || !isInt(r['width']) || !isInt(r['height'])) return null;
  if (r['width'] <= 0 || r['height'] <= 0) return null;
  return { x: r['x'], y: r['y'], width: r['width'], height: r['height'] };
}

/** Parse the saved JSON; anything missing or malformed falls back to its default, field by field. */
export function parseAppState(text: string | null | undefined): AppState {
  const state = defaultAppState();
  if (!text) return state;
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return state;
  }
  if (!raw || typeof raw !== 'object') return state;
  const o = raw as Record<string, unknown>;
  const win = o['window'] && typeof o['window'] === 'object' ? (o['window'] as Record<string, unknown>) : {};
  state.window = { bounds: parseRect(win['bounds']), maximized: win['maximized'] === true };
  if ((APP_VIEW_IDS as readonly unknown[]).includes(o['lastView'])) state.lastView = o['lastView'] as AppViewId;
  if (typeof o['recentClearedAt'] === 'number' && Number.isFinite(o['recentClearedAt']) && o['recentClearedAt'] >= 0)
    state.recentClearedAt = o['recentClearedAt'];
  return state;
}

function overlap(a: Rect, b: Rect): { w: number; h: number } {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return { w: Math.max(0, w), h: Math.max(0, h) };
}

const clamp = (v: number, lo: number, hi: number) => Math.min(Math.max(v, lo), hi);

/**
 * Where to open the window: the saved bounds if their title bar is visible on
 * one of the displays (resized to fit that display's work area and moved
 * inside it), otherwise the default size centred on the first (primary)
 * display. With no displays at all: the saved or default size, position left
 * to the window manager.
 */
export function restoreBounds(
  saved: Rect | null,
  displays: readonly DisplayArea[],
): { x?: number; y?: number; width: number; height: number } {
  const primary = displays[0]?.workArea;
  const fit = (width: number, height: number, area: Rect) => ({
    width: clamp(width, Math.min(MIN_WINDOW.width, area.width), area.width),
    height: clamp(height, Math.min(MIN_WINDOW.height, area.height), area.height),
  });
  if (saved) {
    const titleBar: Rect = { x: saved.x, y: saved.y, width: saved.width, height: 32 };
    const host = displays
      .map((d) => ({ area: d.workArea, o: overlap(titleBar, d.workArea) }))
      .filter(({ o }) => o.w >= MIN_VISIBLE && o.h > 0)
      .sort((a, b) => b.o.w * b.o.h - a.o.w * a.o.h)[0];
    if (host) {
      const { width, height } = fit(saved.width, saved.height, host.area);
      return {
        x: clamp(saved.x, host.area.x, host.area.x + host.area.width - width),
        y: clamp(saved.y, host.area.y, host.area.y + host.area.height - height),
        width,
        height,
      };
    }
  }
  if (!primary) return saved ? { width: saved.width, height: saved.height } : { ...DEFAULT_WINDOW };
  const { width, height } = fit(DEFAULT_WINDOW.width, DEFAULT_WINDOW.height, primary);
  return {
    x: primary.x + Math.round((primary.width - width) / 2),
    y: primary.y + Math.round((primary.height - height) / 2),
    width,
    height,
  };
}

/** The app state in a JSON file: read once, written atomically on every change. */
export class AppStateFile implements DesktopStateStore {
  #path: string;
  #state: AppState;
  #listeners = new Set<(s: AppState) => void>();

  constructor(path: string) {
    this.#path = path;
    let text: string | null;
    try {
      text = readFileSync(path, 'utf8');
    } catch {
      text = null;
    }
    this.#state = parseAppState(text);
  }

  get state(): AppState {
    return this.#state;
  }

  /** Change the state and save it; listeners (the menu) hear about it. Save errors are reported, not thrown. */
  update(change: (s: AppState) => AppState): void {
    this.#state = change(this.#state);
    try {
      writeFileAtomic(this.#path, JSON.stringify(this.#state, null, 2));
    } catch (err) {
      console.warn(`momentum-lab: could not save ${this.#path}: ${err instanceof Error ? err.message : String(err)}`);
    }
    for (const l of this.#listeners) l(this.#state);
  }

  /** The part of the state the renderer sees (DesktopStateStore). */
  read(): DesktopState {
    return { lastView: this.#state.lastView };
  }

  patch(change: Partial<DesktopState>): void {
    this.update((s) => ({ ...s, ...change }));
  }

  onChange(listener: (s: AppState) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}
