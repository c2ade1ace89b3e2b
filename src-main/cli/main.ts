import { LabError } from '../../src-core/contracts/lab-error';
import { processIo, type CliIo, type CommandModule } from './cli-io';
import { helpText } from './cli-options';

// The dispatcher: `momentum-lab <command> [options]`. Each command lives in its
// own file and registers one line here. A command's module (and all it imports:
// zod schemas, better-sqlite3, d3, resvg, …) is loaded only when that command
// runs or prints its help, so `momentum-lab --help` and a light command start fast.

type Entry = { summary: string; load: () => Promise<CommandModule> };
const entry = (summary: string, load: Entry['load']): Entry => ({ summary, load });

/** Every command: its one-line summary, and its module (the runner and the option table, the parser's and the help's). */
export const COMMANDS: Record<string, Entry> = {
  train: entry('train the MLP on MNIST (or --data DIR) headless', () => import('./train')),
  simulate: entry('run the momentum simulator on a 1-D or 2-D objective', () => import('./simulate')),
  serve: entry('run the lab in your browser (a local server; no Electron needed)', () => import('./serve')),
  study: entry("run one of the app's studies (learning rate, batch size, ...) into a session", () => import('./study')),
  figure: entry("draw Compare's chart of recorded runs as an SVG or PNG file", () => import('./figure')),
  sessions: entry('list, show, export, import saved experiment sessions (--db PATH)', () => import('./sessions')),
  assignment: entry("the assignment's simulations: presets, run them all, their report", () => import('./assignment')),
};

function usage(): string {
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(10)} ${c.summary}`);
  return `Momentum Lab, headless.\n\nUsage: momentum-lab <command> [options]\n\nCommands:\n${lines.join('\n')}\n\nRun "momentum-lab <command> --help" for a command's options.\n`;
}

export async function main(argv: string[], io: CliIo = processIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.out(usage());
    return name === undefined ? 2 : 0;
  }
  const found = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!found) {
    const { printable } = await import('../../src-core/contracts/text-rules');
    io.err(`momentum-lab: unknown command "${printable(name)}" (try --help)\n`);
    return 2;
  }
  const { command } = await found.load();
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(helpText(command.spec));
    return 0;
  }
  try {
    return await command.run(rest, io);
  } catch (err) {
    const message = err instanceof LabError || err instanceof Error ? err.message : String(err);
    // One line, whatever the message holds: names from a database are printed with their control characters escaped.
    const { printable } = await import('../../src-core/contracts/text-rules'); // its zod schemas load only here
    io.err(`momentum-lab ${printable(name)}: ${printable(message)}\n`);
    return err instanceof LabError && err.code === 'invalid-input' ? 2 : 1;
  }
}
