import { isAppCommand } from '../../src-core/contracts/app-command';
import { runCommand } from './command-registry';
import { onLabEvent } from './lab';
import { commandForKey, shouldIgnore } from './shortcuts';

// The two ways a command reaches the page besides its buttons: the
// application menu (the LabEvent 'command', pushed by the main process, or
// through the server in the browser mode and the e2e harness) and the
// keyboard shortcuts, pressed anywhere in the window. Both go to runCommand,
// which knows who serves the command now and whether it can run.

/** Start listening; returns the function that stops it. */
export function listenForCommands(): () => void {
  const offMenu = onLabEvent((event) => {
    if (event.channel === 'command' && isAppCommand(event.command)) runCommand(event.command, 'menu');
  });
  const onKeydown = (e: KeyboardEvent) => {
    const command = commandForKey(e);
    if (!command || shouldIgnore(e, command)) return;
    // Escape stays usable by the page too (closing popups, clearing a crosshair).
    if (command.type !== 'run.cancel') e.preventDefault();
    runCommand(command, 'keyboard');
  };
  window.addEventListener('keydown', onKeydown);
  return () => {
    offMenu();
    window.removeEventListener('keydown', onKeydown);
  };
}
