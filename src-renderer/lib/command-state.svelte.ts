import type { CommandState } from '../../src-core/contracts/api-desktop';
import { commandState, onRegistryChange } from './command-registry';
import { FrameQueue } from './frame-queue';

// Tells the main process which commands can run now, so the Electron menu
// greys out the others (in the browser mode the server takes it and it goes
// nowhere). The state is read inside an effect, so it is published again
// whenever a registration comes or goes or a view's enabled() reads change
// (a run starts, a form becomes invalid); changes are coalesced to one per
// animation frame, and a state equal to the last one sent is not sent again.

/** Start publishing; returns the function that stops it. */
export function publishCommandState(send: (state: CommandState) => Promise<unknown>): () => void {
  let sent = '';
  const queue = new FrameQueue<CommandState>((states) => {
    const newest = states[states.length - 1];
    const text = JSON.stringify(newest);
    if (text === sent) return;
    sent = text;
    // Not delivered (e.g. the connection is gone): send the next state even if it is the same.
    send(newest).catch(() => (sent = ''));
  });
  return $effect.root(() => {
    let version = $state(0);
    const off = onRegistryChange(() => (version += 1));
    $effect(() => {
      void version;
      queue.push(commandState());
    });
    return off;
  });
}
