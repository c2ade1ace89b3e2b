import type { IpcMain, WebFrameMain } from 'electron';
import { LAB_CHANNELS, type LabApi } from '../../src-core/contracts/lab-api';
import { invokeService } from '../services/invoke';
import type { ServicesOf } from '../services/service-context';

export const IPC_PREFIX = 'lab:';
export const EVENT_CHANNEL = 'lab:event';

/**
 * The thin wiring: one ipcMain.handle per channel, each checking that the
 * sender is the lab's own top frame before handing the payload to the
 * services table (which validates it).
 */
export function wireIpc(ipcMain: IpcMain, services: ServicesOf<LabApi>, isTrustedFrame: (frame: WebFrameMain | null) => boolean): void {
  for (const channel of LAB_CHANNELS) {
    ipcMain.handle(IPC_PREFIX + channel, async (event, payload: unknown) => {
      if (!isTrustedFrame(event.senderFrame)) {
        return { ok: false, error: { code: 'forbidden', message: `${channel}: refused a call from a frame that is not the lab's window` } };
      }
      return invokeService(services, channel, payload);
    });
  }
}
