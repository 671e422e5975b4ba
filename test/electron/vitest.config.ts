import { defineConfig } from 'vitest/config';

// `npm run test:electron`: launches the real Electron app. Not part of `npm test` or CI here,
// because the Electron binary cannot be downloaded on the build machines.
export default defineConfig({
  test: {
    name: 'electron',
    root: new URL('../..', import.meta.url).pathname,
    include: ['test/electron/**/*.electron.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
