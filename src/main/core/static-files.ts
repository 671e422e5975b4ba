/**
 * Serving the built renderer's files safely, for the app's custom protocol and the loopback bridge.
 *
 * A request path is decoded once and refused if it could name anything outside the root: `..`
 * segments (encoded or not), backslashes, NUL, drive letters, or a symlink leading out.
 */
import { readFile, realpath } from 'node:fs/promises';
import path from 'node:path';

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * Maps a URL path (still percent-encoded, without query) to a file under `root`, or `undefined`
 * when the path is malformed or escapes the root. `/` maps to `defaultFile`.
 */
export function resolveStaticPath(root: string, urlPath: string, defaultFile = 'index.html'): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0') || decoded.includes('\\') || /^[a-z]:/i.test(decoded.replace(/^\/+/, ''))) {
    return undefined;
  }
  const segments = decoded.split('/').filter((segment) => segment !== '' && segment !== '.');
  if (segments.some((segment) => segment === '..' || segment.includes(':'))) return undefined;
  const relative = segments.length === 0 ? defaultFile : segments.join('/');
  const absoluteRoot = path.resolve(root);
  const resolved = path.resolve(absoluteRoot, relative);
  return isInside(absoluteRoot, resolved) ? resolved : undefined;
}

/** A file ready to send. */
export interface StaticFile {
  body: Buffer;
  contentType: string;
  /** An HTML page (what the bridge guards with its token), decided on the real file. */
  isPage: boolean;
}

/** Reads a file resolved by `resolveStaticPath`, refusing symlinks that lead outside the root. */
export async function readStaticFile(root: string, filePath: string): Promise<StaticFile | undefined> {
  try {
    const [realRoot, realFile] = await Promise.all([realpath(root), realpath(filePath)]);
    if (!isInside(realRoot, realFile)) return undefined;
    const body = await readFile(realFile);
    const extension = path.extname(realFile).toLowerCase();
    const contentType = contentTypes[extension] ?? 'application/octet-stream';
    return { body, contentType, isPage: extension === '.html' };
  } catch {
    return undefined;
  }
}

function isInside(root: string, candidate: string): boolean {
  return candidate === root || candidate.startsWith(root.endsWith(path.sep) ? root : root + path.sep);
}
