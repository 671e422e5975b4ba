/**
 * What the app window may load, navigate to, open and hear from — pure decisions, so they are
 * tested on tables of URLs without Electron. `window.ts` and `ipc.ts` apply them.
 */

/** The custom protocol the production renderer is served from (never `file://`). */
export const appScheme = 'app';
export const appHost = 'cockpit';
export const appOrigin = `${appScheme}://${appHost}`;

/** Where the renderer is loaded from: the app protocol, or the dev server during `npm run dev`. */
export interface RendererOrigin {
  /** `electron-vite dev`'s server URL; undefined in production. */
  devServerUrl?: string;
}

/** The origin the renderer legitimately runs on. */
export function trustedOrigin({ devServerUrl }: RendererOrigin): string {
  return devServerUrl ? new URL(devServerUrl).origin : appOrigin;
}

/** Whether `url` is a page of the app itself. */
export function isAppUrl(url: string, origin: RendererOrigin): boolean {
  const parsed = safeUrl(url);
  if (!parsed) return false;
  if (parsed.protocol === `${appScheme}:`) return parsed.host === appHost;
  return parsed.origin === trustedOrigin(origin);
}

/** The part of an IPC sender frame the decision needs. */
export interface SenderFrame {
  url: string;
  /** null for a main frame. */
  parent: unknown;
}

/** Whether an IPC message comes from the app's own main frame. */
export function isTrustedSender(frame: SenderFrame | null | undefined, origin: RendererOrigin): boolean {
  if (!frame) return false;
  return frame.parent === null && isAppUrl(frame.url, origin);
}

/**
 * What to do with a link the page tries to open in a new window: only http(s) may leave the app,
 * and only after the user has seen the address; everything else is refused.
 */
export function externalLinkDecision(url: string): 'ask-user' | 'deny' {
  const parsed = safeUrl(url);
  if (!parsed) return 'deny';
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return 'deny';
  if (parsed.username || parsed.password) return 'deny';
  return 'ask-user';
}

/**
 * What the "open this address?" question shows: the address as the browser will read it, and its
 * host on a line of its own — in punycode when it is not plain ASCII, where a look-alike letter
 * (Cyrillic "а" for Latin "a") could pass for a trusted name.
 */
export function externalLinkPrompt(url: string): { message: string; detail: string } {
  const parsed = new URL(url);
  // The WHATWG parser already serialises an international host in punycode.
  const isInternational = parsed.hostname.split('.').some((label) => label.startsWith('xn--'));
  return {
    message: 'Open this address in your browser?',
    detail: [
      `Host: ${parsed.host}`,
      ...(isInternational
        ? ['This host name has non-ASCII letters (shown in punycode): it may imitate another address.']
        : []),
      `Address: ${parsed.href}`,
    ].join('\n'),
  };
}

function safeUrl(url: string): URL | undefined {
  try {
    return new URL(url);
  } catch {
    return undefined;
  }
}
