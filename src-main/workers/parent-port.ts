// The worker side of the channel to the main process. In an Electron utility
// process it is process.parentPort; in a Node child process it is
// process.send / process.on('message'). Worker entries use only this.

export interface ParentPort<In, Out> {
  post(message: Out): void;
  onMessage(listener: (message: In) => void): void;
}

interface ElectronParentPort {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (e: { data: unknown }) => void): void;
}

export function connectToParent<In, Out>(): ParentPort<In, Out> {
  const electronPort = (process as unknown as { parentPort?: ElectronParentPort }).parentPort;
  if (electronPort) {
    return {
      post: (m) => electronPort.postMessage(m),
      onMessage: (l) => electronPort.on('message', (e) => l(e.data as In)),
    };
  }
  if (typeof process.send === 'function') {
    return {
      post: (m) => {
        if (process.connected) process.send!(m as object);
      },
      onMessage: (l) => {
        process.on('message', (m) => l(m as In));
        // The parent went away: nobody will read our results.
        process.on('disconnect', () => process.exit(0));
      },
    };
  }
  throw new Error('worker started without a parent port (run it through a launcher)');
}

/** Resolves on the next turn of the event loop, letting queued messages (e.g. cancel) arrive. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
