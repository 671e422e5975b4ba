import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../../../src/main/core/atomic-file';
import { temporaryDataDir } from '../../helpers/cockpit-builder';

describe('atomic file replacement', () => {
  it('creates missing folders, replaces content, and leaves no temporary file', async () => {
    const folder = path.join(temporaryDataDir(), 'nested', 'deeper');
    const target = path.join(folder, 'state.json');
    await writeFileAtomic(target, 'first');
    await writeFileAtomic(target, 'second');
    expect(readFileSync(target, 'utf8')).toBe('second');
    expect(readdirSync(folder)).toEqual(['state.json']);
  });

  it('keeps the file private to the user', async () => {
    const target = path.join(temporaryDataDir(), 'state.json');
    await writeFileAtomic(target, 'x');
    if (process.platform !== 'win32') expect(statSync(target).mode & 0o077).toBe(0);
  });

  it('leaves the old content and no temporary file when the target cannot be replaced', async () => {
    const folder = temporaryDataDir();
    await expect(writeFileAtomic(folder, 'x')).rejects.toThrow();
    expect(statSync(folder).isDirectory()).toBe(true);
    expect(readdirSync(path.dirname(folder)).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });
});
