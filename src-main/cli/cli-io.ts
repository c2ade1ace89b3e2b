import { parseArgs, type ParseArgsConfig } from 'node:util';
import { LabError } from '../../src-core/contracts/lab-error';

/** Where a command writes: stdout for results, stderr for progress and errors. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
}

export const processIo: CliIo = {
  out: (t) => process.stdout.write(t),
  err: (t) => process.stderr.write(t),
};

/** A subcommand: gets its own arguments, returns the exit code. */
export type Command = (argv: string[], io: CliIo) => Promise<number>;

/** node:util parseArgs with its errors turned into one-line LabErrors. */
export function parseFlags<T extends ParseArgsConfig['options']>(argv: string[], options: T) {
  try {
    return parseArgs({ args: argv, options, strict: true, allowPositionals: false });
  } catch (err) {
    throw new LabError('invalid-input', (err as Error).message.split('\n')[0]);
  }
}

/** A number flag: the whole string must be a number ("1e-3", "0.5"; not "", "abc", "1x"). */
export function numberFlag(name: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const trimmed = raw.trim();
  const value = trimmed === '' ? NaN : Number(trimmed);
  if (Number.isNaN(value) && trimmed.toLowerCase() !== 'nan') {
    throw new LabError('invalid-input', `--${name}: "${raw}" is not a number`);
  }
  return value; // NaN and Infinity pass through so the schema names the rule they break
}
