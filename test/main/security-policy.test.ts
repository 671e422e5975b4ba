import { describe, expect, it } from 'vitest';
import { externalLinkDecision, externalLinkPrompt, isAppUrl, isTrustedSender } from '../../src/main/security-policy';

const production = {};
const development = { devServerUrl: 'http://localhost:5173/' };

describe('which pages are the app', () => {
  it.each([
    ['app://cockpit/index.html', production, true],
    ['app://cockpit/', production, true],
    ['app://other/index.html', production, false],
    ['http://localhost:5173/', production, false],
    ['http://localhost:5173/', development, true],
    ['http://localhost:5174/', development, false],
    ['https://localhost:5173/', development, false],
    ['file:///app/out/renderer/index.html', production, false],
    ['not a url', production, false],
    ['', production, false],
  ])('%s → %s', (url, origin, expected) => {
    expect(isAppUrl(url, origin)).toBe(expected);
  });
});

describe('which IPC senders are trusted', () => {
  it('trusts the app’s own main frame', () => {
    expect(isTrustedSender({ url: 'app://cockpit/index.html', parent: null }, production)).toBe(true);
  });

  it.each([
    ['a subframe of the app', { url: 'app://cockpit/index.html', parent: {} }],
    ['a foreign main frame', { url: 'https://evil.example/', parent: null }],
    ['a file:// frame', { url: 'file:///tmp/evil.html', parent: null }],
    ['a missing frame', null],
    ['an undefined frame', undefined],
  ])('refuses %s', (_label, frame) => {
    expect(isTrustedSender(frame, production)).toBe(false);
  });
});

describe('which links may leave the app', () => {
  it.each([
    ['https://github.com/org/repo/pull/12', 'ask-user'],
    ['http://grafana.internal:3000/d/abc', 'ask-user'],
    ['https://user:pass@example.com/', 'deny'],
    ['file:///etc/passwd', 'deny'],
    ['javascript:alert(1)', 'deny'],
    ['smb://share/file', 'deny'],
    ['ms-msdt:/id', 'deny'],
    ['vscode://open', 'deny'],
    ['data:text/html,hi', 'deny'],
    ['garbage', 'deny'],
  ])('%s → %s', (url, decision) => {
    expect(externalLinkDecision(url)).toBe(decision);
  });
});

describe('the question before an address leaves the app', () => {
  it('shows a look-alike host in punycode, and says why', () => {
    const prompt = externalLinkPrompt('https://gіthub.com/org/repo');
    expect(prompt.detail).toContain('Host: xn--gthub-n2e.com');
    expect(prompt.detail).toContain('non-ASCII letters');
    expect(prompt.detail).not.toContain('gіthub');
  });

  it('shows a plain ASCII host as it is', () => {
    const prompt = externalLinkPrompt('https://grafana.example.com:3000/d/abc');
    expect(prompt.detail).toBe('Host: grafana.example.com:3000\nAddress: https://grafana.example.com:3000/d/abc');
  });
});
