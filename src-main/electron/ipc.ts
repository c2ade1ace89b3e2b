import type { IpcMain, WebFrameMain } from 'electron';
import { isAppUrl } from './security';
import { LAB_CHANNELS, type LabApi } from '../../src-core/contracts/lab-api';
import { ownBytes } from '../../src-core/contracts/own-bytes';
import { invokeService } from '../services/invoke';
import type { ServicesOf } from '../services/service-context';

export const IPC_PREFIX = 'lab:';
export const EVENT_CHANNEL = 'lab:event';

/** The part of a frame the sender check reads. */
export interface SenderFrame {
  readonly url: string;
}

/**
 * Is this IPC sender the lab's own window: exactly its top frame (not a
 * subframe, not another window), showing the lab's origin (not a page it was
 * navigated to)?
 */
export function isLabFrame<F extends SenderFrame>(
  frame: F | null | undefined,
  mainFrame: F | null | undefined,
  devServerUrl?: string,
): boolean {
  if (!frame || !mainFrame || frame !== mainFrame) return false;
  let url: string;
  try {
    url = frame.url;
  } catch {
    return false; // a destroyed frame
  }
  return typeof url === 'string' && isAppUrl(url, devServerUrl);
}

/** What wireIpc needs of ipcMain (a recording fake in tests). */
export interface IpcMainLike {
  handle(
    channel: string,
    listener: (event: { senderFrame: WebFrameMain | null }, payload: unknown) => Promise<unknown>,
  ): void;
}

/**
 * The thin wiring: one ipcMain.handle per channel, each checking that the
 * sender is the lab's own top frame before handing the payload to the
 * services table (which validates it).
 */
export function wireIpc(
  ipcMain: IpcMainLike | IpcMain,
  services: ServicesOf<LabApi>,
  isTrustedFrame: (frame: WebFrameMain | null) => boolean,
): void {
  for (const channel of LAB_CHANNELS) {
    (ipcMain as IpcMainLike).handle(IPC_PREFIX + channel, async (event, payload: unknown) => {
      let trusted: boolean;
      try {
        trusted = isTrustedFrame(event.senderFrame);
      } catch {
        trusted = false;
      }
      if (!trusted) {
        return {
          ok: false,
          error: { code: 'forbidden', message: `${channel}: refused a call from a frame that is not the lab's window` },
        };
      }
      // Structured clone would send a typed array's whole buffer: only its own bytes go (own-bytes.ts).
      return ownBytes(await invokeService(services, channel, payload));
    });
  }
}
