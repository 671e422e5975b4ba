/**
 * The `app://cockpit/` protocol that serves the built renderer in production, with the CSP
 * header on every response. Preferred to `file://`, which would grant the page the whole disk.
 */
import type { Protocol } from 'electron';
import { contentSecurityPolicy } from '../shared/csp';
import { readStaticFile, resolveStaticPath } from './core/static-files';
import { appHost, appScheme } from './security-policy';

/** Declares the scheme as standard and secure; must run before the app is ready. */
export function registerAppScheme(protocol: Pick<Protocol, 'registerSchemesAsPrivileged'>): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: appScheme, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);
}

/** Answers one request of the app protocol. */
export async function handleAppRequest(rendererRoot: string, requestUrl: string): Promise<Response> {
  const csp = contentSecurityPolicy();
  const url = new URL(requestUrl);
  const filePath = url.host === appHost ? resolveStaticPath(rendererRoot, url.pathname) : undefined;
  const file = filePath ? await readStaticFile(rendererRoot, filePath) : undefined;
  if (!file) {
    return new Response('Not found', { status: 404, headers: { 'content-security-policy': csp } });
  }
  return new Response(new Uint8Array(file.body), {
    status: 200,
    headers: {
      'content-type': file.contentType,
      'content-security-policy': csp,
      'x-content-type-options': 'nosniff',
    },
  });
}

/** Serves the renderer folder on the app protocol. */
export function serveAppProtocol(protocol: Pick<Protocol, 'handle'>, rendererRoot: string): void {
  protocol.handle(appScheme, (request) => handleAppRequest(rendererRoot, request.url));
}
