import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { LAB_CHANNELS, type LabBridge, type LabEvent } from '../src-core/contracts/lab-api';

// The sandboxed preload: exposes window.lab and nothing else. ipcRenderer
// itself never reaches the page; each method sends one payload on its own
// channel and the main process validates it.

const calls = Object.fromEntries(
  LAB_CHANNELS.map((channel) => [channel, (payload?: unknown) => ipcRenderer.invoke(`lab:${channel}`, payload)]),
);

const bridge = {
  ...(calls as Omit<LabBridge, 'onEvent'>),
  onEvent(listener: (event: LabEvent) => void): () => void {
    const handler = (_e: IpcRendererEvent, event: LabEvent) => listener(event);
    ipcRenderer.on('lab:event', handler);
    return () => ipcRenderer.off('lab:event', handler);
  },
} satisfies LabBridge;

contextBridge.exposeInMainWorld('lab', bridge);
