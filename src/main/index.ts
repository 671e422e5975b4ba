/**
 * The Electron main process: app lifecycle, the secure window, and the core bound to IPC.
 * Everything else lives in `core/` (no Electron) or the small modules beside this file.
 */
import {
  app,
  BrowserWindow,
  dialog,
  ipcMain,
  Menu,
  MessageChannelMain,
  Notification,
  protocol,
  screen,
  session,
  shell,
  utilityProcess,
} from 'electron';
import { writeFile } from 'node:fs/promises';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { appMenuTemplate } from './app-menu';
import { packageRoot } from './app-paths';
import { appOrigin, externalLinkPrompt } from './security-policy';
import { createCockpit } from './core/cockpit';
import { keepWritesPrivate, resolveDataDir } from './core/data-dir';
import { registerAppScheme, serveAppProtocol } from './app-protocol';
import { bindIpc } from './ipc';
import { utilityLogHost } from './log-utility-host';
import { createMainWindow, hardenSession, hardenWebContents, type ExternalLinkHandler } from './window';
import { choosePlatform } from './platform-choice';
import { fitToDisplays, loadWindowState, saveWindowState, type WindowState } from './window-state';

const preloadPath = fileURLToPath(new URL('../preload/index.cjs', import.meta.url));
const logProcessPath = fileURLToPath(new URL('./log-bus-utility.js', import.meta.url));
const rendererRoot = fileURLToPath(new URL('../renderer', import.meta.url));
const devServerUrl = !app.isPackaged ? process.env.ELECTRON_RENDERER_URL : undefined;
const origin = { devServerUrl };

registerAppScheme(protocol);
keepWritesPrivate();
app.enableSandbox();

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  void app.whenReady().then(startCockpit);
}

async function startCockpit() {
  const dataDir = resolveDataDir({
    env: process.env,
    platform: process.platform,
    homeDir: os.homedir(),
    electronUserData: app.getPath('userData'),
  });
  // A packaged app's first start offers the three ways (a file, Coolify, the demo); a checkout opens the demo.
  const platform = await choosePlatform(dataDir, process.env, (line) => console.info(`Demo: ${line}`), {
    openDemoAtStart: !app.isPackaged,
  });
  const cockpit = createCockpit({
    name: app.getName(),
    version: app.getVersion(),
    runtime: 'electron',
    dataDir,
    printPdf,
    desktop: desktopShell(),
    startLogHost: logProcess(),
    ...platform,
  });
  const links = confirmingLinkHandler();

  serveAppProtocol(protocol, rendererRoot);
  hardenSession(session.defaultSession, origin);
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, origin, links));
  bindIpc(ipcMain, cockpit, origin, () => BrowserWindow.getAllWindows().map((window) => window.webContents));

  const window = await openMainWindow(dataDir, links);
  notifyWatchAlerts(cockpit, window);
  Menu.setApplicationMenu(
    Menu.buildFromTemplate(
      appMenuTemplate(
        {
          send: (command) => cockpit.events.emit('app:menu', command),
          openDocumentation: () => void shell.openPath(path.join(packageRoot, 'README.md')),
          showAbout: () => app.showAboutPanel(),
        },
        process.platform === 'darwin',
      ),
    ),
  );
  app.setAboutPanelOptions({ applicationName: app.getName(), applicationVersion: app.getVersion() });
  app.on('second-instance', () => {
    if (window.isMinimized()) window.restore();
    window.focus();
  });
  app.on('window-all-closed', () => {
    cockpit.stop();
    app.quit();
  });
  void cockpit.start();
}

/** Deploy logs in a utility process whose port reaches the window: main carries no batch. */
function logProcess() {
  return utilityLogHost({
    fork: () => utilityProcess.fork(logProcessPath, [], { serviceName: 'Release Cockpit logs' }),
    channel: () => new MessageChannelMain(),
    sendToWindow(port) {
      const contents = BrowserWindow.getAllWindows().find((window) => !window.isDestroyed())?.webContents;
      if (!contents || contents.isDestroyed()) return false;
      contents.postMessage('deploy:log-port', null, [port]);
      return true;
    },
  });
}

async function openMainWindow(dataDir: string, links: ExternalLinkHandler) {
  const workAreas = screen.getAllDisplays().map((display) => display.workArea);
  const saved = fitToDisplays(await loadWindowState(dataDir), workAreas);
  const window = createMainWindow(
    BrowserWindow,
    { preloadPath, bounds: saved, title: 'Release Cockpit' },
    origin,
    links,
  );
  if (saved.isMaximized) window.maximize();
  window.on('close', () => {
    const state: WindowState = { ...window.getNormalBounds(), isMaximized: window.isMaximized() };
    void saveWindowState(dataDir, state);
  });
  await window.loadURL(devServerUrl ?? `${appOrigin}/index.html`);
  return window;
}

function confirmingLinkHandler(): ExternalLinkHandler {
  return {
    confirmAndOpen(url) {
      const choice = dialog.showMessageBoxSync({
        type: 'question',
        buttons: ['Open in browser', 'Cancel'],
        defaultId: 1,
        cancelId: 1,
        ...externalLinkPrompt(url),
      });
      if (choice === 0) void shell.openExternal(url);
    },
  };
}

/** A desktop notification when the post-deploy watch raises an alert; clicking it shows the window. */
function notifyWatchAlerts(cockpit: ReturnType<typeof createCockpit>, window: BrowserWindow) {
  cockpit.events.subscribe((channel, payload) => {
    if (channel !== 'watch:alerted' || !Notification.isSupported()) return;
    const { environment, alerts } = payload as { environment: string; alerts: { message: string }[] };
    const notification = new Notification({
      title: `Release Cockpit: ${environment} is worse since the deploy`,
      body: `${alerts.map((alert) => alert.message).join('\n')}\nOpen the cockpit to roll back.`,
    });
    notification.on('click', () => {
      if (window.isMinimized()) window.restore();
      window.focus();
    });
    notification.show();
  });
}

/** The open dialog, the editor and the file manager, for the platform file. */
function desktopShell() {
  return {
    async chooseFile() {
      const window = BrowserWindow.getFocusedWindow() ?? BrowserWindow.getAllWindows()[0];
      const options = {
        title: 'Open a platform file',
        properties: ['openFile' as const],
        filters: [{ name: 'Platform files', extensions: ['yaml', 'yml'] }],
      };
      const result = window ? await dialog.showOpenDialog(window, options) : await dialog.showOpenDialog(options);
      return result.canceled ? undefined : result.filePaths[0];
    },
    async openInEditor(file: string) {
      const problem = await shell.openPath(file);
      if (problem) throw new Error(`The file could not be opened: ${problem}`);
    },
    revealInFolder(file: string) {
      shell.showItemInFolder(file);
    },
  };
}

/** Prints report HTML to PDF with Electron's own engine, in a hidden window with no script. */
async function printPdf(html: string, pdfFile: string): Promise<void> {
  const window = new BrowserWindow({
    show: false,
    webPreferences: { sandbox: true, contextIsolation: true, nodeIntegration: false, javascript: false },
  });
  try {
    await window.loadURL(`data:text/html;charset=utf-8,${encodeURIComponent(html)}`);
    await writeFile(pdfFile, await window.webContents.printToPDF({ pageSize: 'A4', printBackground: true }));
  } finally {
    window.destroy();
  }
}
