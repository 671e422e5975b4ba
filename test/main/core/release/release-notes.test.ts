import { describe, expect, it } from 'vitest';
import { parseCommit, referenceText, type CommitInput } from '../../../../src/main/core/release/conventional-commit';
import { formatReleaseNotes } from '../../../../src/main/core/release/release-notes';
import { nextVersion, suggestBump } from '../../../../src/main/core/release/version-plan';

let counter = 0;
function commit(subject: string, body = '', parents = 1, author = 'Camille'): CommitInput {
  counter++;
  const message = body ? `${subject}\n\n${body}` : subject;
  return { hash: counter.toString(16).padStart(40, '0'), message, author, date: '2026-11-20T10:00:00Z', parents };
}

const history = [
  commit('feat(chat): partner conversation mode [#123]'),
  commit('fix: MongoDB connection timeout (#125)', '', 1, 'Yanis'),
  commit('security: validate user input [#128]'),
  commit('perf(db): index conversations by user [#129]'),
  commit('feat(api)!: move routes under /api/v1', 'BREAKING CHANGE: routes without /api/v1 are gone\n\nRefs #130'),
  commit('refactor: split repositories'),
  commit('Update README'),
  commit('Merge pull request #131 from team/feature-x', 'Feature x', 2),
  commit('chore(release): v1.2.3'),
].map(parseCommit);

describe('reading conventional commits', () => {
  it.each([
    [
      'feat(chat): add mode',
      { type: 'feat', scope: 'chat', description: 'add mode', isBreaking: false, isConventional: true },
    ],
    ['fix!: drop legacy flag', { type: 'fix', isBreaking: true, breakingNote: 'drop legacy flag' }],
    ['FEAT: shout', { type: 'feat', description: 'shout' }],
    ['Update README', { isConventional: false, description: 'Update README' }],
    ['feat:missing space', { isConventional: false }],
    ["Merge branch 'develop' into main", { isConventional: false, isMerge: true }],
  ])('%s', (subject, expected) => {
    expect(parseCommit(commit(subject))).toMatchObject(expected);
  });

  it('reads a BREAKING CHANGE footer and issue references from the body', () => {
    const parsed = parseCommit(
      commit('feat: x [#1]', 'Details.\n\nBREAKING CHANGE: the old API is gone\nCloses #2, #1'),
    );
    expect(parsed).toMatchObject({ isBreaking: true, breakingNote: 'the old API is gone' });
    expect(parsed.references.map(referenceText)).toEqual(['#1', '#2']);
  });
});

describe('suggesting the next version', () => {
  it.each([
    [['feat!: x'], 'major'],
    [['fix: y', 'feat: x'], 'minor'],
    [['perf: z'], 'patch'],
    [['security: s'], 'patch'],
    [['docs: d', 'Update README'], undefined],
  ])('%j → %s', (subjects, expected) => {
    expect(suggestBump(subjects.map((subject) => parseCommit(commit(subject))))).toBe(expected);
  });

  it('bumps SemVer versions', () => {
    expect(nextVersion('1.4.2', 'patch')).toBe('1.4.3');
    expect(nextVersion('1.4.2', 'minor')).toBe('1.5.0');
    expect(nextVersion('1.4.2', 'major')).toBe('2.0.0');
    expect(() => nextVersion('one', 'patch')).toThrow('not a SemVer version');
  });
});

describe('release notes in the manual’s format', () => {
  it('puts breaking changes first, then each section, keeps other commits, leaves out merges and the release commit', () => {
    const notes = formatReleaseNotes({ title: '1.3.0', date: '2026-11-24', commits: history });
    expect(notes).toBe(`# Release v1.3.0 - 2026-11-24

## ⚠️ Breaking changes
- [#130] **api:** routes without /api/v1 are gone

## 🚀 Features
- [#123] **chat:** partner conversation mode
- [#130] **api:** move routes under /api/v1

## 🐛 Fixes
- [#125] MongoDB connection timeout

## 🛡 Security
- [#128] validate user input

## ⚡ Performance
- [#129] **db:** index conversations by user

## Other
- refactor: split repositories
- Update README

## 📊 Technical metrics
- Commits: 7 (1 merge commit not listed)
- Contributors: 2
`);
  });

  it('links issue references when the platform gives an issue URL', () => {
    const notes = formatReleaseNotes({
      title: 'v1.3.0',
      date: '2026-11-24',
      commits: [history[0]!],
      issueUrl: 'https://github.com/acme/{repo}/issues/{id}',
      repoName: 'penpal-ai-db-service',
    });
    expect(notes).toContain(
      '- [#123](https://github.com/acme/penpal-ai-db-service/issues/123) **chat:** partner conversation mode',
    );
  });

  it('says so when nothing changed, and adds known metrics', () => {
    const notes = formatReleaseNotes({
      title: '1.3.1',
      date: '2026-11-24',
      commits: [],
      metrics: { 'Tests coverage': '94%' },
    });
    expect(notes).toContain('No changes since the previous release.');
    expect(notes).toContain('- Tests coverage: 94%');
  });
});
