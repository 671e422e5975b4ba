/**
 * Opening, switching and fixing platforms in a running core: a second file opens and is
 * remembered; a save that breaks the open file keeps the last good platform running with each
 * problem and its line; the save that fixes it reloads it; a broken file opened from the chooser
 * leaves the running platform alone.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { PlatformState } from '../../../../src/shared/contract';
import { buildStartedCockpit, noKeychain } from '../../../helpers/cockpit-builder';
import { validPlatformYaml, withChange } from './platform-builder';

/** The test platform under another id and name, `extra` lines after the name. */
const named = (id: string, name: string, extra = '') =>
  withChange('name: Shop', `name: ${name}${extra}`, withChange('id: shop', `id: ${id}`));

const stops: (() => void)[] = [];
afterEach(() => {
  for (const stop of stops.splice(0)) stop();
});

async function twoPlatforms() {
  const folder = mkdtempSync(path.join(os.tmpdir(), 'cockpit-switch-'));
  const first = path.join(folder, 'shop.yaml');
  const second = path.join(folder, 'blog.yaml');
  writeFileSync(first, validPlatformYaml);
  writeFileSync(second, named('blog', 'Blog'));
  const { cockpit } = await buildStartedCockpit({ platformFile: first, openKeychain: noKeychain });
  stops.push(() => cockpit.stop());
  const states: PlatformState[] = [];
  cockpit.events.subscribe(
    (channel, payload) => channel === 'platform:changed' && states.push(payload as PlatformState),
  );
  const call = async <T>(channel: string, payload: unknown = {}): Promise<T> => {
    const reply = await cockpit.dispatch(channel, payload);
    if (!reply.ok) throw new Error(`${channel}: ${reply.error.message}`);
    return reply.value as T;
  };
  return { first, second, states, call };
}

describe('platforms in a running cockpit', () => {
  it('opens a second file and remembers it; a broken save keeps the last good one; the fix reloads', async () => {
    const { first, second, states, call } = await twoPlatforms();
    expect((await call<PlatformState>('platform:open', { file: second })).platform).toMatchObject({ id: 'blog' });
    const recent = await call<{ recent: { file: string }[] }>('platform:recent');
    expect(recent.recent.map((entry) => entry.file)).toEqual([second]);

    // A save that breaks the file: the problems, each with its line, and Blog still running.
    writeFileSync(second, named('blog', 'Blog', '\nowner: ops'));
    await expect.poll(() => states.at(-1)?.problems.length ?? 0, { timeout: 15_000 }).toBeGreaterThan(0);
    const broken = states.at(-1)!;
    expect(broken.platform).toMatchObject({ id: 'blog' });
    expect(broken.problemsFile).toBe(second);
    expect(broken.problemDetails).toEqual([
      expect.objectContaining({ line: 4, column: 1, path: 'owner', lineText: 'owner: ops' }),
    ]);
    expect((await call<{ rows: unknown[] }>('matrix:get')).rows.length).toBeGreaterThan(0);

    // The save that fixes it reloads the platform (its new name shows it is the new text).
    writeFileSync(second, named('blog', 'Blog, fixed'));
    await expect.poll(() => states.at(-1)?.platform?.name, { timeout: 15_000 }).toBe('Blog, fixed');
    expect(states.at(-1)!.problems).toEqual([]);

    // A broken file opened from the chooser leaves the running platform alone.
    writeFileSync(first, withChange('version: 1', 'version: 3'));
    const refused = await call<PlatformState>('platform:open', { file: first });
    expect(refused.platform).toMatchObject({ name: 'Blog, fixed' });
    expect(refused.problems).toEqual([`${first}:1:10: version: expected 1, got 3`]);
    expect((await call<{ recent: { file: string }[] }>('platform:recent')).recent.map((entry) => entry.file)).toEqual([
      second,
    ]);
  }, 60_000);

  it('refuses to open a file that is not there, saying where it looked', async () => {
    const { call } = await twoPlatforms();
    const missing = path.join(os.tmpdir(), 'cockpit-no-such-platform.yaml');
    const state = await call<PlatformState>('platform:open', { file: missing });
    expect(state.platform).toMatchObject({ id: 'shop' });
    expect(state.problems).toEqual([`${missing}:1:1: file not found: check the path`]);
  });
});
