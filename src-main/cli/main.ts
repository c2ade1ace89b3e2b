import { LabError } from '../../src-core/contracts/lab-error';
import { printable } from '../../src-core/contracts/text-rules';
import { processIo, type CliIo, type Command } from './cli-io';
import { trainCommand, TRAIN_HELP } from './train';
import { simulateCommand, SIMULATE_HELP } from './simulate';
import { sessionsCommand, SESSIONS_HELP } from './sessions';
import { serveCommand, SERVE_HELP } from './serve';
import { assignmentCommand, ASSIGNMENT_HELP } from './assignment';

// The dispatcher: `momentum-lab <command> [options]`. Each command lives in its
// own file and registers one line here.

const COMMANDS: Record<string, { run: Command; summary: string; help: string }> = {
  train: { run: trainCommand, summary: 'train the MLP on MNIST (or --data DIR) headless', help: TRAIN_HELP },
  simulate: { run: simulateCommand, summary: 'run the momentum simulator on a 1-D or 2-D objective', help: SIMULATE_HELP },
  serve: { run: serveCommand, summary: 'run the lab in your browser (a local server; no Electron needed)', help: SERVE_HELP },
  assignment: { run: assignmentCommand, summary: "the assignment's simulations: presets, run them all, their report", help: ASSIGNMENT_HELP },
  sessions: { run: sessionsCommand, summary: 'list, show, export, import saved experiment sessions (--db PATH)', help: SESSIONS_HELP },
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
    io.out(command.help);
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
