import { describe, expect, it } from 'vitest';
import { LabError } from '../../src-core/contracts/lab-error';
import { SIM_OPTIMIZERS } from '../../src-core/contracts/sim-config';
import { OPTIMIZERS } from '../../src-core/contracts/train-config';
import { helpText, parseCommand } from './cli-options';
import { COMMANDS } from './main';

// Item 14: every command's help is generated from the option table its parser reads, so the two cannot disagree.

// Each command's module, as the dispatcher loads it.
const LOADED = await Promise.all(
  Object.entries(COMMANDS).map(async ([name, entry]) => [name, (await entry.load()).command] as const),
);

describe('the option tables', () => {
  for (const [name, command] of LOADED) {
    it(`${name}: the help names exactly the flags the parser takes, each once, in the table's order`, () => {
      const help = helpText(command.spec);
      const listed = [...help.matchAll(/^ {2}--([a-z0-9-]+)/gm)].map((m) => m[1]);
      expect(listed).toEqual([...Object.keys(command.spec.options), 'help']);
      for (const [flag, o] of Object.entries(command.spec.options)) {
        const argv = o.type === 'string' ? [`--${flag}`, '1'] : [`--${flag}`];
        expect(parseCommand(argv, command.spec).values[flag], flag).toEqual(
          o.multiple ? ['1'] : o.type === 'string' ? '1' : true,
        );
      }
      // Options and their help stay within 80 columns (usage lines may be longer).
      const optionLines = help.slice(help.indexOf('Options (defaults in brackets):')).split('\n');
      expect(optionLines.filter((l) => l.length > 80 && l.startsWith(' '))).toEqual([]);
    });
  }

  it('refuses an unknown flag, a flag without its value and an extra argument with one-line invalid-input errors', async () => {
    const spec = (await COMMANDS.figure.load()).command.spec;
    for (const [argv, pattern] of [
      [['S', '--nope'], /Unknown option '--nope'/],
      [['S', '--out'], /--out/],
      [['S', 'T'], /unexpected argument "T"/],
    ] as const) {
      let error: unknown = null;
      try {
        parseCommand([...argv], spec);
      } catch (err) {
        error = err;
      }
      expect(error).toBeInstanceOf(LabError);
      expect((error as LabError).code).toBe('invalid-input');
      expect((error as LabError).message).toMatch(pattern);
      expect((error as LabError).message).not.toContain('\n');
    }
  });

  it('simulate and train list exactly the optimizers their contracts accept, heavy-ball by default', () => {
    const line = (cmd: string) => {
      const spec = LOADED.find(([n]) => n === cmd)?.[1].spec;
      if (!spec) throw new Error(`no ${cmd} command`);
      return helpText(spec)
        .split('\n')
        .find((l) => l.startsWith('  --optimizer NAME'));
    };
    expect(line('simulate')).toBe(`  --optimizer NAME    ${SIM_OPTIMIZERS.join(' | ')} [heavy-ball]`);
    expect(line('train')).toBe(`  --optimizer NAME    ${OPTIMIZERS.join(' | ')} [heavy-ball]`);
    expect(line('simulate')).toContain('gd | heavy-ball | nesterov | adam');
  });
});
