import { app, BrowserWindow, dialog, ipcMain, session, shell } from 'electron';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DatasetFiles } from '../src-core/contracts/train-protocol';
import { createLab } from './services/services';
import { electronSqliteBinding } from './services/native-binding';
import { electronLauncher } from './electron/electron-launcher';
import { EVENT_CHANNEL, wireIpc } from './electron/ipc';
import { registerAppScheme, serveRenderer } from './electron/protocol';
import { APP_ORIGIN, isAllowedExternalUrl, isAppUrl, secureWebPreferences } from './electron/security';

// Electron glue only: window, security, protocol, IPC. Everything the lab
// does lives in the services table (src-main/services), which the CLI and the
// e2e tests call too.

const mainDir = dirname(fileURLToPath(import.meta.url));
const devServerUrl = process.env['ELECTRON_RENDERER_URL'];
let win: BrowserWindow | null = null;

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  registerAppScheme();
  app.on('second-instance', () => {
    if (win) {
      if (win.isMinimized()) win.restore();
      win.focus();
    }
  });
  app.on('web-contents-created', (_e, contents) => {
    contents.on('will-navigate', (event, url) => {
      if (!isAppUrl(url, devServerUrl)) event.preventDefault();
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(({ url }) => {
      if (isAllowedExternalUrl(url)) void shell.openExternal(url);
      return { action: 'deny' };
    });
  });
  app.whenReady().then(start, (err) => {
    console.error(err);
    app.exit(1);
  });
  app.on('window-all-closed', () => app.quit());
}

async function pickDatasetFiles(): Promise<DatasetFiles | null> {
  const pick = async (title: string) => {
    const r = await dialog.showOpenDialog({ title, properties: ['openFile'], filters: [{ name: 'IDX files', extensions: ['gz', 'idx1-ubyte', 'idx3-ubyte', '*'] }] });
    return r.canceled || r.filePaths.length === 0 ? null : r.filePaths[0];
  };
  const trainImages = await pick('Training images (IDX3, e.g. train-images-idx3-ubyte[.gz])');
  if (!trainImages) return null;
  const trainLabels = await pick('Training labels (IDX1)');
  if (!trainLabels) return null;
  const testImages = await pick('Test images (IDX3)');
  if (!testImages) return null;
  const testLabels = await pick('Test labels (IDX1)');
  if (!testLabels) return null;
  return { trainImages, trainLabels, testImages, testLabels };
}

async function start(): Promise<void> {
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
  serveRenderer(join(mainDir, '../renderer'));

  const lab = createLab({
    launcher: electronLauncher(mainDir),
    emit: (event) => win?.webContents.send(EVENT_CHANNEL, event),
    pickDatasetFiles,
    pickSavePath: async (req) => {
      const r = await dialog.showSaveDialog({ title: req.title, defaultPath: join(app.getPath('documents'), req.defaultName), filters: req.filters });
      return r.canceled || !r.filePath ? null : r.filePath;
    },
    pickOpenPath: async (req) => {
      const r = await dialog.showOpenDialog({ title: req.title, properties: ['openFile'], filters: req.filters });
      return r.canceled || r.filePaths.length === 0 ? null : r.filePaths[0];
    },
  }, {
    dbPath: join(app.getPath('userData'), 'momentum-lab.db'),
    nativeBinding: electronSqliteBinding(app.getAppPath(), process.versions.electron),
  });
  wireIpc(ipcMain, lab.services, (frame) => frame !== null && win !== null && frame === win.webContents.mainFrame && isAppUrl(frame.url, devServerUrl));
  app.on('before-quit', () => lab.shutdown());

  win = new BrowserWindow({
    width: 1280,
    height: 860,
    title: 'Momentum Lab',
    show: false,
    webPreferences: secureWebPreferences(join(mainDir, '../preload/index.cjs')),
  });
  win.once('ready-to-show', () => win?.show());
  await win.loadURL(devServerUrl ?? `${APP_ORIGIN}/index.html`);
}
