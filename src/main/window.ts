/**
 * The app window, locked down per Electron's security checklist: isolated, sandboxed, no Node in
 * the page, no navigation, no new windows, no permissions, no webviews.
 */
import type { BrowserWindow, BrowserWindowConstructorOptions, Session, WebContents, WebPreferences } from 'electron';
import { contentSecurityPolicy } from '../shared/csp';
import { externalLinkDecision, isAppUrl, type RendererOrigin } from './security-policy';

/** The webPreferences every window of the app gets. */
export function secureWebPreferences(preloadPath: string): WebPreferences {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    safeDialogs: true,
    spellcheck: false,
  };
}

/** What the hardening needs to ask before a link leaves the app. */
export interface ExternalLinkHandler {
  /** Shows the address and opens it in the system browser only if the user agrees. */
  confirmAndOpen(url: string): void;
}

/** Refuses navigation, redirects, new windows and webviews in a page. */
export function hardenWebContents(contents: WebContents, origin: RendererOrigin, links: ExternalLinkHandler): void {
  const refuseNavigation = (event: { preventDefault(): void }, url: string) => {
    event.preventDefault();
    if (!isAppUrl(url, origin) && externalLinkDecision(url) === 'ask-user') links.confirmAndOpen(url);
  };
  contents.on('will-navigate', refuseNavigation);
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    if (externalLinkDecision(url) === 'ask-user') links.confirmAndOpen(url);
    return { action: 'deny' };
  });
}

/**
 * Denies every permission request and check, and during development (when the page comes from
 * the dev server rather than the app protocol) adds the CSP header the protocol would have set.
 */
export function hardenSession(session: Session, origin: RendererOrigin): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  if (origin.devServerUrl) {
    const devServer = new URL(origin.devServerUrl);
    // The dev server's hot reload needs its socket and React's inline refresh preamble.
    const devPolicy = contentSecurityPolicy([`ws://${devServer.host}`]).replace(
      "script-src 'self'",
      "script-src 'self' 'unsafe-inline'",
    );
    session.webRequest.onHeadersReceived((details, callback) => {
      callback({
        responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [devPolicy] },
      });
    });
  }
}

export interface MainWindowOptions {
  preloadPath: string;
  bounds: { x?: number; y?: number; width: number; height: number };
  title: string;
}

/** The constructor options of the main window. */
export function mainWindowOptions(options: MainWindowOptions): BrowserWindowConstructorOptions {
  return {
    ...options.bounds,
    minWidth: 900,
    minHeight: 600,
    title: options.title,
    show: false,
    backgroundColor: '#1a1b1e',
    autoHideMenuBar: true,
    webPreferences: secureWebPreferences(options.preloadPath),
  };
}

/** The BrowserWindow constructor, injected so tests can use a double. */
export type BrowserWindowConstructor = new (options: BrowserWindowConstructorOptions) => BrowserWindow;

/** Creates the main window, hardened, shown once its first paint is ready. */
export function createMainWindow(
  BrowserWindowClass: BrowserWindowConstructor,
  options: MainWindowOptions,
  origin: RendererOrigin,
  links: ExternalLinkHandler,
): BrowserWindow {
  const window = new BrowserWindowClass(mainWindowOptions(options));
  hardenWebContents(window.webContents, origin, links);
  window.once('ready-to-show', () => window.show());
  return window;
}
