import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

// A loaded 2-core CI machine answers slower than a laptop: polls wait up to 10 s.
const expect = { poll: { timeout: 10_000, interval: 50 } };

// Three projects: node code (main + shared), renderer components in jsdom, and end-to-end tests
// driving the built renderer in the system Chromium through the loopback bridge.
export default defineConfig({
  test: {
    // Vitest keeps one core for itself by default (one file at a time on a 2-core machine); the
    // files mostly wait on child processes, git and sockets: on 2 cores, three files at a time
    // kept the machine busier (`npm test` 468 → 440 s; process accounting had it ~80 % busy with two).
    maxWorkers: 3,
    // `npm test` runs the browser files in a Vitest run of their own and merges the two reports
    // into test-results/vitest.json (scripts/test.mjs): each run is told its own file.
    reporters: ['default', ['json', { outputFile: process.env.COCKPIT_VITEST_REPORT ?? 'test-results/vitest.json' }]],
    projects: [
      {
        test: {
          name: 'node',
          expect,
          environment: 'node',
          include: [
            'test/main/**/*.test.ts',
            'test/shared/**/*.test.ts',
            'test/cli/**/*.test.ts',
            'test/packaging/**/*.test.ts',
          ],
          // Generous: timeouts only catch hangs. A test of several CLI processes took 20 s with two
          // busy loops beside the suite; limits a loaded machine can miss make no test better.
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        plugins: [react()],
        test: {
          name: 'renderer',
          expect,
          environment: 'jsdom',
          include: ['test/renderer/**/*.test.{ts,tsx}'],
          setupFiles: ['test/renderer/setup.ts'],
          testTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'e2e',
          expect,
          environment: 'node',
          include: ['test/e2e/**/*.e2e.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          // One browser test at a time: the deploy e2e missed a step with two beside it.
          fileParallelism: false,
        },
      },
    ],
  },
});
