import { app, BrowserWindow, dialog, ipcMain, Menu, screen, session, shell } from 'electron';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DatasetFiles } from '../src-core/contracts/train-protocol';
import { createLab } from './services/services';
import { electronSqliteBinding } from './services/shared/native-binding';
import { electronLauncher } from './electron/electron-launcher';
import { EVENT_CHANNEL, isLabFrame, wireIpc } from './electron/ipc';
import { registerAppScheme, serveRenderer } from './electron/protocol';
import {
  APP_ORIGIN,
  type GuardedContents,
  denyPermissionCheck,
  denyPermissionRequest,
  guardWebContents,
  windowOptions,
} from './electron/security';
import type { AppCommand } from '../src-core/contracts/app-command';
import type { CommandState } from '../src-core/contracts/api-desktop';
import type { LabEvent } from '../src-core/contracts/lab-api';
import { ownBytes } from '../src-core/contracts/own-bytes';
import { aboutText, recentSessions } from './electron/about';
import { applyCommandState, buildMenuTemplate, type RecentSession } from './electron/menu';
import { AppStateFile, MIN_WINDOW, restoreBounds } from './electron/window-state';

// Electron glue only: window (with remembered bounds), menu, security, protocol, IPC. Everything the lab
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
    guardWebContents(contents as unknown as GuardedContents, (url) => void shell.openExternal(url), devServerUrl);
  });
  app.whenReady().then(start, (err) => {
    console.error(err);
    app.exit(1);
  });
  app.on('window-all-closed', () => app.quit());
}

async function pickDatasetFiles(): Promise<DatasetFiles | null> {
  const pick = async (title: string) => {
    const r = await dialog.showOpenDialog({
      title,
      properties: ['openFile'],
      filters: [{ name: 'IDX files', extensions: ['gz', 'idx1-ubyte', 'idx3-ubyte', '*'] }],
    });
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
  session.defaultSession.setPermissionRequestHandler(denyPermissionRequest);
  session.defaultSession.setPermissionCheckHandler(denyPermissionCheck);
  serveRenderer(join(mainDir, '../renderer'));

  const state = new AppStateFile(join(app.getPath('userData'), 'window-state.json'));
  const send = (event: LabEvent) => win?.webContents.send(EVENT_CHANNEL, ownBytes(event));
  let menuTimer: NodeJS.Timeout | undefined;
  /** Which commands can run now, as the renderer last published it (checked by the desktop service). */
  let commandState: CommandState = {};
  const lab = createLab(
    {
      launcher: electronLauncher(mainDir),
      emit: (event) => {
        send(event);
        // Session names and order feed File > Open Recent.
        if (event.channel === 'sessions') {
          clearTimeout(menuTimer);
          menuTimer = setTimeout(() => void setMenu(), 500);
        }
      },
      pickDatasetFiles,
      pickSavePath: async (req) => {
        const r = await dialog.showSaveDialog({
          title: req.title,
          defaultPath: join(app.getPath('documents'), req.defaultName),
          filters: req.filters,
        });
        return r.canceled || !r.filePath ? null : r.filePath;
      },
      pickOpenPath: async (req) => {
        const r = await dialog.showOpenDialog({ title: req.title, properties: ['openFile'], filters: req.filters });
        return r.canceled || r.filePaths.length === 0 ? null : r.filePaths[0];
      },
      // The menu greys out what cannot run now: in place, and in every menu built from now on.
      showCommandState: (next) => {
        commandState = next;
        applyCommandState(Menu.getApplicationMenu(), next);
      },
    },
    {
      dbPath: join(app.getPath('userData'), 'momentum-lab.db'),
      nativeBinding: electronSqliteBinding(app.getAppPath(), process.versions.electron),
      desktopState: state,
      dropDir: join(app.getPath('userData'), 'datasets'),
    },
  );
  wireIpc(ipcMain, lab.services, (frame) => isLabFrame(frame, win ? win.webContents.mainFrame : null, devServerUrl));
  app.on('before-quit', () => lab.shutdown());

  // The application menu: a pure template (menu.ts); its commands go to the renderer as events, and the
  // renderer's registry says which of them can run now (publishCommandState → showCommandState above).
  const setMenu = async () => {
    let recent: RecentSession[] = [];
    try {
      recent = recentSessions(await lab.services.listSessions(), state.state.recentClearedAt);
    } catch {
      // No session store (e.g. better-sqlite3 not built for Electron): an empty Open Recent.
    }
    const template = buildMenuTemplate({
      platform: process.platform,
      isDev: !app.isPackaged,
      appName: app.name,
      recentSessions: recent,
      commandState,
      handlers: {
        command: (command: AppCommand) => send({ channel: 'command', command }),
        clearRecent: () => {
          state.update((s) => ({ ...s, recentClearedAt: Date.now() }));
          void setMenu();
        },
        about: () => {
          const { message, detail } = aboutText(app.name, app.getVersion(), process.versions);
          void (win
            ? dialog.showMessageBox(win, { type: 'info', title: `About ${app.name}`, message, detail })
            : dialog.showMessageBox({ type: 'info', message, detail }));
        },
      },
    });
    Menu.setApplicationMenu(Menu.buildFromTemplate(template));
  };
  await setMenu();

  // Size, position and maximised state as they were, if still on a display.
  const primary = screen.getPrimaryDisplay();
  const displays = [primary, ...screen.getAllDisplays().filter((d) => d.id !== primary.id)];
  const bounds = restoreBounds(state.state.window.bounds, displays);
  win = new BrowserWindow(
    windowOptions({
      bounds,
      minWidth: MIN_WINDOW.width,
      minHeight: MIN_WINDOW.height,
      preloadPath: join(mainDir, '../preload/index.cjs'),
      iconPath: process.platform === 'linux' ? join(app.getAppPath(), 'resources', 'icon.png') : undefined,
    }),
  );
  if (state.state.window.maximized) win.maximize();
  win.on('close', () => {
    if (!win) return;
    state.update((s) => ({
      ...s,
      window: { bounds: win ? win.getNormalBounds() : s.window.bounds, maximized: win?.isMaximized() ?? false },
    }));
  });
  win.once('ready-to-show', () => win?.show());
  await win.loadURL(devServerUrl ?? `${APP_ORIGIN}/index.html`);
}
