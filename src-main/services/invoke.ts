import { LAB_CHANNELS, type LabApi, type LabChannel, type LabResult } from '../../src-core/contracts/lab-api';
import { LabError, toLabErrorData } from '../../src-core/contracts/lab-error';
import { sqliteError } from '../../src-core/node/store/open-db';
import type { ServicesOf } from './service-context';

const CHANNELS: ReadonlySet<string> = new Set(LAB_CHANNELS);

export function isLabChannel(name: unknown): name is LabChannel {
  return typeof name === 'string' && CHANNELS.has(name);
}

/**
 * Call one service by channel name with an untrusted payload and always
 * answer with a LabResult: never throws, whatever the payload. The IPC
 * wiring and the local server's socket both go through here.
 */
export async function invokeService(
  services: ServicesOf<LabApi>,
  channel: unknown,
  payload: unknown,
): Promise<LabResult<unknown>> {
  try {
    if (!isLabChannel(channel)) {
      const shown = typeof channel === 'string' ? JSON.stringify(channel).slice(0, 80) : `(${typeof channel})`;
      throw new LabError('invalid-input', `unknown channel ${shown}`);
    }
    const handler = services[channel] as (p: unknown) => Promise<unknown>;
    const value = await handler(payload);
    return { ok: true, value };
  } catch (err) {
    // A SQLite error a service did not translate still gets its code (busy, disk-full, ...), not 'internal'.
    const code = (err as { code?: unknown } | null)?.code;
    const mapped = typeof code === 'string' && code.startsWith('SQLITE_') ? sqliteError(err, String(channel)) : err;
    return { ok: false, error: toLabErrorData(mapped) };
  }
}
