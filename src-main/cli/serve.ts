import { mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LabError } from '../../src-core/contracts/lab-error';
import { defaultDataDir } from '../server/data-dir';
import { isLoopbackHost } from '../server/auth';
import { startLabServer } from '../server/lab-server';
import { openBrowser } from '../server/open-browser';
import { nodeLauncher } from '../workers/node-launcher';
import { numberFlag, type CliIo } from './cli-io';
import { parseCommand, type CommandSpec, type OptionSpec } from './cli-options';

const SPEC = {
  usage: ['momentum-lab serve [--port P] [--host 127.0.0.1] [--no-open] [--db PATH] [--data DIR] [--allow-remote]'],
  about: `Runs the whole lab in your browser: the same services as the desktop app,
behind a local web server that serves the lab's pages and carries the app's
calls and live events over one WebSocket. Prints the URL (with a one-time
token) and opens it in the system's browser. Stop with Ctrl+C.`,
  options: {
    port: {
      type: 'string',
      arg: 'P',
      help: 'port to listen on (0: any free port)',
      default: '8484, or the next free one',
    },
    host: { type: 'string', arg: 'H', help: 'address to listen on', default: '127.0.0.1, this machine only' },
    'allow-remote': {
      type: 'boolean',
      help: 'required for a --host other than loopback: anyone who has the URL with its token can then use the lab and write files in its data folder',
    },
    'no-open': { type: 'boolean', help: 'do not open a browser (also: MOMENTUM_LAB_NO_OPEN=1)' },
    db: {
      type: 'string',
      arg: 'PATH',
      help: 'the session database',
      default: 'momentum-lab.db in the data folder, the one the desktop app uses',
    },
    data: {
      type: 'string',
      arg: 'DIR',
      help: "the lab's data folder (also MOMENTUM_LAB_DATA): uploaded datasets go to DIR/datasets, exports to DIR/exports",
      default: defaultDataDir().replace(homedir(), '~'),
    },
  },
} satisfies CommandSpec<Record<string, OptionSpec>>;

/** The command for the dispatcher (main.ts): its runner and its option table, the parser's and the help's. */
export const command = { run: serveCommand, spec: SPEC };

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const DEFAULT_PORT = 8484;

async function serveCommand(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseCommand(argv, SPEC);
  const port = numberFlag('port', values.port) ?? DEFAULT_PORT;
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new LabError('invalid-input', `--port: ${values.port} is not a port number (0 to 65535)`);
  const host = values.host ?? '127.0.0.1';
  const allowRemote = values['allow-remote'] ?? false;
  const dataDir = resolve(values.data ?? process.env['MOMENTUM_LAB_DATA'] ?? defaultDataDir());
  mkdirSync(dataDir, { recursive: true });
  const server = await startLabServer({
    rendererDir: join(root, 'out', 'renderer'),
    dataDir,
    launcher: nodeLauncher,
    host,
    port,
    portAttempts: values.port === undefined ? 20 : 0,
    allowRemote,
    labOptions: values.db ? { dbPath: resolve(values.db) } : {},
  });
  if (!isLoopbackHost(host)) {
    io.err(
      `momentum-lab serve: warning: listening on ${host}, not only this machine: anyone who has the URL with its token can train, read your sessions and write files in ${dataDir}\n`,
    );
  }
  io.out(`Momentum Lab is running at ${server.tokenUrl}\n`);
  io.out(
    `  data folder: ${dataDir}\n  sessions:    ${values.db ? resolve(values.db) : join(dataDir, 'momentum-lab.db')}\n`,
  );
  io.out('  Open the URL above in a browser (it carries a one-time token). Stop with Ctrl+C.\n');
  const noDisplay = process.platform === 'linux' && !process.env['DISPLAY'] && !process.env['WAYLAND_DISPLAY'];
  if (values['no-open'] || process.env['MOMENTUM_LAB_NO_OPEN'] === '1') {
    // as asked
  } else if (noDisplay) {
    io.out(
      `  No display here: open the URL in a browser on another machine through an SSH tunnel (ssh -L ${server.port}:127.0.0.1:${server.port} this-host).\n`,
    );
  } else {
    const failed = await openBrowser(server.tokenUrl);
    if (failed) io.err(`momentum-lab serve: could not open a browser (${failed}); open the URL above yourself\n`);
  }
  await new Promise<void>((done) => {
    const stop = () => done();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  io.out('Stopping Momentum Lab (runs in progress are cancelled; what they recorded is saved).\n');
  await server.close();
  return 0;
}
