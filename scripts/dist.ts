/**
 * `npm run dist`: builds the installers for this machine's system with electron-builder
 * (`electron-builder.yml`), after `npm run build`. Code signing and notarisation use their
 * secrets from the environment when present; each one missing is said in one line and skipped.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const env = { ...process.env };
const args = ['electron-builder', '--publish', 'never'];
const has = (...names: string[]) => names.every((name) => (env[name] ?? '').trim() !== '');

if (process.platform === 'darwin') {
  if (!has('CSC_LINK') && !has('CSC_NAME')) {
    process.stdout.write('macOS code signing skipped: set CSC_LINK (a .p12) and CSC_KEY_PASSWORD to sign.\n');
    env.CSC_IDENTITY_AUTO_DISCOVERY = 'false';
  }
  if (has('APPLE_ID', 'APPLE_APP_SPECIFIC_PASSWORD', 'APPLE_TEAM_ID')) args.push('-c.mac.notarize=true');
  else process.stdout.write('Notarisation skipped: set APPLE_ID, APPLE_APP_SPECIFIC_PASSWORD and APPLE_TEAM_ID.\n');
} else if (process.platform === 'win32') {
  if (!has('WIN_CSC_LINK') && !has('CSC_LINK'))
    process.stdout.write('Windows code signing skipped: set WIN_CSC_LINK and WIN_CSC_KEY_PASSWORD to sign.\n');
} else {
  process.stdout.write('Linux packages are not signed (AppImage and deb).\n');
}

const result = spawnSync('npx', args, { cwd: root, env, stdio: 'inherit', shell: process.platform === 'win32' });
process.exit(result.status ?? 1);
