// `npm start`: the desktop app on the demo platform (electron-vite preview) — after checking that
// Electron can run here. When its binary is missing (it could not be downloaded) or there is no
// display, say so in two lines and name the browser mode, exit 1: no stack trace.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);

/** Where Electron's binary should be (as the electron package finds it), without downloading it. */
function electronBinary() {
  let folder;
  try {
    folder = path.dirname(require.resolve('electron/package.json'));
  } catch {
    return undefined;
  }
  const pathFile = path.join(folder, 'path.txt');
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : undefined;
  if (process.env.ELECTRON_OVERRIDE_DIST_PATH)
    return path.join(process.env.ELECTRON_OVERRIDE_DIST_PATH, relative || 'electron');
  return relative ? path.join(folder, 'dist', relative) : undefined;
}

function refuse(why) {
  process.stderr.write(`Release Cockpit cannot open its window here: ${why}\n`);
  process.stderr.write('Run it in a browser instead: npm run start:web (then open the URL it prints).\n');
  process.exit(1);
}

const binary = electronBinary();
if (!binary || !existsSync(binary))
  refuse("Electron's binary is not installed (it could not be downloaded; `npx install-electron` retries).");
if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY)
  refuse('there is no display (DISPLAY and WAYLAND_DISPLAY are not set).');

const electronVite = path.join(path.dirname(require.resolve('electron-vite/package.json')), 'bin', 'electron-vite.js');
const result = spawnSync(process.execPath, [electronVite, 'preview', ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(result.status ?? 1);
