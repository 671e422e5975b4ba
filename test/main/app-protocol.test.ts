import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { handleAppRequest, registerAppScheme } from '../../src/main/app-protocol';

function rendererRoot() {
  const parent = mkdtempSync(path.join(os.tmpdir(), 'cockpit-protocol-'));
  const root = path.join(parent, 'renderer');
  mkdirSync(root);
  writeFileSync(path.join(root, 'index.html'), '<!doctype html><p>cockpit</p>');
  writeFileSync(path.join(parent, 'private.key'), 'KEY');
  return root;
}

describe('the app:// protocol', () => {
  it('serves the renderer with the CSP header', async () => {
    const response = await handleAppRequest(rendererRoot(), 'app://cockpit/index.html');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await response.text()).toContain('cockpit');
  });

  it.each([
    'app://cockpit/../private.key',
    'app://cockpit/%2e%2e/private.key',
    'app://cockpit/%2e%2e%2fprivate.key',
    'app://cockpit/..%5cprivate.key',
    'app://cockpit/index.html%00',
    'app://other-host/index.html',
  ])('answers 404 to %s', async (url) => {
    const response = await handleAppRequest(rendererRoot(), url);
    expect(response.status).toBe(404);
    expect(await response.text()).not.toContain('KEY');
  });

  it('registers the scheme as standard and secure', () => {
    const registered: unknown[] = [];
    registerAppScheme({ registerSchemesAsPrivileged: (schemes) => registered.push(...schemes) });
    expect(registered).toEqual([
      { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } },
    ]);
  });
});
