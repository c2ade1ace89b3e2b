import { LabError } from '../../src-core/contracts/lab-error';
import { printable } from '../../src-core/contracts/text-rules';
import { processIo, type CliIo, type Command } from './cli-io';
import { helpText, type CommandSpec, type OptionTable } from './cli-options';
import { trainCommand, TRAIN_SPEC } from './train';
import { simulateCommand, SIMULATE_SPEC } from './simulate';
import { sessionsCommand, SESSIONS_SPEC } from './sessions';
import { serveCommand, SERVE_SPEC } from './serve';
import { studyCommand, STUDY_SPEC } from './study';
import { figureCommand, FIGURE_SPEC } from './figure';
import { assignmentCommand, ASSIGNMENT_SPEC } from './assignment';

// The dispatcher: `momentum-lab <command> [options]`. Each command lives in its
// own file and registers one line here.

/** Every command: its runner, its one-line summary and its option table (the parser's and the help's). */
export const COMMANDS: Record<string, { run: Command; summary: string; spec: CommandSpec<OptionTable> }> = {
  train: { run: trainCommand, summary: 'train the MLP on MNIST (or --data DIR) headless', spec: TRAIN_SPEC },
  simulate: {
    run: simulateCommand,
    summary: 'run the momentum simulator on a 1-D or 2-D objective',
    spec: SIMULATE_SPEC,
  },
  serve: {
    run: serveCommand,
    summary: 'run the lab in your browser (a local server; no Electron needed)',
    spec: SERVE_SPEC,
  },
  study: {
    run: studyCommand,
    summary: "run one of the app's studies (learning rate, batch size, ...) into a session",
    spec: STUDY_SPEC,
  },
  figure: {
    run: figureCommand,
    summary: "draw Compare's chart of recorded runs as an SVG or PNG file",
    spec: FIGURE_SPEC,
  },
  sessions: {
    run: sessionsCommand,
    summary: 'list, show, export, import saved experiment sessions (--db PATH)',
    spec: SESSIONS_SPEC,
  },
  assignment: {
    run: assignmentCommand,
    summary: "the assignment's simulations: presets, run them all, their report",
    spec: ASSIGNMENT_SPEC,
  },
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
  const command = COMMANDS[name];
  if (!command) {
    io.err(`momentum-lab: unknown command "${printable(name)}" (try --help)\n`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(helpText(command.spec));
    return 0;
  }
  try {
    return await command.run(rest, io);
  } catch (err) {
    const message = err instanceof LabError || err instanceof Error ? err.message : String(err);
    // One line, whatever the message holds: names from a database are printed with their control characters escaped.
    io.err(`momentum-lab ${printable(name)}: ${printable(message)}\n`);
    return err instanceof LabError && err.code === 'invalid-input' ? 2 : 1;
  }
}
