import type { LabEvent, LabResult } from './lab-api';

// The browser mode's one WebSocket between a tab and `momentum-lab serve`:
// each frame is one message, text, encoded with devalue (which keeps NaN,
// ±Infinity, -0 and typed arrays). Calls carry the same channel names and
// payloads as IPC; the server validates the envelope, then the payload with
// the channel's zod schema (invokeService), exactly as for IPC.

/** Tab → server: call one channel. `id` pairs the reply with the call. */
export interface WireCall {
  id: number;
  channel: string;
  payload?: unknown;
}

/** A file the call wrote for the user (an export): the tab fetches it as a download. */
export interface WireDownload {
  url: string;
  name: string;
}

/** Server → tab. */
export type WireMessage =
  | { kind: 'result'; id: number | null; result: LabResult<unknown>; downloads?: WireDownload[] }
  | { kind: 'event'; event: LabEvent };

/** The path of the socket on the server. */
export const WIRE_PATH = '/lab-socket';

/** What the page learns of its host (a <meta name="momentum-lab-host"> the server fills in; absent in Electron). */
export interface HostInfo {
  kind: 'browser';
  /** 'upload': files come by upload or drop and exports leave as downloads; 'dialogs': the host answers pickers itself (the e2e seam). */
  files: 'upload' | 'dialogs';
  /** The lab's own data folder (uploads land in <dataDir>/datasets, exports in <dataDir>/exports). */
  dataDir: string;
}

export const HOST_META = 'momentum-lab-host';
