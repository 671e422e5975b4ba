import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readStaticFile, resolveStaticPath } from '../../../src/main/core/static-files';

function rendererFolder() {
  const parent = mkdtempSync(path.join(os.tmpdir(), 'cockpit-static-'));
  const root = path.join(parent, 'renderer');
  mkdirSync(path.join(root, 'assets'), { recursive: true });
  writeFileSync(path.join(root, 'index.html'), '<!doctype html>');
  writeFileSync(path.join(root, 'assets', 'app.js'), 'export {}');
  writeFileSync(path.join(parent, 'secret.txt'), 'outside the root');
  return { parent, root };
}

describe('resolving a request path under the renderer folder', () => {
  const { root } = rendererFolder();

  it.each([
    ['/', 'index.html'],
    ['/index.html', 'index.html'],
    ['/assets/app.js', 'assets/app.js'],
    ['/assets/./app.js', 'assets/app.js'],
    ['//assets//app.js', 'assets/app.js'],
    ['/assets/app%2Ejs', 'assets/app.js'],
  ])('%s → %s', (urlPath, relative) => {
    expect(resolveStaticPath(root, urlPath)).toBe(path.join(root, relative));
  });

  it.each([
    '/../secret.txt',
    '/assets/../../secret.txt',
    '/%2e%2e/secret.txt',
    '/%2E%2E/%2E%2E/etc/passwd',
    '/assets/%2e%2e%2f%2e%2e%2fsecret.txt',
    '/..%2fsecret.txt',
    '/..%5csecret.txt',
    '/assets\\..\\..\\secret.txt',
    '/%5c..%5c..%5csecret.txt',
    '/index.html%00.js',
    '/%00',
    '/C:/Windows/win.ini',
    '/c:%5cwindows',
    '/%E0%A4%A', // malformed percent-encoding
    '/assets/..',
    '/assets/app.js:stream',
  ])('refuses %s', (urlPath) => {
    expect(resolveStaticPath(root, urlPath)).toBeUndefined();
  });

  it('treats a double-encoded dot as a literal file name, not a parent folder', () => {
    const resolved = resolveStaticPath(root, '/%252e%252e/secret.txt');
    expect(resolved).toBe(path.join(root, '%2e%2e', 'secret.txt'));
  });
});

describe('reading a resolved file', () => {
  it('reads a file with its content type', async () => {
    const { root } = rendererFolder();
    const file = await readStaticFile(root, path.join(root, 'assets', 'app.js'));
    expect(file?.contentType).toBe('text/javascript; charset=utf-8');
    expect(file?.body.toString()).toBe('export {}');
  });

  it('refuses a symlink that leads outside the root', async () => {
    const { parent, root } = rendererFolder();
    symlinkSync(path.join(parent, 'secret.txt'), path.join(root, 'link.txt'));
    await expect(readStaticFile(root, path.join(root, 'link.txt'))).resolves.toBeUndefined();
  });

  it('answers undefined for a folder or a missing file', async () => {
    const { root } = rendererFolder();
    await expect(readStaticFile(root, path.join(root, 'assets'))).resolves.toBeUndefined();
    await expect(readStaticFile(root, path.join(root, 'missing.js'))).resolves.toBeUndefined();
  });
});
