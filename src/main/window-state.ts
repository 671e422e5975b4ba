/**
 * Remembering where the window was: bounds and maximized state, saved in the data folder and
 * restored only if they still fit on a connected display.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from './core/atomic-file';

export const WindowState = z.object({
  x: z.number().int().optional(),
  y: z.number().int().optional(),
  width: z.number().int().min(400).max(20_000),
  height: z.number().int().min(300).max(20_000),
  isMaximized: z.boolean().default(false),
});
export type WindowState = z.infer<typeof WindowState>;

export interface Rectangle {
  x: number;
  y: number;
  width: number;
  height: number;
}

export const defaultWindowState: WindowState = { width: 1280, height: 800, isMaximized: false };

const fileName = 'window-state.json';

/** Reads the saved state; a missing or damaged file gives the default. */
export async function loadWindowState(dataDir: string): Promise<WindowState> {
  try {
    const parsed = WindowState.safeParse(JSON.parse(await readFile(path.join(dataDir, fileName), 'utf8')));
    return parsed.success ? parsed.data : defaultWindowState;
  } catch {
    return defaultWindowState;
  }
}

/** Saves the state atomically. */
export async function saveWindowState(dataDir: string, state: WindowState): Promise<void> {
  await writeFileAtomic(path.join(dataDir, fileName), `${JSON.stringify(state, null, 2)}\n`);
}

/**
 * Keeps the saved position only if the window's title bar would be visible on one of the
 * displays' work areas; otherwise lets the OS place it (size kept, shrunk to fit).
 */
export function fitToDisplays(state: WindowState, workAreas: Rectangle[]): WindowState {
  const largest = workAreas.reduce<Rectangle | undefined>(
    (best, area) => (!best || area.width * area.height > best.width * best.height ? area : best),
    undefined,
  );
  const width = largest ? Math.min(state.width, largest.width) : state.width;
  const height = largest ? Math.min(state.height, largest.height) : state.height;
  const { x, y } = state;
  if (x === undefined || y === undefined) return { width, height, isMaximized: state.isMaximized };
  const titleBarVisible = workAreas.some(
    (area) => x + width > area.x + 50 && x < area.x + area.width - 50 && y >= area.y && y < area.y + area.height - 30,
  );
  return titleBarVisible
    ? { x, y, width, height, isMaximized: state.isMaximized }
    : { width, height, isMaximized: state.isMaximized };
}
