import { z } from 'zod';
import { LabError } from './lab-error';

// The rules for text the lab stores and shows — session, run and simulation
// names and notes — and the one way such text is printed on a terminal. The
// same schemas check the app's forms and IPC payloads, the CLI's --session,
// and every row an imported file or a database hands back (row-schema.ts).

/**
 * Characters that are never part of a name: C0 controls (incl. ESC, which
 * starts terminal escape sequences, and newlines that fake lines), DEL, C1
 * controls (U+009B is a one-byte CSI), the Unicode line/paragraph separators
 * and the bidirectional overrides and isolates (text that reads differently
 * from what it is).
 */
export const CONTROL_CHARS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/u;
/** The same, minus tab, newline and carriage return: notes and messages may span lines. */
const CONTROL_CHARS_BUT_LINES =
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/u;

export const MAX_NAME_LENGTH = 200;
export const MAX_NOTES_LENGTH = 20_000;

const noControl = (s: string) => !CONTROL_CHARS.test(s);
const noControlButLines = (s: string) => !CONTROL_CHARS_BUT_LINES.test(s);

/** A name as the user types it: trimmed, 1..200 characters, no control characters. */
export const nameSchema = z
  .string({ error: 'must be text' })
  .trim()
  .min(1, { error: 'must not be empty' })
  .max(MAX_NAME_LENGTH, { error: `must be at most ${MAX_NAME_LENGTH} characters` })
  .refine(noControl, {
    error: 'must not contain control characters (newlines, escape sequences, direction overrides)',
  });

/** Free text (notes, an end message): at most 20,000 characters; lines and tabs allowed, other control characters not. */
export const notesSchema = z
  .string({ error: 'must be text' })
  .max(MAX_NOTES_LENGTH, { error: `must be at most ${MAX_NOTES_LENGTH} characters` })
  .refine(noControlButLines, { error: 'must not contain control characters other than tab and newline' });

/** A name given on the command line (--session): the app's rules, or LabError('invalid-input') saying which. */
export function sessionNameFlag(value: string, flag = '--session'): string {
  const r = nameSchema.safeParse(value);
  if (!r.success)
    throw new LabError(
      'invalid-input',
      `${flag} ${r.error.issues[0].message} (got ${JSON.stringify(printable(value.slice(0, 60)))})`,
    );
  return r.data;
}

/** Why `name` breaks the name rules, or null when it keeps them. */
export function nameProblem(name: string): string | null {
  const r = nameSchema.safeParse(name);
  return r.success ? null : r.error.issues[0].message;
}

const ESCAPES: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t', '\\': '\\\\' };

/**
 * Text for a terminal: every control character (as CONTROL_CHARS), and the
 * backslash, written as a visible escape (`\n`, `\x1b`, `\u202e`), so stored
 * text can neither run terminal escape sequences nor fake lines of output.
 */
export function printable(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069\\]/gu, (c) => {
    if (ESCAPES[c]) return ESCAPES[c];
    const code = c.codePointAt(0)!;
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/** A template tag for terminal output: every interpolated value goes through printable(); the template's own text (its newlines) stays. */
export function printed(strings: TemplateStringsArray, ...values: unknown[]): string {
  let out = strings[0];
  values.forEach((v, i) => {
    out += printable(String(v)) + strings[i + 1];
  });
  return out;
}

/** JSON for a terminal: JSON.stringify already escapes C0 controls; this also escapes C1 controls, separators and direction overrides (still valid JSON). */
export function printableJson(json: string): string {
  return json.replace(
    /[\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/gu,
    (c) => `\\u${c.codePointAt(0)!.toString(16).padStart(4, '0')}`,
  );
}
