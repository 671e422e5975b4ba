import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveDataDir } from '../../../src/main/core/data-dir';

const home = '/home/ana';

describe('the data folder', () => {
  it('is COCKPIT_DATA_DIR when set, even inside Electron', () => {
    expect(
      resolveDataDir({
        env: { COCKPIT_DATA_DIR: 'relative/dir' },
        platform: 'linux',
        homeDir: home,
        electronUserData: '/x',
      }),
    ).toBe(path.resolve('relative/dir'));
  });

  it('is Electron’s userData in the app', () => {
    expect(resolveDataDir({ env: {}, platform: 'linux', homeDir: home, electronUserData: '/u/Release Cockpit' })).toBe(
      '/u/Release Cockpit',
    );
  });

  it.each([
    ['linux', {}, '/home/ana/.config/Release Cockpit'],
    ['linux', { XDG_CONFIG_HOME: '/xdg' }, '/xdg/Release Cockpit'],
    ['linux', { COCKPIT_DATA_DIR: '   ' }, '/home/ana/.config/Release Cockpit'],
    ['darwin', {}, '/home/ana/Library/Application Support/Release Cockpit'],
  ] as const)('on %s with %o is the same folder Electron would use: %s', (platform, env, expected) => {
    expect(resolveDataDir({ env, platform, homeDir: home })).toBe(expected);
  });

  it('uses APPDATA on Windows', () => {
    expect(resolveDataDir({ env: { APPDATA: 'C:/Users/ana/AppData/Roaming' }, platform: 'win32', homeDir: home })).toBe(
      path.join('C:/Users/ana/AppData/Roaming', 'Release Cockpit'),
    );
  });
});
