/**
 * A service's release history from its tags: newest version first, who made each release (the
 * tagger of an annotated tag, the commit's author for a lightweight one), when, and its notes.
 */
import { describe, expect, it } from 'vitest';
import { craftedRepository } from './crafted-repository';

describe('the release history of a service', () => {
  it('lists version tags newest first with their maker, date and notes; other tags are left out', async () => {
    const repo = craftedRepository();
    repo.commit('feat: first');
    repo.tag('v1.0.0');
    repo.commit('fix: second');
    repo.tag('v1.1.0', { date: '2026-03-04T10:00:00Z' });
    repo.commit('feat: third');
    repo.tag('v1.10.0', { date: '2026-05-06T10:00:00Z' });
    repo.tag('nightly');
    const history = await repo.service().history('api');
    expect(history.service).toBe('api');
    expect(history.releases.map((release) => release.tag)).toEqual(['v1.10.0', 'v1.1.0', 'v1.0.0']);
    const [newest, middle, oldest] = history.releases;
    expect(newest).toMatchObject({ version: '1.10.0', author: 'Camille', notes: 'Release v1.10.0' });
    expect(Date.parse(newest!.date)).toBe(Date.parse('2026-05-06T10:00:00Z'));
    expect(middle!.commit).toBe(repo.git('rev-parse', 'v1.1.0^{commit}'));
    expect(oldest).toMatchObject({ version: '1.0.0', author: 'Camille', notes: '' });
    expect(oldest!.commit).toBe(repo.git('rev-parse', 'v1.0.0^{commit}'));
  });

  it('keeps to the limit asked for', async () => {
    const repo = craftedRepository();
    for (const version of ['1.0.0', '1.0.1', '1.0.2']) {
      repo.commit(`fix: ${version}`);
      repo.tag(`v${version}`);
    }
    expect((await repo.service().history('api', 2)).releases.map((release) => release.tag)).toEqual([
      'v1.0.2',
      'v1.0.1',
    ]);
  });
});

describe('a release cut here', () => {
  it('keeps its notes whole in the tag, Markdown headings included', async () => {
    const repo = craftedRepository();
    repo.commit('feat: a thing users see');
    const releases = repo.service();
    const cut = await releases.cut('api', 'minor');
    const [newest] = (await releases.history('api')).releases;
    expect(newest!.tag).toBe(cut.tag);
    expect(newest!.notes).toMatch(/^# /m);
    expect(newest!.notes).toContain('a thing users see');
  });
});
