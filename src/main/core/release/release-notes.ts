/**
 * Release notes in the manual's format: breaking changes first (a merge commit's breaking notes
 * too), then 🚀 features, 🐛 fixes, 🛡 security, ⚡ performance, everything else under "Other"
 * (never dropped), then technical metrics. Release commits (ours and other tools') are left out, a
 * commit and its revert in the range cancel out. Issue references lead each item once — `[#123]`,
 * or `[owner/repo#123]` for another repository — linked when the platform gives an issue URL.
 * Pure: the same commits give the same Markdown.
 */
import { effectiveCommits, referenceText, type IssueReference, type ParsedCommit } from './conventional-commit';

export interface NotesInput {
  /** The version the notes describe (`1.5.0`, `v1.5.0`), or a title such as `Unreleased changes`. */
  title: string;
  date: string;
  commits: ParsedCommit[];
  /** e.g. `https://github.com/org/{repo}/issues/{id}`; `{repo}` and `{service}` are filled in. */
  issueUrl?: string;
  repoName?: string;
  service?: string;
  /** Known figures (deploy time, coverage, p95…), in the order given. */
  metrics?: Record<string, string>;
}

const ofType =
  (...types: string[]) =>
  (commit: ParsedCommit) =>
    commit.type !== undefined && types.includes(commit.type);

const sections: { title: string; matches: (commit: ParsedCommit) => boolean }[] = [
  { title: '🚀 Features', matches: ofType('feat') },
  // A git-style revert (`Revert "fix: …"`) is a fix too.
  { title: '🐛 Fixes', matches: (commit) => ofType('fix', 'revert')(commit) || commit.revertOf !== undefined },
  { title: '🛡 Security', matches: ofType('security', 'sec') },
  { title: '⚡ Performance', matches: ofType('perf') },
];

export function formatReleaseNotes(input: NotesInput): string {
  const counted = effectiveCommits(input.commits);
  const commits = counted.filter((commit) => !commit.isMerge);
  const merges = counted.length - commits.length;
  const item = (commit: ParsedCommit, text: string, isScopeShown = true) => {
    const refs = commit.references.map((reference) => linkReference(reference, input)).join(' ');
    const scope = commit.scope && isScopeShown ? `**${commit.scope}:** ` : '';
    return `- ${refs ? `${refs} ` : ''}${scope}${withoutTrailingReferences(text, commit.references)}`;
  };
  const title = /^v?\d/.test(input.title) ? `Release v${input.title.replace(/^v/, '')}` : input.title;
  const lines = [`# ${title} - ${input.date}`, ''];

  const breaking = counted.filter((commit) => commit.isBreaking);
  if (breaking.length > 0) {
    lines.push(
      '## ⚠️ Breaking changes',
      ...breaking.map((commit) => item(commit, commit.breakingNote ?? commit.description)),
      '',
    );
  }
  const placed = new Set<ParsedCommit>();
  for (const section of sections) {
    const matching = commits.filter((commit) => !placed.has(commit) && section.matches(commit));
    if (matching.length === 0) continue;
    for (const commit of matching) placed.add(commit);
    lines.push(`## ${section.title}`, ...matching.map((commit) => item(commit, commit.description)), '');
  }
  const others = commits.filter((commit) => !placed.has(commit));
  if (others.length > 0) {
    lines.push(
      '## Other',
      ...others.map((commit) =>
        commit.isConventional
          ? item(commit, `${commit.type}${commit.scope ? `(${commit.scope})` : ''}: ${commit.description}`, false)
          : item(commit, commit.description),
      ),
      '',
    );
  }
  if (commits.length === 0 && breaking.length === 0) lines.push('No changes since the previous release.', '');

  const metrics: Record<string, string> = {
    Commits: `${commits.length}${merges > 0 ? ` (${merges} merge commit${merges === 1 ? '' : 's'} not listed)` : ''}`,
    Contributors: String(new Set(commits.map((commit) => commit.author)).size),
    ...input.metrics,
  };
  lines.push('## 📊 Technical metrics', ...Object.entries(metrics).map(([name, value]) => `- ${name}: ${value}`), '');
  return lines.join('\n');
}

/**
 * `[#123](url)`: the platform's issue URL filled in; for another repository's issue
 * (`owner/repo#123`) the URL's `<owner>/{repo}` part names that repository instead. Unlinked when
 * there is no URL, or it cannot name another repository.
 */
function linkReference(reference: IssueReference, input: NotesInput): string {
  const text = referenceText(reference);
  let template = input.issueUrl;
  if (template && reference.owner && reference.repository) {
    const ownerAndRepo = /^(\w[\w+.-]*:\/\/[^/]+\/(?:[^/]+\/)*?)[^/{}]+\/\{repo\}(?=\/|$)/.exec(template);
    template = ownerAndRepo
      ? `${ownerAndRepo[1]}${encodeURIComponent(reference.owner)}/${encodeURIComponent(reference.repository)}${template.slice(ownerAndRepo[0].length)}`
      : undefined;
  }
  if (!template) return `[${text}]`;
  const url = template
    .replaceAll('{repo}', encodeURIComponent(input.repoName ?? ''))
    .replaceAll('{service}', encodeURIComponent(input.service ?? ''))
    .replaceAll('{id}', encodeURIComponent(reference.issue));
  return `[${text}](${url})`;
}

/**
 * The description without the references at its end — `(#123)`, `[#123]`, `#123`,
 * `(owner/repo#123)` — since they lead the item instead: each is shown once.
 */
function withoutTrailingReferences(text: string, references: IssueReference[]): string {
  if (references.length === 0) return text;
  const trailing = /\s*[([]?(?:[\w.-]+\/[\w.-]+)?#\d+[)\]]?[\s,]*$/;
  let stripped = text;
  for (let index = 0; index < 20 && trailing.test(stripped); index++) stripped = stripped.replace(trailing, '');
  return stripped.trim() || text;
}
