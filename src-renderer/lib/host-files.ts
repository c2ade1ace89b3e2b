import { MAX_DROPPED_FILE_BYTES } from '../../src-core/contracts/api-desktop';
import type { DatasetInfo } from '../../src-core/contracts/dataset';
import type { SessionSummary } from '../../src-core/contracts/session-types';
import { readDropped } from './drop';
import { filesByUpload } from './host';
import { lab } from './lab';

// "Open dataset…" and "Import session file…" wherever the lab runs: native
// dialogs in Electron (the main process asks), a file chooser in a browser
// tab whose bytes travel to the server like dropped files and get the same
// checks there. Call these from a click handler: a browser opens a file
// chooser only in answer to a user gesture.

/** Open a file chooser; resolves with the chosen files ([] when cancelled). */
export function chooseFiles(accept: string, multiple: boolean): Promise<File[]> {
  return new Promise((resolve) => {
    const input = document.createElement('input');
    input.type = 'file';
    input.multiple = multiple;
    if (accept) input.accept = accept;
    input.hidden = true;
    const done = (files: File[]) => {
      input.remove();
      resolve(files);
    };
    input.addEventListener('change', () => done([...(input.files ?? [])]), { once: true });
    input.addEventListener('cancel', () => done([]), { once: true });
    document.body.append(input);
    input.click();
  });
}

export async function openDatasetHere(): Promise<DatasetInfo | null> {
  if (!filesByUpload()) return lab.openDataset();
  const files = await chooseFiles('', true);
  if (files.length === 0) return null;
  if (files.length !== 4)
    throw new Error(`choose all four IDX files at once (training and test images and labels); got ${files.length}`);
  return lab.openDatasetFromBytes({ files: await readDropped(files, MAX_DROPPED_FILE_BYTES) });
}

export async function importSessionHere(): Promise<SessionSummary[] | null> {
  if (!filesByUpload()) return lab.importSessionFile();
  const [file] = await chooseFiles('.mlab', false);
  if (!file) return null;
  const [dropped] = await readDropped([file], MAX_DROPPED_FILE_BYTES);
  return lab.importSessionFromBytes(dropped);
}
