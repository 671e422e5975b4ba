import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultWindowState, fitToDisplays, loadWindowState, saveWindowState } from '../../src/main/window-state';
import { temporaryDataDir } from '../helpers/cockpit-builder';

const laptop = { x: 0, y: 0, width: 1440, height: 900 };
const externalOnRight = { x: 1440, y: 0, width: 2560, height: 1440 };

describe('the remembered window state', () => {
  it('round-trips through the data folder', async () => {
    const dataDir = temporaryDataDir();
    const state = { x: 100, y: 80, width: 1200, height: 760, isMaximized: true };
    await saveWindowState(dataDir, state);
    await expect(loadWindowState(dataDir)).resolves.toEqual(state);
    expect(JSON.parse(readFileSync(path.join(dataDir, 'window-state.json'), 'utf8'))).toEqual(state);
  });

  it('falls back to the default when the file is missing or damaged', async () => {
    const dataDir = temporaryDataDir();
    await expect(loadWindowState(dataDir)).resolves.toEqual(defaultWindowState);
    writeFileSync(path.join(dataDir, 'window-state.json'), '{"width": "wide"');
    await expect(loadWindowState(dataDir)).resolves.toEqual(defaultWindowState);
    writeFileSync(path.join(dataDir, 'window-state.json'), '{"width": 10, "height": 10}');
    await expect(loadWindowState(dataDir)).resolves.toEqual(defaultWindowState);
  });

  it('keeps a position that is still on a display', () => {
    const state = { x: 1600, y: 100, width: 1200, height: 800, isMaximized: false };
    expect(fitToDisplays(state, [laptop, externalOnRight])).toEqual(state);
  });

  it('drops a position on a display that is gone, and shrinks to the largest display', () => {
    const state = { x: 1600, y: 100, width: 2000, height: 1200, isMaximized: false };
    expect(fitToDisplays(state, [laptop])).toEqual({ width: 1440, height: 900, isMaximized: false });
  });

  it('drops a position whose title bar would be above the screen', () => {
    expect(fitToDisplays({ x: 10, y: -200, width: 800, height: 600, isMaximized: false }, [laptop])).toEqual({
      width: 800,
      height: 600,
      isMaximized: false,
    });
  });
});
