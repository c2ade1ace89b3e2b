import { LabError } from '../../src-core/contracts/lab-error';
import { parseDecimal } from '../../src-core/contracts/parse-decimal';
import type { CommandSpec, OptionTable } from './cli-options';

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

/** What a command's module exports for the dispatcher (main.ts loads it only when the command is asked for). */
export interface CommandModule {
  command: { run: Command; spec: CommandSpec<OptionTable> };
}

/**
 * A number flag in decimal notation ("64", "1e-3", "0.5"; not "", "abc", "1x", "0x10", "0b101", "NaN"):
 * parseDecimal, the parser the renderer's forms use too. Ranges are the schema's job.
 */
export function numberFlag(name: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const r = parseDecimal(raw);
  if (!r.ok) throw new LabError('invalid-input', `--${name}: ${r.reason}`);
  return r.value;
}
