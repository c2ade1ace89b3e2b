import type { AppCommand } from '../../src-core/contracts/app-command';
import { SHORTCUTS, acceleratorFor } from '../../src-core/contracts/commands';

// Keyboard shortcuts in the page: the same table the application menu shows
// (src-core/contracts/commands.ts), matched against key presses, and spelled
// for tooltips (title) and for assistive technology (aria-keyshortcuts).

export interface KeyLike {
  key: string;
  code?: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  shiftKey: boolean;
}

interface Chord {
  key: string;
  ctrl: boolean;
  meta: boolean;
  alt: boolean;
  shift: boolean;
}

export function isMacPlatform(): boolean {
  return typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);
}

const KEY_NAMES: Record<string, string> = {
  enter: 'Enter',
  return: 'Enter',
  escape: 'Escape',
  esc: 'Escape',
  plus: '+',
  space: ' ',
};

/** An Electron accelerator ("CmdOrCtrl+Shift+E") as the chord it means here. */
export function parseAccelerator(accelerator: string, mac: boolean): Chord {
  const parts = accelerator.split(/\+(?!$)/);
  const raw = parts.pop() ?? '';
  const chord: Chord = {
    key: KEY_NAMES[raw.toLowerCase()] ?? (raw.length === 1 ? raw.toLowerCase() : raw),
    ctrl: false,
    meta: false,
    alt: false,
    shift: false,
  };
  for (const p of parts.map((s) => s.toLowerCase())) {
    if (p === 'cmdorctrl' || p === 'commandorcontrol') chord[mac ? 'meta' : 'ctrl'] = true;
    else if (p === 'cmd' || p === 'command' || p === 'meta' || p === 'super') chord.meta = true;
    else if (p === 'ctrl' || p === 'control') chord.ctrl = true;
    else if (p === 'alt' || p === 'option') chord.alt = true;
    else if (p === 'shift') chord.shift = true;
    else throw new RangeError(`unknown modifier ${p} in ${accelerator}`);
  }
  return chord;
}

function keyOf(e: KeyLike): string {
  // Digits by their physical key, so Ctrl+1 works on layouts where 1 needs Shift.
  const digit = /^(?:Digit|Numpad)(\d)$/.exec(e.code ?? '');
  if (digit) return digit[1];
  return e.key.length === 1 ? e.key.toLowerCase() : e.key;
}

function matches(chord: Chord, e: KeyLike): boolean {
  return (
    keyOf(e) === chord.key &&
    e.ctrlKey === chord.ctrl &&
    e.metaKey === chord.meta &&
    e.altKey === chord.alt &&
    e.shiftKey === chord.shift
  );
}

/** The command a key press means, if any. */
export function commandForKey(e: KeyLike, mac: boolean = isMacPlatform()): AppCommand | null {
  for (const s of SHORTCUTS) if (matches(parseAccelerator(s.accelerator, mac), e)) return s.command;
  return null;
}

const MAC_GLYPHS = { ctrl: '⌃', alt: '⌥', shift: '⇧', meta: '⌘' } as const;
const display = (key: string) =>
  key === ' '
    ? 'Space'
    : key === 'Enter'
      ? 'Enter'
      : key === 'Escape'
        ? 'Esc'
        : key.length === 1
          ? key.toUpperCase()
          : key;

/** How people read it: "Ctrl+Shift+E" (Linux, Windows) or "⇧⌘E" (macOS). */
export function displayAccelerator(accelerator: string, mac: boolean = isMacPlatform()): string {
  const c = parseAccelerator(accelerator, mac);
  if (mac)
    return `${c.ctrl ? MAC_GLYPHS.ctrl : ''}${c.alt ? MAC_GLYPHS.alt : ''}${c.shift ? MAC_GLYPHS.shift : ''}${c.meta ? MAC_GLYPHS.meta : ''}${display(c.key)}`;
  return [c.ctrl && 'Ctrl', c.alt && 'Alt', c.shift && 'Shift', c.meta && 'Super', display(c.key)]
    .filter(Boolean)
    .join('+');
}

/** The aria-keyshortcuts spelling: "Control+Shift+E", "Meta+Enter". */
export function ariaAccelerator(accelerator: string, mac: boolean = isMacPlatform()): string {
  const c = parseAccelerator(accelerator, mac);
  const key = c.key === ' ' ? 'Space' : c.key.length === 1 ? c.key.toUpperCase() : c.key;
  return [c.ctrl && 'Control', c.alt && 'Alt', c.shift && 'Shift', c.meta && 'Meta', key].filter(Boolean).join('+');
}

/** title and aria-keyshortcuts for a control that runs a command: "Train (Ctrl+Enter)". */
export function shortcutHint(
  label: string,
  command: AppCommand,
  mac: boolean = isMacPlatform(),
): { title: string; 'aria-keyshortcuts'?: string } {
  const acc = acceleratorFor(command);
  if (!acc) return { title: label };
  return { title: `${label} (${displayAccelerator(acc, mac)})`, 'aria-keyshortcuts': ariaAccelerator(acc, mac) };
}

/** Keys a page element may want for itself: typing in a field, or Escape in an open dialog. */
export function shouldIgnore(e: KeyboardEvent, command: AppCommand): boolean {
  if (e.defaultPrevented || e.isComposing) return true;
  if (command.type === 'run.cancel' && typeof document !== 'undefined' && document.querySelector('dialog[open]'))
    return true;
  return false;
}
