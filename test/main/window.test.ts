import { describe, expect, it } from 'vitest';
import type { BrowserWindowConstructor } from '../../src/main/window';
import {
  createMainWindow,
  hardenSession,
  hardenWebContents,
  mainWindowOptions,
  secureWebPreferences,
} from '../../src/main/window';
import type { Session, WebContents } from 'electron';
import { BrowserWindowDouble, emitPreventable, SessionDouble, WebContentsDouble } from '../helpers/electron-double';

const production = {};
const development = { devServerUrl: 'http://localhost:5173' };

function linkRecorder() {
  const asked: string[] = [];
  return { asked, links: { confirmAndOpen: (url: string) => asked.push(url) } };
}

describe('the main window', () => {
  it('gets the secure webPreferences from Electron’s checklist', () => {
    const preferences = secureWebPreferences('/app/out/preload/index.cjs');
    expect(preferences).toMatchObject({
      preload: '/app/out/preload/index.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
    });
    expect(preferences).not.toHaveProperty('enableBlinkFeatures');
  });

  it('is created with those preferences and shown only once ready', () => {
    const { links } = linkRecorder();
    const window = createMainWindow(
      BrowserWindowDouble as unknown as BrowserWindowConstructor,
      { preloadPath: '/p.cjs', bounds: { width: 1000, height: 700 }, title: 'Release Cockpit' },
      production,
      links,
    ) as unknown as BrowserWindowDouble;
    expect(window.options.webPreferences).toEqual(secureWebPreferences('/p.cjs'));
    expect(window.options).toMatchObject({ width: 1000, height: 700, show: false });
    expect(window.isShown).toBe(false);
    window.emit('ready-to-show');
    expect(window.isShown).toBe(true);
    expect(window.webContents.windowOpenHandler).toBeDefined();
  });

  it('keeps the saved position when given', () => {
    const options = mainWindowOptions({
      preloadPath: '/p',
      bounds: { x: 10, y: 20, width: 900, height: 600 },
      title: 't',
    });
    expect(options).toMatchObject({ x: 10, y: 20, width: 900, height: 600 });
  });
});

describe('a hardened page', () => {
  function hardened(origin = production) {
    const contents = new WebContentsDouble();
    const { asked, links } = linkRecorder();
    hardenWebContents(contents as unknown as WebContents, origin, links);
    return { contents, asked };
  }

  it.each([
    'app://cockpit/index.html#other',
    'https://example.com/',
    'http://127.0.0.1:9999/',
    'file:///etc/passwd',
    'javascript:alert(1)',
    'data:text/html,<script>1</script>',
    'chrome://settings',
  ])('refuses to navigate to %s', (url) => {
    const { contents } = hardened();
    expect(emitPreventable(contents, 'will-navigate', url)).toBe(true);
  });

  it('offers http(s) links to the system browser after asking, never anything else', () => {
    const { contents, asked } = hardened();
    emitPreventable(contents, 'will-navigate', 'https://github.com/org/repo/pull/1');
    emitPreventable(contents, 'will-navigate', 'file:///etc/passwd');
    emitPreventable(contents, 'will-navigate', 'app://cockpit/index.html');
    expect(asked).toEqual(['https://github.com/org/repo/pull/1']);
  });

  it.each(['https://example.com/', 'app://cockpit/index.html', 'javascript:alert(1)', 'file:///tmp/x', 'about:blank'])(
    'denies window.open(%s)',
    (url) => {
      const { contents } = hardened();
      expect(contents.windowOpenHandler?.({ url })).toEqual({ action: 'deny' });
    },
  );

  it('asks before opening a new-window link externally, and only for http(s)', () => {
    const { contents, asked } = hardened();
    contents.windowOpenHandler?.({ url: 'https://grafana.example.com/d/1' });
    contents.windowOpenHandler?.({ url: 'smb://share/x' });
    expect(asked).toEqual(['https://grafana.example.com/d/1']);
  });

  it('refuses redirects and webviews', () => {
    const { contents } = hardened();
    expect(emitPreventable(contents, 'will-redirect', 'https://evil.example/')).toBe(true);
    expect(emitPreventable(contents, 'will-attach-webview', {}, {})).toBe(true);
  });
});

describe('the session', () => {
  it('denies every permission request and check', () => {
    const session = new SessionDouble();
    hardenSession(session as unknown as Session, production);
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal']) {
      let granted: boolean | undefined;
      session.permissionRequestHandler?.({}, permission, (answer) => (granted = answer));
      expect(granted).toBe(false);
      expect(session.permissionCheckHandler?.({}, permission)).toBe(false);
    }
  });

  it('adds no header rewriting in production (the app protocol sets the CSP itself)', () => {
    const session = new SessionDouble();
    hardenSession(session as unknown as Session, production);
    expect(session.headersListener).toBeUndefined();
  });

  it('sets a CSP on dev-server responses that still forbids eval and remote scripts', () => {
    const session = new SessionDouble();
    hardenSession(session as unknown as Session, development);
    let headers: Record<string, string[]> = {};
    session.headersListener?.({ responseHeaders: {} }, (response) => (headers = response.responseHeaders));
    const policy = headers['Content-Security-Policy']?.[0] ?? '';
    expect(policy).toContain("connect-src 'self' ws://localhost:5173");
    expect(policy).not.toContain('unsafe-eval');
    expect(policy).not.toMatch(/script-src[^;]*https?:/);
  });
});
