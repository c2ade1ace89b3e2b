import { LAB_CHANNELS, type LabApi, type LabBridge, type LabEvent } from '../../src-core/contracts/lab-api';
import { LabError } from '../../src-core/contracts/lab-error';

// The renderer's view of the lab: window.lab (put there by the preload, or by
// the e2e bridge) answers every call with a LabResult; this module unwraps it
// and throws a LabError on failure, so views can simply await and catch.

declare global {
  interface Window {
    lab: LabBridge;
  }
}

function bridge(): LabBridge {
  const b = window.lab;
  if (!b) throw new Error('window.lab is missing: the preload did not run');
  return b;
}

function unwrap(channel: string) {
  return async (...args: unknown[]) => {
    const call = bridge()[channel as keyof LabBridge] as (
      ...a: unknown[]
    ) => Promise<import('../../src-core/contracts/lab-api').LabResult<unknown>>;
    const result = await call(...args);
    if (result.ok) return result.value;
    throw new LabError(result.error.code, result.error.message);
  };
}

export const lab: LabApi = Object.fromEntries(LAB_CHANNELS.map((c) => [c, unwrap(c)])) as unknown as LabApi;

/** Subscribe to events pushed by the main process; returns the unsubscribe function. */
export function onLabEvent(listener: (event: LabEvent) => void): () => void {
  return bridge().onEvent(listener);
}
