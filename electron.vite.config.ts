import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';
import { resolve } from 'node:path';

export default defineConfig({
  main: {
    build: {
      externalizeDeps: true,
      rolldownOptions: {
        input: {
          index: resolve('src/main/index.ts'),
          // The log bus's thread, started from beside the main bundle (log-bus-thread.ts)…
          'log-bus-worker': resolve('src/main/core/logs/log-bus-worker.ts'),
          // …and, in the app, its utility process (log-utility-host.ts).
          'log-bus-utility': resolve('src/main/core/logs/log-bus-utility.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      // A sandboxed preload must be CommonJS in a single file.
      externalizeDeps: false,
      lib: { entry: resolve('src/preload/index.ts'), formats: ['cjs'] },
      rolldownOptions: { output: { entryFileNames: '[name].cjs' } },
    },
  },
  renderer: {
    root: resolve('src/renderer'),
    plugins: [react()],
    build: {
      rolldownOptions: {
        input: {
          // index.html is the app window; web.html adds the loopback shim for browsers.
          index: resolve('src/renderer/index.html'),
          web: resolve('src/renderer/web.html'),
        },
      },
    },
  },
});
