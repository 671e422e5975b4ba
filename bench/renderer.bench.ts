/**
 * What the window's first paint loads: the entry script of `index.html` and every chunk it
 * preloads (the shell and the Matrix), gzip-compressed as a server or a disk cache would hold them
 * — against everything the renderer ships (each other view loads when it is opened).
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import type { BenchResult } from './stats';

const rendererRoot = path.resolve(import.meta.dirname, '../out/renderer');
const limitKb = 300;

export async function rendererBench(): Promise<BenchResult> {
  const html = path.join(rendererRoot, 'index.html');
  if (!existsSync(html)) throw new Error('The renderer is not built: run `npm run build` first.');
  const text = readFileSync(html, 'utf8');
  const initial = [
    ...text.matchAll(/<(?:script type="module"[^>]*src|link rel="modulepreload"[^>]*href)="\.\/([^"]+\.js)"/g),
  ].map((match) => match[1]!);
  const gzKb = (file: string) => gzipSync(readFileSync(path.join(rendererRoot, file))).length / 1024;
  const initialKb = initial.reduce((sum, file) => sum + gzKb(file), 0);
  const all = readdirSync(path.join(rendererRoot, 'assets'))
    .filter((name) => name.endsWith('.js'))
    .map((name) => `assets/${name}`);
  const allKb = all.reduce((sum, file) => sum + gzKb(file), 0);
  return {
    name: 'Renderer: JavaScript the first paint loads (shell and Matrix) vs all views',
    figures: {
      'initial JS KB gz': Math.round(initialKb),
      'all JS KB gz': Math.round(allKb),
      'initial chunks': initial.length,
    },
    verdicts: [{ target: `initial JS KB gz ≤ ${limitKb}`, pass: initialKb <= limitKb }],
  };
}
