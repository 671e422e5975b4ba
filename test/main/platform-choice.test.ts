import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { demoDown } from '../../src/main/core/demo/demo-platform';
import { writeSettings } from '../../src/main/core/settings';
import { choosePlatform } from '../../src/main/platform-choice';
import { buildCockpit, samplePlatformFile, temporaryDataDir } from '../helpers/cockpit-builder';

describe('which platform the cockpit opens', () => {
  it('is COCKPIT_PLATFORM when set', async () => {
    const choice = await choosePlatform(temporaryDataDir(), { COCKPIT_PLATFORM: samplePlatformFile }, () => undefined);
    expect(choice).toMatchObject({ platformFile: samplePlatformFile, openDemoAtStart: true });
  });

  it('is the file chosen in settings otherwise', async () => {
    const dataDir = temporaryDataDir();
    await writeSettings(dataDir, { platformFile: samplePlatformFile });
    expect(await choosePlatform(dataDir, {}, () => undefined)).toMatchObject({ platformFile: samplePlatformFile });
  });

  it('waits for a choice on a first start told not to open the demo (the packaged app, --no-demo)', async () => {
    const dataDir = temporaryDataDir();
    const choice = await choosePlatform(dataDir, {}, () => undefined, { openDemoAtStart: false });
    const { cockpit } = buildCockpit({ dataDir, ...choice, openKeychain: async () => ({ ok: false, reason: 'none' }) });
    await cockpit.start();
    expect(await cockpit.dispatch('platform:current', {})).toEqual({
      ok: true,
      value: {
        platform: null,
        problems: ['No platform is open yet: open a platform file, make one from Coolify, or try the demo.'],
      },
    });
    // Opening a file from there works, and is what the next start opens.
    const opened = await cockpit.dispatch('platform:open', { file: samplePlatformFile });
    expect(opened).toMatchObject({ ok: true, value: { platform: { id: 'penpal-ai', source: 'file' }, problems: [] } });
    expect((await choosePlatform(dataDir, {}, () => undefined)).platformFile).toBe(samplePlatformFile);
    expect(await cockpit.dispatch('platform:recent', {})).toMatchObject({
      ok: true,
      value: { recent: [{ file: samplePlatformFile, name: 'Penpal AI' }], canChooseFile: false },
    });
    cockpit.stop();
  });

  it('ignores damaged settings and falls back to the demo', async () => {
    const dataDir = temporaryDataDir();
    writeFileSync(path.join(dataDir, 'settings.json'), '{ nope');
    const choice = await choosePlatform(dataDir, {}, () => undefined);
    expect(choice.platformFile).toBeUndefined();
    expect(choice.startDemo).toBeTypeOf('function');
  });
});

describe('the first start, with no platform configured', () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'cockpit-first-start-'));

  afterAll(async () => {
    await demoDown(path.join(dataDir, 'demo'), { purge: true });
  }, 60_000);

  it('creates the embedded demo platform under the data folder and opens it', async () => {
    const lines: string[] = [];
    const choice = await choosePlatform(dataDir, { COCKPIT_PROMETHEUS_BIN: '/nonexistent' }, (line) =>
      lines.push(line),
    );
    const { cockpit } = buildCockpit({ dataDir, ...choice, openKeychain: async () => ({ ok: false, reason: 'none' }) });
    const states: unknown[] = [];
    cockpit.events.subscribe((channel, payload) => channel === 'platform:changed' && states.push(payload));
    await cockpit.start();
    const current = await cockpit.dispatch('platform:current', {});
    expect(current).toMatchObject({
      ok: true,
      value: { platform: { id: 'penpal-ai-demo', source: 'demo', file: path.join(dataDir, 'demo', 'platform.yaml') } },
    });
    expect(states[0]).toEqual({ platform: null, problems: ['Starting the embedded demo platform…'], isOpening: true });
    expect(states.at(-1)).toMatchObject({ platform: { source: 'demo' } });
    expect(lines.some((line) => line.startsWith('Starting 14 services'))).toBe(true);
  }, 120_000);
});
